package dev.strata.emulator.device.vga;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.emulator.clock.VirtualClock;
import dev.strata.emulator.display.Frame;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Text mode frames, checked dot by dot against pictures computed here from the font and the 16 text colours. */
class FrameRendererTextTest {

    /** The 16 text colours a VGA shows with the BIOS's default palette, 8 bits a component. */
    static final int[] TEXT_COLOURS = {0x000000, 0x0000AA, 0x00AA00, 0x00AAAA, 0xAA0000, 0xAA00AA, 0xAA5500,
        0xAAAAAA, 0x555555, 0x5555FF, 0x55FF55, 0x55FFFF, 0xFF5555, 0xFF55FF, 0xFFFF55, 0xFFFFFF};
    private static final long BLINK_OFF = 16 * 14_285_714L;

    private final VgaDevice vga = new VgaDevice(new VirtualClock());
    private final byte[][] font = new byte[256][16];
    private final int[] chars = new int[80 * 25];
    private final int[] attrs = new int[80 * 25];

    private void port(int index, int data, int i, int v) {
        vga.writePort(index, i);
        vga.writePort(data, v);
    }

    @BeforeEach
    void randomFontAndScreen() {
        Random random = new Random(16);
        for (byte[] glyph : font) {
            random.nextBytes(glyph);
        }
        port(0x3C4, 0x3C5, 2, 0x04);
        port(0x3C4, 0x3C5, 4, 0x06);
        port(0x3CE, 0x3CF, 5, 0x00);
        port(0x3CE, 0x3CF, 6, 0x04);
        for (int c = 0; c < 256; c++) {
            for (int line = 0; line < 16; line++) {
                vga.writeMemory(0xA0000 + c * 32 + line, font[c][line]);
            }
        }
        port(0x3C4, 0x3C5, 2, 0x03);
        port(0x3C4, 0x3C5, 4, 0x02);
        port(0x3CE, 0x3CF, 5, 0x10);
        port(0x3CE, 0x3CF, 6, 0x0E);
        for (int i = 0; i < chars.length; i++) {
            chars[i] = random.nextInt(256);
            attrs[i] = random.nextInt(256);
            vga.writeMemory(0xB8000 + i * 2, chars[i]);
            vga.writeMemory(0xB8001 + i * 2, attrs[i]);
        }
    }

    private int[] expected(boolean blinkVisible, int cursorCell) {
        int[] out = new int[720 * 400];
        for (int y = 0; y < 400; y++) {
            for (int x = 0; x < 720; x++) {
                int cell = y / 16 * 80 + x / 9;
                int ch = chars[cell];
                int attr = attrs[cell];
                int line = y % 16;
                int bits = font[ch][line] & 0xFF;
                if ((attr & 0x80) != 0 && !blinkVisible) {
                    bits = 0;
                }
                if (cell == cursorCell && (line == 13 || line == 14)) {
                    bits = 0xFF;
                }
                int column = x % 9;
                boolean on = column < 8 ? (bits << column & 0x80) != 0
                        : ch >= 0xC0 && ch <= 0xDF && (bits & 1) != 0;
                out[y * 720 + x] = 0xFF000000 | TEXT_COLOURS[on ? attr & 0x0F : attr >> 4 & 7];
            }
        }
        return out;
    }

    @Test
    void mode3ShowsNineDotCharactersFromPlaneTwoWithTheCursor() {
        Frame frame = PictureCheck.frame(vga, 0);
        assertEquals(720, frame.width());
        assertEquals(400, frame.height());
        assertArrayEquals(expected(true, 0), frame.pixels());
    }

    @Test
    void blinkingCharactersDisappearInTheOffPhaseAndTheCursorFollowsItsRegister() {
        port(0x3D4, 0x3D5, 0x0F, 81);
        Frame frame = PictureCheck.frame(vga, BLINK_OFF);
        assertArrayEquals(expected(false, 81), frame.pixels());
    }

    @Test
    void eightDotClockingMakesA640DotLine() {
        port(0x3C4, 0x3C5, 1, 0x01);
        Frame frame = PictureCheck.frame(vga, 0);
        assertEquals(640, frame.width());
        int ch = chars[1];
        int attr = attrs[1];
        int bits = font[ch][3] & 0xFF;
        for (int x = 0; x < 8; x++) {
            int colour = TEXT_COLOURS[(bits << x & 0x80) != 0 ? attr & 0x0F : attr >> 4 & 7];
            assertEquals(0xFF000000 | colour, frame.pixel(8 + x, 3), "dot " + x);
        }
    }

    @Test
    void eightLineCharactersGiveFiftyRows() {
        port(0x3D4, 0x3D5, 0x09, 0x47);
        Frame frame = PictureCheck.frame(vga, 0);
        assertEquals(400, frame.height());
        int cell = 80 * 49 + 3; // row 49: cell 3923, past the random screen: blank memory
        int ch = chars[80 * 10];
        int attr = attrs[80 * 10];
        int bits = font[ch][5] & 0xFF;
        assertEquals(0xFF000000 | TEXT_COLOURS[(bits & 0x80) != 0 ? attr & 0x0F : attr >> 4 & 7],
                PictureCheck.frame(vga, 0).pixel(0, 10 * 8 + 5));
        assertEquals(0xFF000000, frame.pixel(cell % 80 * 9, 49 * 8), "row 49 exists and shows blank memory");
    }
}
