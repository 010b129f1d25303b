package dev.strata.bios;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.display.Frame;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Every INT 10h graphics mode drawn through the BIOS (AH=0Ch, read back with AH=0Dh) and the text modes with
 * Strata's fonts, each frame compared dot by dot with a picture computed here from the font, the attribute
 * palette and the DAC.
 */
class VideoModeRenderingTest {

    private static final int W = 40;
    private static final int H = 24;

    private final BiosTestPc pc = new BiosTestPc().post();

    private void setMode(int mode) {
        pc.runCode(5_000_000, new Code().ax(mode).intr(0x10).hlt().build());
    }

    /** Draws colour (x + 3y) AND mask in a W x H corner with INT 10h AH=0Ch, one call a dot. */
    private void drawCorner(int mask) {
        pc.runCode(10_000_000, new Code().b(0x31, 0xD2, 0x31, 0xC9, 0x89, 0xD0, 0x89, 0xC3, 0x01, 0xC0, 0x01, 0xD8,
                0x01, 0xC8, 0x24, mask, 0xB4, 0x0C, 0x31, 0xDB, 0xCD, 0x10, 0x41, 0x81, 0xF9, W, 0, 0x72, 0xE7, 0x42,
                0x81, 0xFA, H, 0, 0x72, 0xDE, 0xF4).build());
    }

    private int readPixel(int x, int y) {
        pc.runCode(1000, new Code().ax(0x0D00).bx(0).cx(x).dx(y).intr(0x10).hlt().build());
        return pc.ax() & 0xFF;
    }

    /** The colour a dot value shows: through plane enable, the attribute palette and colour select, then the DAC. */
    private int attributeColour(int value) {
        int mode = pc.vga.attributeRegister(0x10);
        int index = pc.vga.attributeRegister(value & pc.vga.attributeRegister(0x12) & 0x0F) & 0x3F;
        int select = pc.vga.attributeRegister(0x14);
        if ((mode & 0x80) != 0) {
            index = index & 0x0F | (select & 3) << 4;
        }
        return dacColour(index | (select >> 2 & 3) << 6);
    }

    private int dacColour(int index) {
        int e = pc.vga.dacEntry(index);
        return 0xFF000000 | eight(e >> 12) << 16 | eight(e >> 6) << 8 | eight(e);
    }

    private static int eight(int six) {
        six &= 0x3F;
        return six << 2 | six >> 4;
    }

    @ParameterizedTest(name = "mode {0}h: {1}x{2}")
    @CsvSource({"04, 320, 200, 3", "06, 640, 200, 1", "0D, 320, 200, 15", "0E, 640, 200, 15", "10, 640, 350, 15",
        "12, 640, 480, 15", "13, 320, 200, 255"})
    void graphicsModeShowsTheDotsTheBiosDrew(String mode, int width, int height, int mask) {
        int number = Integer.parseInt(mode, 16);
        setMode(number);
        assertEquals(number, pc.memory.read8(0x449));
        drawCorner(mask);
        assertEquals((7 + 3 * 5) & mask, readPixel(7, 5));
        assertEquals((W - 1 + 3 * (H - 1)) & mask, readPixel(W - 1, H - 1));
        assertEquals(0, readPixel(W, 0));
        Frame frame = PictureCheck.frame(pc.vga);
        assertEquals(width, frame.width());
        assertEquals(height, frame.height());
        int[] expected = new int[width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int value = x < W && y < H ? (x + 3 * y) & mask : 0;
                expected[y * width + x] = number == 0x13 ? dacColour(value) : attributeColour(value);
            }
        }
        assertArrayEquals(expected, frame.pixels());
    }

    @Test
    void textModeShowsStrataFontLoadedAtModeSet() {
        setMode(0x03);
        pc.runCode(1000, new Code().ax(0x0100).cx(0x2000).intr(0x10).hlt().build()); // hide the cursor
        checkText(16, 25);
    }

    @Test
    void eightByEightFontGivesFiftyRowsDrawnWithIt() {
        setMode(0x03);
        pc.runCode(1_000_000, new Code().ax(0x1112).bx(0).intr(0x10).ax(0x0100).cx(0x2000).intr(0x10).hlt().build());
        assertEquals(49, pc.memory.read8(0x484));
        checkText(8, 50);
    }

    @Test
    void eightByFourteenFontGivesTwentyEightRows() {
        setMode(0x03);
        pc.runCode(1_000_000, new Code().ax(0x1111).bx(0).intr(0x10).ax(0x0100).cx(0x2000).intr(0x10).hlt().build());
        assertEquals(27, pc.memory.read8(0x484));
        checkText(14, 28);
    }

    @Test
    void fortyColumnTextShowsEachDotTwiceAsWide() {
        setMode(0x01);
        pc.runCode(1000, new Code().ax(0x0100).cx(0x2000).intr(0x10).hlt().build()); // hide the cursor
        checkText(16, 25, 40);
    }

    @Test
    void monochromeTextUnderlinesForegroundOneAndShowsIntensity() {
        setMode(0x07);
        pc.runCode(1000, new Code().ax(0x0100).cx(0x2000).intr(0x10).hlt().build()); // hide the cursor
        checkText(14, 25, 80, 0xB0000, 350);
    }

    private void checkText(int height, int rows) {
        checkText(height, rows, 80);
    }

    private void checkText(int height, int rows, int columns) {
        checkText(height, rows, columns, 0xB8000, 400);
    }

    /**
     * Fills the screen at {@code base} with every character in varied colours (no blink) and compares the 720-dot
     * wide frame (40 columns of 9 dots, each dot two wide, or 80 of 9); with monochrome attributes foreground 1 on
     * background 0 is underlined on the CRTC's underline row.
     */
    private void checkText(int height, int rows, int columns, int base, int frameHeight) {
        int dotWidth = 80 / columns;
        for (int i = 0; i < columns * rows; i++) {
            pc.memory.write8(base + i * 2, i & 0xFF);
            pc.memory.write8(base + 1 + i * 2, (i * 7 + i / 80) & 0x7F);
        }
        boolean monochrome = (pc.vga.attributeRegister(0x10) & 0x02) != 0;
        int underlineRow = pc.vga.crtcRegister(0x14) & 0x1F;
        byte[] font = RomFonts.font(height);
        Frame frame = PictureCheck.frame(pc.vga);
        assertEquals(720, frame.width());
        assertEquals(frameHeight, frame.height());
        int[] expected = new int[720 * frameHeight];
        for (int y = 0; y < rows * height; y++) {
            for (int x = 0; x < 720; x++) {
                int dot = x / dotWidth;
                int cell = y / height * columns + dot / 9;
                int ch = cell & 0xFF;
                int attr = (cell * 7 + cell / 80) & 0x7F;
                int bits = font[ch * height + y % height] & 0xFF;
                if (monochrome && (attr & 0x77) == 0x01 && y % height == underlineRow) {
                    bits = 0xFF;
                }
                int column = dot % 9;
                boolean on = column < 8 ? (bits << column & 0x80) != 0 : ch >= 0xC0 && ch <= 0xDF && (bits & 1) != 0;
                expected[y * 720 + x] = attributeColour(on ? attr & 0x0F : attr >> 4);
            }
        }
        for (int y = rows * height; y < frameHeight; y++) {
            for (int x = 0; x < 720; x++) {
                expected[y * 720 + x] = frame.pixel(x, y); // below the last whole row: what the CRTC shows there
            }
        }
        assertArrayEquals(expected, frame.pixels());
    }

    @ParameterizedTest(name = "BH={0}: 8x{1}")
    @CsvSource({"2, 14", "3, 8", "6, 16"})
    void fontPointersReachTheRomFonts(int bh, int height) {
        pc.runCode(1000, new Code().ax(0x1130).bx(bh << 8).intr(0x10).hlt().build());
        int address = (pc.cpu.seg[Cpu.ES].selector << 4) + (pc.cpu.r[Cpu.EBP] & 0xFFFF);
        byte[] font = RomFonts.font(height);
        for (int i = 0; i < font.length; i++) {
            assertEquals(font[i] & 0xFF, pc.memory.read8(address + i), "byte " + i);
        }
    }
}
