package dev.strata.emulator.device.vga;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.emulator.clock.VirtualClock;
import dev.strata.emulator.state.StateRoundTrip;
import org.junit.jupiter.api.Test;

class VgaDeviceStateTest {

    @Test
    void restoredVgaShowsTheSameScreenAndRegisters() throws Exception {
        VgaDevice a = new VgaDevice(new VirtualClock());
        String text = "SAVED";
        for (int i = 0; i < text.length(); i++) {
            a.writeMemory(0xB8000 + 2 * i, text.charAt(i));
            a.writeMemory(0xB8001 + 2 * i, 0x1F);
        }
        a.writePort(VgaDevice.CRTC_INDEX, 0x0E);
        a.writePort(VgaDevice.CRTC_INDEX + 1, 0x00);
        a.writePort(VgaDevice.CRTC_INDEX, 0x0F);
        a.writePort(VgaDevice.CRTC_INDEX + 1, 0x05); // cursor after the text
        byte[] saved = StateRoundTrip.save(a::saveState);
        VgaDevice b = new VgaDevice(new VirtualClock());
        StateRoundTrip.loadAndCompare(saved, null, b::loadState, b::saveState);
        assertEquals(a.textScreen().toText(), b.textScreen().toText());
        assertEquals(0x05, b.crtcRegister(0x0F));
        assertEquals(0x1F, b.readMemory(0xB8001));
    }
}
