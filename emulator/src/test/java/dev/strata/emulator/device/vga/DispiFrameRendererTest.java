package dev.strata.emulator.device.vga;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.emulator.clock.VirtualClock;
import dev.strata.emulator.display.Frame;
import org.junit.jupiter.api.Test;

/** A DISPI mode renders at its resolution from linear memory, per colour depth, at the panning offsets. */
class DispiFrameRendererTest {

    private final VgaDevice vga = new VgaDevice(new VirtualClock());

    private void set(int index, int value) {
        vga.writeDispiPort(VgaDevice.DISPI_INDEX, 2, index);
        vga.writeDispiPort(VgaDevice.DISPI_DATA, 2, value);
    }

    private void mode(int width, int height, int bpp) {
        set(Dispi.XRES, width);
        set(Dispi.YRES, height);
        set(Dispi.BPP, bpp);
        set(Dispi.ENABLE, Dispi.ENABLED | Dispi.LFB_ENABLED);
    }

    @Test
    void thirtyTwoBitPixelsAreBlueGreenRedInAscendingBytes() {
        mode(1024, 768, 32);
        vga.writeLinear((5 * 1024 + 7) * 4, 4, 0x00123456);
        vga.writeLinear((767 * 1024 + 1023) * 4, 4, 0x00FF8001);
        Frame f = PictureCheck.frame(vga);
        assertEquals(1024, f.width());
        assertEquals(768, f.height());
        assertEquals(0xFF123456, f.pixel(7, 5));
        assertEquals(0xFFFF8001, f.pixel(1023, 767));
        assertEquals(0xFF000000, f.pixel(0, 0), "cleared by the mode set");
    }

    @Test
    void twentyFourBitPixelsTakeThreeBytes() {
        mode(640, 480, 24);
        int at = (2 * 640 + 3) * 3;
        vga.writeLinear(at, 1, 0x30);
        vga.writeLinear(at + 1, 1, 0x20);
        vga.writeLinear(at + 2, 1, 0x10);
        assertEquals(0xFF102030, PictureCheck.frame(vga).pixel(3, 2));
    }

    @Test
    void sixteenBitPixelsAreFiveSixFiveAndFifteenBitOnesFiveFiveFive() {
        mode(800, 600, 16);
        vga.writeLinear(0, 2, 0xF800); // full red
        vga.writeLinear(2, 2, 0x07E0); // full green
        vga.writeLinear(4, 2, 0x001F); // full blue
        Frame f = PictureCheck.frame(vga);
        assertEquals(0xFFFF0000, f.pixel(0, 0));
        assertEquals(0xFF00FF00, f.pixel(1, 0));
        assertEquals(0xFF0000FF, f.pixel(2, 0));
        set(Dispi.ENABLE, 0);
        mode(800, 600, 15);
        vga.writeLinear(0, 2, 0x7C00);
        vga.writeLinear(2, 2, 0x03E0);
        vga.writeLinear(4, 2, 0x4210); // half of each
        f = PictureCheck.frame(vga);
        assertEquals(0xFFFF0000, f.pixel(0, 0));
        assertEquals(0xFF00FF00, f.pixel(1, 0));
        assertEquals(0xFF848484, f.pixel(2, 0));
    }

    @Test
    void eightBitPixelsGoThroughTheDac() {
        mode(640, 480, 8);
        vga.writePort(VgaDevice.DAC_WRITE_INDEX, 0x42);
        vga.writePort(VgaDevice.DAC_DATA, 0x3F);
        vga.writePort(VgaDevice.DAC_DATA, 0x00);
        vga.writePort(VgaDevice.DAC_DATA, 0x20);
        vga.writeLinear(640 + 1, 1, 0x42);
        assertEquals(0xFFFF0082, PictureCheck.frame(vga).pixel(1, 1));
    }

    @Test
    void theEightBitDacTakesWholeBytesAndSwitchingTheWidthKeepsTheColours() {
        mode(640, 480, 8);
        vga.writePort(VgaDevice.DAC_WRITE_INDEX, 0x42);
        vga.writePort(VgaDevice.DAC_DATA, 0x3F);
        vga.writePort(VgaDevice.DAC_DATA, 0x20);
        vga.writePort(VgaDevice.DAC_DATA, 0x01);
        set(Dispi.ENABLE, Dispi.ENABLED | Dispi.LFB_ENABLED | Dispi.DAC_8BIT);
        assertEquals(true, vga.dacEightBit());
        vga.writePort(VgaDevice.DAC_READ_INDEX, 0x42);
        assertEquals(0xFC, vga.readPort(VgaDevice.DAC_DATA), "6-bit 3Fh scaled to 8 bits");
        assertEquals(0x80, vga.readPort(VgaDevice.DAC_DATA));
        assertEquals(0x04, vga.readPort(VgaDevice.DAC_DATA));
        vga.writePort(VgaDevice.DAC_WRITE_INDEX, 0x43);
        vga.writePort(VgaDevice.DAC_DATA, 0x81);
        vga.writePort(VgaDevice.DAC_DATA, 0x42);
        vga.writePort(VgaDevice.DAC_DATA, 0xC3);
        vga.writeLinear(0, 1, 0x42);
        vga.writeLinear(1, 1, 0x43);
        Frame f = PictureCheck.frame(vga);
        assertEquals(0xFFFC8004, f.pixel(0, 0));
        assertEquals(0xFF8142C3, f.pixel(1, 0), "all eight bits of each component show");
        assertEquals(0x20 << 12 | 0x10 << 6 | 0x30, vga.dacEntry(0x43), "the top six bits");
        set(Dispi.ENABLE, 0);
        assertEquals(false, vga.dacEightBit(), "a mode switch without the bit is back to 6 bits");
        vga.writePort(VgaDevice.DAC_READ_INDEX, 0x43);
        assertEquals(0x20, vga.readPort(VgaDevice.DAC_DATA));
        assertEquals(0x10, vga.readPort(VgaDevice.DAC_DATA));
        assertEquals(0x30, vga.readPort(VgaDevice.DAC_DATA));
    }

    @Test
    void theOffsetsPanOverTheVirtualScreen() {
        mode(640, 480, 32);
        set(Dispi.VIRT_WIDTH, 1024);
        set(Dispi.X_OFFSET, 16);
        set(Dispi.Y_OFFSET, 100);
        vga.writeLinear((100 * 1024 + 16) * 4, 4, 0x00ABCDEF);
        assertEquals(0xFFABCDEF, PictureCheck.frame(vga).pixel(0, 0));
    }

    @Test
    void aVgaModeRendersAsBeforeOnceDispiIsOff() {
        Frame text = PictureCheck.frame(vga);
        mode(640, 480, 32);
        set(Dispi.ENABLE, 0);
        Frame again = PictureCheck.frame(vga);
        assertEquals(720, again.width());
        assertEquals(400, again.height());
        assertEquals(java.util.Arrays.hashCode(text.pixels()), java.util.Arrays.hashCode(again.pixels()));
    }
}
