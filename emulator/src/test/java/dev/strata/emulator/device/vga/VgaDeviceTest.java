package dev.strata.emulator.device.vga;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.clock.MachineClock;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class VgaDeviceTest {

    private final MachineClock machine = MachineClock.deterministic(1);
    private final VgaDevice vga = new VgaDevice(machine.clock());

    private void put(int row, int column, String text, int attribute) {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < bytes.length; i++) {
            int address = 0xB8000 + (row * 80 + column + i) * 2;
            vga.writeMemory(address, bytes[i]);
            vga.writeMemory(address + 1, attribute);
        }
    }

    private void crtc(int index, int value) {
        vga.writePort(0x3D4, index);
        vga.writePort(0x3D5, value);
    }

    private int crtcRead(int index) {
        vga.writePort(0x3D4, index);
        return vga.readPort(0x3D5);
    }

    private void cursorAt(int location) {
        crtc(0x0E, location >> 8);
        crtc(0x0F, location & 0xFF);
    }

    @Test
    void powersOnAs80x25ColourText() {
        TextScreen screen = vga.textScreen();
        assertEquals(80, screen.columns());
        assertEquals(25, screen.rows());
        assertTrue(vga.isColor());
        assertFalse(screen.graphicsMode());
        assertTrue(screen.blinkEnabled());
        assertTrue(screen.cursorVisible(), "lines 13-14 of 16 at the top left");
        assertEquals(0, screen.cursorRow());
        assertEquals(0, screen.cursorColumn());
    }

    @Test
    void textWrittenAtB8000ShowsOnTheScreen() {
        put(0, 0, "C:\\>dir", 0x07);
        put(24, 70, "bottom", 0x1F);
        TextScreen screen = vga.textScreen();
        assertEquals("C:\\>dir", screen.lines().get(0));
        assertEquals(" ".repeat(70) + "bottom", screen.lines().get(24));
        assertEquals('d', screen.charAt(0, 4));
        assertEquals(0x1F, screen.attributeAt(24, 75));
        String text = screen.toText();
        assertEquals(25, text.split("\n", -1).length - 1, "one line per row, each ended by a newline");
        assertTrue(text.startsWith("C:\\>dir\n\n"));
    }

    @Test
    void memoryReadsBackInterleavedCharactersAndAttributes() {
        vga.writeMemory(0xB8000, 'A');
        vga.writeMemory(0xB8001, 0x4E);
        vga.writeMemory(0xBFFFF, 0x99);
        assertEquals('A', vga.readMemory(0xB8000));
        assertEquals(0x4E, vga.readMemory(0xB8001));
        assertEquals(0x99, vga.readMemory(0xBFFFF));
        assertEquals(0xFF, vga.readMemory(0xB0000), "B0000h is not decoded in colour text mode");
        assertEquals(0xFF, vga.readMemory(0xA0000));
    }

    @Test
    void boxDrawingCharactersBecomeUnicode() {
        put(0, 0, "\u00C9\u00CD\u00BB", 0x07);
        put(1, 0, "\u00BA\u0001\u00BA", 0x07);
        put(2, 0, "\u00C8\u00CD\u00BC", 0x07);
        assertEquals("╔═╗\n║☺║\n╚═╝\n", vga.textScreen().toText().substring(0, 12));
    }

    @Test
    void cursorPositionAndShapeComeFromTheCrtc() {
        cursorAt(3 * 80 + 17);
        TextScreen screen = vga.textScreen();
        assertEquals(3, screen.cursorRow());
        assertEquals(17, screen.cursorColumn());
        assertTrue(screen.cursorVisible());
        crtc(0x0A, 0x20 | 0x0D);
        assertFalse(vga.textScreen().cursorVisible(), "cursor disable bit");
        crtc(0x0A, 0x0F);
        crtc(0x0B, 0x0E);
        assertFalse(vga.textScreen().cursorVisible(), "start line after end line shows no cursor");
        crtc(0x0A, 0x00);
        assertTrue(vga.textScreen().cursorVisible(), "full block");
        cursorAt(25 * 80 + 5);
        assertFalse(vga.textScreen().cursorVisible(), "below the last row");
    }

    @Test
    void startAddressScrollsTheScreen() {
        put(0, 0, "first", 0x07);
        put(1, 0, "second", 0x07);
        crtc(0x0C, 0);
        crtc(0x0D, 80);
        cursorAt(80 + 2);
        TextScreen screen = vga.textScreen();
        assertEquals("second", screen.lines().get(0));
        assertEquals(0, screen.cursorRow());
        assertEquals(2, screen.cursorColumn());
    }

    @Test
    void eightScanLineCharactersGive50Rows() {
        crtc(0x09, 0x47);
        assertEquals(50, vga.textScreen().rows());
        assertEquals(80, vga.textScreen().columns());
        crtc(0x09, 0x4F);
        assertEquals(25, vga.textScreen().rows());
    }

    @Test
    void crtcProtectBitGuardsRegisters0To7() {
        crtc(0x01, 0x27);
        assertEquals(0x4F, crtcRead(0x01), "mode 3 sets the protect bit");
        crtc(0x07, 0x00);
        assertEquals(0x0F, crtcRead(0x07), "only line compare bit 8 changes under protection");
        crtc(0x11, 0x0E);
        crtc(0x01, 0x27);
        assertEquals(0x27, crtcRead(0x01));
        assertEquals(40, vga.textScreen().columns());
    }

    @Test
    void monochromeModeMovesTheCrtcTo3B4() {
        vga.writePort(0x3C2, 0x66);
        assertFalse(vga.isColor());
        assertEquals(0x66, vga.readPort(0x3CC));
        assertEquals(0xFF, vga.readPort(0x3D5));
        vga.writePort(0x3B4, 0x0E);
        assertEquals(0x0E, vga.readPort(0x3B4));
        assertEquals(0x00, vga.readPort(0x3B5));
        vga.writePort(0x3CE, 6);
        vga.writePort(0x3CF, 0x0A);
        vga.writeMemory(0xB0000, 'M');
        assertEquals('M', vga.textScreen().charAt(0, 0));
        assertEquals(0xFF, vga.readMemory(0xB8000));
    }

    @Test
    void attributeControllerFlipFlopAndBlinkBit() {
        vga.readPort(0x3DA);
        vga.writePort(0x3C0, 0x30);
        vga.writePort(0x3C0, 0x04);
        assertFalse(vga.textScreen().blinkEnabled());
        assertEquals(0x30, vga.readPort(0x3C0));
        assertEquals(0x04, vga.readPort(0x3C1));
        vga.writePort(0x3C0, 0x02);
        vga.readPort(0x3DA);
        vga.writePort(0x3C0, 0x22);
        vga.writePort(0x3C0, 0x3A);
        assertEquals(0x3A, vga.attributeRegister(2), "reading 3DAh put the flip-flop back to index");
        assertTrue(vga.screenEnabled());
        vga.writePort(0x3C0, 0x00);
        assertFalse(vga.screenEnabled(), "palette address source clear");
    }

    @Test
    void sequencerAndGraphicsRegistersAreStored() {
        vga.writePort(0x3C4, 0x01);
        vga.writePort(0x3C5, 0x21);
        assertEquals(0x21, vga.readPort(0x3C5));
        assertEquals(0x01, vga.readPort(0x3C4));
        assertFalse(vga.screenEnabled(), "sequencer screen-off bit");
        vga.writePort(0x3CE, 0x08);
        vga.writePort(0x3CF, 0x5A);
        assertEquals(0x5A, vga.readPort(0x3CF));
        assertEquals(0x5A, vga.graphicsRegister(8));
        vga.writePort(0x3CE, 0x06);
        vga.writePort(0x3CF, 0x05);
        assertTrue(vga.textScreen().graphicsMode());
    }

    @Test
    void fontLoadingIntoPlane2LeavesTheTextAlone() {
        put(0, 0, "keep", 0x07);
        vga.writePort(0x3C4, 2);
        vga.writePort(0x3C5, 0x04);
        vga.writePort(0x3C4, 4);
        vga.writePort(0x3C5, 0x06);
        vga.writePort(0x3CE, 4);
        vga.writePort(0x3CF, 0x02);
        vga.writePort(0x3CE, 5);
        vga.writePort(0x3CF, 0x00);
        vga.writePort(0x3CE, 6);
        vga.writePort(0x3CF, 0x04);
        for (int i = 0; i < 32; i++) {
            vga.writeMemory(0xA0000 + i, 0xFF);
        }
        assertEquals(0xFF, vga.readMemory(0xA0000 + 5), "plane 2 through read map select 2");
        vga.writePort(0x3C4, 2);
        vga.writePort(0x3C5, 0x03);
        vga.writePort(0x3C4, 4);
        vga.writePort(0x3C5, 0x02);
        vga.writePort(0x3CE, 4);
        vga.writePort(0x3CF, 0x00);
        vga.writePort(0x3CE, 5);
        vga.writePort(0x3CF, 0x10);
        vga.writePort(0x3CE, 6);
        vga.writePort(0x3CF, 0x0E);
        assertEquals("keep", vga.textScreen().lines().get(0));
        assertEquals(0x07, vga.textScreen().attributeAt(0, 3));
    }

    @Test
    void dacEntriesAreWrittenAndReadAComponentAtATime() {
        assertEquals(0x2A, vga.dacEntry(1), "EGA blue at power-on");
        assertEquals(0x3F << 12 | 0x3F << 6 | 0x3F, vga.dacEntry(63));
        vga.writePort(0x3C8, 5);
        for (int v : new int[] {1, 2, 3, 0x44, 5, 6}) {
            vga.writePort(0x3C9, v);
        }
        assertEquals(7, vga.readPort(0x3C8), "write index advanced past two entries");
        assertEquals(0, vga.readPort(0x3C7), "write mode");
        vga.writePort(0x3C7, 5);
        assertEquals(3, vga.readPort(0x3C7), "read mode");
        int[] read = new int[6];
        for (int i = 0; i < 6; i++) {
            read[i] = vga.readPort(0x3C9);
        }
        assertEquals("[1, 2, 3, 4, 5, 6]", java.util.Arrays.toString(read), "components keep 6 bits");
        vga.writePort(0x3C6, 0x0F);
        assertEquals(0x0F, vga.readPort(0x3C6));
    }

    @Test
    void verticalRetraceComesOncePerFrameFromTheVirtualClock() {
        // Mode 3: 900 dots per line at 28.322 MHz, 449 lines; retrace on lines 412-413.
        long firstRetrace = -1;
        long secondRetrace = -1;
        long retraceEnd = -1;
        boolean previous = false;
        for (long t = 0; t < 30_000_000L; t += 1_000) {
            machine.instructionsExecuted(t - machine.nanos());
            boolean retrace = (vga.readPort(0x3DA) & 0x08) != 0;
            if (retrace && !previous) {
                if (firstRetrace < 0) {
                    firstRetrace = t;
                } else if (secondRetrace < 0) {
                    secondRetrace = t;
                }
            } else if (!retrace && previous && retraceEnd < 0) {
                retraceEnd = t;
            }
            previous = retrace;
        }
        assertEquals(13_093_000L, firstRetrace, "line 412 starts at 13.0923 ms");
        assertEquals(13_156_000L, retraceEnd, "line 414 starts two lines (63.6 us) later, at 13.1559 ms");
        assertEquals(27_361_000L, secondRetrace, "one frame (14.268 ms, 70.09 Hz) later");
    }

    @Test
    void displayEnableBitFollowsTheBeamAcrossALine() {
        machine.instructionsExecuted(10_000);
        assertEquals(0x00, vga.readPort(0x3DA) & 0x09, "10 us into line 0 is character 31: drawing");
        machine.instructionsExecuted(17_000);
        assertEquals(0x01, vga.readPort(0x3DA) & 0x09, "27 us into the line: horizontal blanking");
        machine.instructionsExecuted(13_000_000);
        assertEquals(0x01, vga.readPort(0x3DA) & 0x09, "line 409: vertical blanking, not retrace yet");
    }

    @Test
    void cp437TableCoversEveryByte() {
        assertEquals(' ', Cp437.toUnicode(0x00));
        assertEquals('☺', Cp437.toUnicode(0x01));
        assertEquals('A', Cp437.toUnicode(0x41));
        assertEquals('⌂', Cp437.toUnicode(0x7F));
        assertEquals('Ç', Cp437.toUnicode(0x80));
        assertEquals('ÿ', Cp437.toUnicode(0x98));
        assertEquals('░', Cp437.toUnicode(0xB0));
        assertEquals('┘', Cp437.toUnicode(0xD9));
        assertEquals('ß', Cp437.toUnicode(0xE1));
        assertEquals('■', Cp437.toUnicode(0xFE));
        assertEquals('\u00A0', Cp437.toUnicode(0xFF));
    }
}
