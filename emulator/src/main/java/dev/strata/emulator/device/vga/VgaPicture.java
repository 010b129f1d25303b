package dev.strata.emulator.device.vga;

/**
 * A copy of everything the VGA's picture is made of at one instant, taken by {@link VgaDevice#capture} on the CPU
 * thread and rendered by a {@link ScreenRenderer} on any thread: the sequencer, graphics controller, CRT controller
 * and attribute controller registers, the DAC and its pixel mask, the virtual time (for blinking), and the video
 * memory the mode shows: the VGA's planes (planes 0-2 in text modes, all four in graphics modes) or, in a DISPI mode,
 * the visible window of linear video memory. Its buffers grow to the largest mode seen and are then reused, so a
 * picture taken every frame allocates nothing.
 */
public final class VgaPicture {

    final int[] sequencer = new int[VgaDevice.MODE3_SEQUENCER.length];
    final int[] graphics = new int[VgaDevice.MODE3_GRAPHICS.length];
    final Crtc crtc = new Crtc(new int[Crtc.REGISTERS]);
    final AttributeController attribute = new AttributeController(new int[AttributeController.REGISTERS]);
    final Dac dac = new Dac();
    /** The VGA's planes; allocated by the first capture of a standard VGA mode. */
    byte[][] planes;
    /** Virtual time of the capture, which sets the blink phases. */
    long nanos;

    /** True when a DISPI mode was on: the picture is {@link #lfb}, not the planes. */
    boolean dispi;
    int width;
    int height;
    int bitsPerPixel;
    int bytesPerPixel;
    /** Bytes from one line to the next in {@link #lfb}. */
    int lineBytes;
    /**
     * The visible window of linear memory from the picture's top left pixel; {@link #lfbLength} bytes of it hold
     * it.
     */
    byte[] lfb = new byte[0];
    /** Bytes of {@link #lfb} copied: less than the window when it runs past the end of video memory. */
    int lfbLength;
    /** False when nothing was ever written to linear memory (then every pixel is black). */
    boolean lfbPresent;

    /** True when this picture shows a DISPI (VBE) mode. */
    public boolean dispiMode() {
        return dispi;
    }
}
