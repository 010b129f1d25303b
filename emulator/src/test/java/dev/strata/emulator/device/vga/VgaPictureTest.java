package dev.strata.emulator.device.vga;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.strata.emulator.clock.VirtualClock;
import dev.strata.emulator.display.Frame;
import dev.strata.emulator.state.StateRoundTrip;
import org.junit.jupiter.api.Test;

/** A captured picture is a copy: what the guest does afterwards does not reach it, and taking it changes nothing. */
class VgaPictureTest {

    private final VgaDevice vga = new VgaDevice(new VirtualClock());

    private void port(int index, int data, int i, int v) {
        vga.writePort(index, i);
        vga.writePort(data, v);
    }

    /** Mode 13h's registers, set directly: chain-4, 256 colours, 320x200 double scanned. */
    private void mode13() {
        port(0x3C4, 0x3C5, 4, 0x0E);
        port(0x3CE, 0x3CF, 5, 0x40);
        port(0x3CE, 0x3CF, 6, 0x05);
        vga.readPort(0x3DA);
        vga.writePort(0x3C0, 0x10);
        vga.writePort(0x3C0, 0x41);
        vga.writePort(0x3C0, 0x20);
        port(0x3D4, 0x3D5, 0x09, 0x41);
        port(0x3D4, 0x3D5, 0x14, 0x40);
        port(0x3D4, 0x3D5, 0x17, 0xA3);
        port(0x3D4, 0x3D5, 0x01, 0x4F);
        port(0x3D4, 0x3D5, 0x13, 0x28);
        port(0x3D4, 0x3D5, 0x12, 0x8F);
    }

    @Test
    void aPictureShowsTheScreenAsItWasWhenCapturedWhateverTheGuestDoesNext() {
        mode13();
        for (int i = 0; i < 320 * 200; i++) {
            vga.writeMemory(0xA0000 + i, i * 7);
        }
        Frame before = vga.renderFrame(0);
        VgaPicture picture = new VgaPicture();
        vga.capture(picture, 0);
        for (int i = 0; i < 320 * 200; i++) {
            vga.writeMemory(0xA0000 + i, 0x55);
        }
        vga.writePort(VgaDevice.DAC_WRITE_INDEX, 7);
        vga.writePort(VgaDevice.DAC_DATA, 0x3F);
        port(0x3D4, 0x3D5, 0x0C, 0x10); // start address moved
        Frame captured = new ScreenRenderer().render(picture);
        assertEquals(320, captured.width());
        assertEquals(200, captured.height());
        assertArrayEquals(before.pixels(), captured.pixels());
    }

    @Test
    void aPictureOfTheLinearFrameBufferIsACopyToo() {
        vga.writeDispiPort(VgaDevice.DISPI_INDEX, 2, Dispi.XRES);
        vga.writeDispiPort(VgaDevice.DISPI_DATA, 2, 64);
        vga.writeDispiPort(VgaDevice.DISPI_INDEX, 2, Dispi.YRES);
        vga.writeDispiPort(VgaDevice.DISPI_DATA, 2, 8);
        vga.writeDispiPort(VgaDevice.DISPI_INDEX, 2, Dispi.BPP);
        vga.writeDispiPort(VgaDevice.DISPI_DATA, 2, 32);
        vga.writeDispiPort(VgaDevice.DISPI_INDEX, 2, Dispi.ENABLE);
        vga.writeDispiPort(VgaDevice.DISPI_DATA, 2, Dispi.ENABLED | Dispi.LFB_ENABLED);
        for (int i = 0; i < 64 * 8; i++) {
            vga.writeLinear(4 * i, 4, i * 0x010307);
        }
        Frame before = vga.renderFrame();
        VgaPicture picture = new VgaPicture();
        vga.capture(picture);
        vga.writeLinear(0, 4, 0xFFFFFF);
        assertArrayEquals(before.pixels(), new ScreenRenderer().render(picture).pixels());
    }

    @Test
    void capturingAndRenderingChangeNothingTheGuestCouldSee() throws Exception {
        mode13();
        vga.writeMemory(0xA0000, 3);
        vga.readMemory(0xA0004); // latches loaded
        vga.writePort(VgaDevice.DAC_READ_INDEX, 5); // the DAC mid-way through reading
        vga.readPort(VgaDevice.DAC_DATA);
        vga.writePort(0x3C0, 0x31); // the attribute flip-flop waiting for data
        byte[] state = StateRoundTrip.save(vga::saveState);
        int changes = vga.changeCount();
        VgaPicture picture = new VgaPicture();
        vga.capture(picture);
        new ScreenRenderer().render(picture);
        vga.renderFrame();
        assertArrayEquals(state, StateRoundTrip.save(vga::saveState));
        assertEquals(changes, vga.changeCount());
        assertFalse(picture.dispiMode());
    }
}
