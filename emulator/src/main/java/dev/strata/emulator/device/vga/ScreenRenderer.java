package dev.strata.emulator.device.vga;

import dev.strata.emulator.display.Frame;

/**
 * Renders a {@link VgaPicture} as the RGB {@link Frame} the monitor shows, in any mode: the one renderer behind the
 * window, PNG screenshots and {@link VgaDevice#renderFrame()}, so they all give the same pixels. It reads only the
 * picture, never the device, so a display thread can render while the CPU thread runs on. Not thread-safe: each
 * thread that renders keeps its own, which reuses its buffers from frame to frame.
 */
public final class ScreenRenderer {

    private final FrameRenderer vga = new FrameRenderer();
    private final DispiFrameRenderer dispi = new DispiFrameRenderer();

    /** Renders {@code picture} into a new frame. */
    public Frame render(VgaPicture picture) {
        return render(picture, null);
    }

    /**
     * Renders {@code picture} into {@code reuse}'s pixels when it has the picture's size, so a display that shows
     * frame after frame of one mode allocates nothing; otherwise (or with null) into a new frame, which it returns.
     */
    public Frame render(VgaPicture picture, Frame reuse) {
        return picture.dispi ? dispi.render(picture, reuse) : vga.render(picture, reuse);
    }
}
