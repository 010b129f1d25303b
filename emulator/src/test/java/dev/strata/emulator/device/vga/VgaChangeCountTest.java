package dev.strata.emulator.device.vga;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.strata.emulator.clock.MachineClock;
import dev.strata.emulator.state.StateRoundTrip;
import org.junit.jupiter.api.Test;

/** The VGA's change count moves on every kind of write that changes the picture and stays for those that cannot. */
class VgaChangeCountTest {

    private final MachineClock machine = MachineClock.deterministic(1);
    private final VgaDevice vga = new VgaDevice(machine.clock());
    private int seen = vga.changeCount();

    /** True when the count moved since the last call. */
    private boolean moved() {
        int now = vga.changeCount();
        boolean moved = now != seen;
        seen = now;
        return moved;
    }

    private void assertMoves(Runnable write, String what) {
        moved();
        write.run();
        assertEquals(true, moved(), what + " should count as a change");
    }

    private void assertStays(Runnable write, String what) {
        moved();
        write.run();
        assertEquals(false, moved(), what + " should not count as a change");
    }

    private void indexed(int indexPort, int index, int value) {
        vga.writePort(indexPort, index);
        vga.writePort(indexPort + 1, value);
    }

    private void attribute(int index, int value) {
        vga.readPort(VgaDevice.INPUT_STATUS_1); // flip-flop to index
        vga.writePort(VgaDevice.ATTRIBUTE, index | 0x20);
        vga.writePort(VgaDevice.ATTRIBUTE, value);
    }

    @Test
    void textOnTheShownPageCountsAndOffScreenPagesAndReadsDoNot() {
        assertMoves(() -> vga.writeMemory(0xB8000, 'A'), "a character at the top left");
        assertMoves(() -> vga.writeMemory(0xB8001, 0x1F), "its attribute");
        assertMoves(() -> vga.writeMemory(0xB8000 + 24 * 160 + 158, 'Z'), "the bottom right character");
        assertStays(() -> vga.writeMemory(0xB9000, 'P'), "a character on page 1 (B9000h)");
        assertStays(() -> vga.writeMemory(0xBF000, 'P'), "a character on page 7");
        assertStays(() -> vga.readMemory(0xB8000), "a read of the screen");
        assertStays(() -> vga.writeMemory(0xA0000, 0x55), "a write outside the B8000h window");
    }

    @Test
    void movingTheStartAddressMovesTheShownPage() {
        assertMoves(() -> indexed(VgaDevice.CRTC_INDEX, 0x0C, 0x08), "start address high (page 1)");
        assertMoves(() -> vga.writeMemory(0xB9000, 'P'), "a character on page 1, now shown");
        assertStays(() -> vga.writeMemory(0xB8000, 'A'), "a character on page 0, now hidden");
    }

    @Test
    void theFontPlaneCountsAnywhereInTextModeAndPlaneThreeNever() {
        // the font-loading setup: planes written one at a time, sequential addressing, A0000h
        indexed(VgaDevice.SEQUENCER_INDEX, 4, 0x06);
        indexed(VgaDevice.GRAPHICS_INDEX, 5, 0x00);
        indexed(VgaDevice.GRAPHICS_INDEX, 6, 0x04); // still text (bit 0 clear), A0000h 64 KiB
        indexed(VgaDevice.SEQUENCER_INDEX, 2, 0x04);
        assertMoves(() -> vga.writeMemory(0xA0000 + 0xC000, 0x7E), "a glyph row far from the text in plane 2");
        indexed(VgaDevice.SEQUENCER_INDEX, 2, 0x08);
        assertStays(() -> vga.writeMemory(0xA0000, 0x7E), "plane 3, which text modes never show");
    }

    @Test
    void cursorStartAddressAndLayoutRegistersCountWhenTheirValueChanges() {
        assertMoves(() -> indexed(VgaDevice.CRTC_INDEX, 0x0F, 0x05), "the cursor's position");
        assertStays(() -> indexed(VgaDevice.CRTC_INDEX, 0x0F, 0x05), "the same position again");
        assertMoves(() -> indexed(VgaDevice.CRTC_INDEX, 0x0A, 0x20), "the cursor turned off");
        assertMoves(() -> indexed(VgaDevice.CRTC_INDEX, 0x0D, 0x50), "the start address");
        assertMoves(() -> indexed(VgaDevice.CRTC_INDEX, 0x13, 0x50), "the offset (row length)");
        assertStays(() -> indexed(VgaDevice.CRTC_INDEX, 0x30, 0x12), "a register the CRTC does not have");
        assertStays(() -> vga.writePort(VgaDevice.CRTC_INDEX, 0x0E), "only the index");
        // registers 0-7 are write-protected in mode 3 (register 11h bit 7): a refused write changes nothing
        assertStays(() -> indexed(VgaDevice.CRTC_INDEX, 0x01, 0x27), "a write-protected register");
    }

    @Test
    void attributeDacSequencerAndGraphicsRegistersThatShapeThePictureCount() {
        assertMoves(() -> attribute(0x01, 0x3F), "an attribute palette entry");
        assertStays(() -> attribute(0x01, 0x3F), "the same entry again");
        assertMoves(() -> {
            vga.readPort(VgaDevice.INPUT_STATUS_1);
            vga.writePort(VgaDevice.ATTRIBUTE, 0x00); // palette address source clear: the screen goes blank
        }, "the screen turned off through the attribute index");
        assertMoves(() -> {
            vga.writePort(VgaDevice.DAC_WRITE_INDEX, 7);
            vga.writePort(VgaDevice.DAC_DATA, 0x3F);
        }, "a DAC component");
        assertStays(() -> vga.writePort(VgaDevice.DAC_WRITE_INDEX, 8), "the DAC's write index");
        assertStays(() -> vga.readPort(VgaDevice.DAC_DATA), "a DAC read");
        assertMoves(() -> vga.writePort(VgaDevice.DAC_PIXEL_MASK, 0x0F), "the pixel mask");
        assertStays(() -> vga.writePort(VgaDevice.DAC_PIXEL_MASK, 0x0F), "the same pixel mask");
        assertMoves(() -> indexed(VgaDevice.SEQUENCER_INDEX, 1, 0x01), "8-dot characters");
        assertMoves(() -> indexed(VgaDevice.SEQUENCER_INDEX, 3, 0x04), "the character map select");
        assertStays(() -> indexed(VgaDevice.SEQUENCER_INDEX, 2, 0x01), "the map mask");
        assertStays(() -> indexed(VgaDevice.GRAPHICS_INDEX, 8, 0x0F), "the bit mask");
        assertMoves(() -> indexed(VgaDevice.GRAPHICS_INDEX, 6, 0x05), "graphics mode on");
    }

    @Test
    void graphicsModesCountWritesToTheShownPageOnly() {
        indexed(VgaDevice.SEQUENCER_INDEX, 4, 0x06);
        indexed(VgaDevice.GRAPHICS_INDEX, 5, 0x00);
        indexed(VgaDevice.GRAPHICS_INDEX, 6, 0x05); // graphics, A0000h 64 KiB
        indexed(VgaDevice.SEQUENCER_INDEX, 2, 0x0F);
        // mode 3's CRTC timing: 25 rows of 80 clocks in word mode, 4002 bytes from offset 0
        assertMoves(() -> vga.writeMemory(0xA0010, 0xFF), "a byte of the shown page");
        assertStays(() -> vga.writeMemory(0xA8000, 0xFF), "a byte of a hidden page");
        assertMoves(() -> indexed(VgaDevice.CRTC_INDEX, 0x17, 0xA2), "CGA row-scan address substitution");
        assertMoves(() -> vga.writeMemory(0xA8000, 0xFF), "any byte once the picture may come from anywhere");
    }

    @Test
    void aRestoredStateCounts() throws Exception {
        byte[] saved = StateRoundTrip.save(vga::saveState);
        assertMoves(() -> {
            try {
                vga.loadState(StateRoundTrip.reader(saved, null));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }, "a load");
    }

    @Test
    void theBlinkPhaseMovesWithVirtualTimeInTextModeOnly() {
        long first = vga.blinkPhase();
        machine.instructionsExecuted(200_000_000L); // 200 ms: more than one 8-frame blink period
        long later = vga.blinkPhase();
        assertNotEquals(first, later, "the cursor blinks in mode 3");
        indexed(VgaDevice.CRTC_INDEX, 0x0A, 0x20); // cursor off
        attribute(0x10, 0x04); // blink off: attribute bit 7 is bright background
        assertEquals(0, vga.blinkPhase(), "nothing blinks");
        attribute(0x10, 0x0C);
        assertNotEquals(0, vga.blinkPhase(), "blinking text");
        indexed(VgaDevice.GRAPHICS_INDEX, 6, 0x05);
        assertEquals(0, vga.blinkPhase(), "graphics modes do not blink");
    }
}
