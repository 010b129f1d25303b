package dev.strata.bios;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.emulator.display.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Pictures drawn straight through the VGA's registers after a BIOS mode set, as games and demos draw: unchained
 * 256 colours (mode X) with page flipping and a split screen, chained 13h, the planar modes 0Dh, 0Eh, 10h and 12h
 * through write mode 2 and the bit mask, the CGA modes 04h and 06h as bytes in their interleaved memory;
 * and the BIOS's own character drawing and scrolling in a graphics mode. Frames are compared dot by dot with
 * pictures computed from the DAC, the attribute palette and the ROM font.
 */
class VgaRegisterDrawingTest {

    private final BiosTestPc pc = new BiosTestPc().post();

    private void setMode(int mode) {
        pc.runCode(5_000_000, new Code().ax(mode).intr(0x10).hlt().build());
    }

    private void port(int index, int value) {
        pc.vga.writePort(index & ~1, value >> 8);
        pc.vga.writePort(index | 1, value & 0xFF);
    }

    private int dacColour(int index) {
        int e = pc.vga.dacEntry(index);
        return 0xFF000000 | eight(e >> 12) << 16 | eight(e >> 6) << 8 | eight(e);
    }

    private int attributeColour(int value) {
        return dacColour(pc.vga.attributeRegister(value & 0x0F) & 0x3F);
    }

    private static int eight(int six) {
        six &= 0x3F;
        return six << 2 | six >> 4;
    }

    private static int modeXColour(int x, int y) {
        return (x * 7 + y * 13) & 0xFF;
    }

    @Test
    void unchainedModeXWithAMovedStartAndASplitScreen() {
        setMode(0x13);
        port(0x3C4, 0x0406); // chain-4 off
        port(0x3D4, 0x1400); // doubleword addressing off
        port(0x3D4, 0x17E3); // byte mode
        for (int y = 0; y < 240; y++) {
            for (int x = 0; x < 320; x++) {
                port(0x3C4, 0x0200 | 1 << (x & 3));
                pc.vga.writeMemory(0xA0000 + y * 80 + x / 4, modeXColour(x, y));
            }
        }
        port(0x3D4, 0x0C00 | (80 * 20) >> 8);
        port(0x3D4, 0x0D00 | (80 * 20) & 0xFF);
        port(0x3D4, 0x1800 | 0x2B); // line compare 299 (bit 8 stays set in the overflow register)
        port(0x3D4, 0x0901); // two scan lines a row, line compare bit 9 clear
        Frame frame = PictureCheck.frame(pc.vga);
        assertEquals(320, frame.width());
        assertEquals(200, frame.height());
        int[] expected = new int[320 * 200];
        for (int y = 0; y < 200; y++) {
            int row = y < 150 ? y + 20 : y - 150;
            for (int x = 0; x < 320; x++) {
                expected[y * 320 + x] = dacColour(modeXColour(x, row));
            }
        }
        assertArrayEquals(expected, frame.pixels());
    }

    @Test
    void chainedMode13hShowsEachByteAsADot() {
        setMode(0x13);
        for (int i = 0; i < 320 * 200; i++) {
            pc.memory.write8(0xA0000 + i, i * 5 / 3);
        }
        Frame frame = PictureCheck.frame(pc.vga);
        int[] expected = new int[320 * 200];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = dacColour((i * 5 / 3) & 0xFF);
        }
        assertArrayEquals(expected, frame.pixels());
    }

    /** Each EGA/VGA planar mode drawn dot by dot through write mode 2, the bit mask and the latches. */
    @ParameterizedTest(name = "mode {0}h: {1}x{2}")
    @CsvSource({"0D, 320, 200", "0E, 640, 200", "10, 640, 350", "12, 640, 480"})
    void planarModesThroughWriteModeTwoAndTheBitMask(String mode, int width, int height) {
        setMode(Integer.parseInt(mode, 16));
        int bytesPerLine = width / 8;
        port(0x3CE, 0x0502); // write mode 2
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                port(0x3CE, 0x0800 | 0x80 >> (x & 7));
                int address = 0xA0000 + y * bytesPerLine + x / 8;
                pc.vga.readMemory(address); // latch the byte's other dots
                pc.vga.writeMemory(address, (x / 8 + y / 16) & 0x0F);
            }
        }
        port(0x3CE, 0x0500);
        port(0x3CE, 0x08FF);
        Frame frame = PictureCheck.frame(pc.vga);
        assertEquals(width, frame.width());
        assertEquals(height, frame.height());
        int[] expected = new int[width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                expected[y * width + x] = attributeColour((x / 8 + y / 16) & 0x0F);
            }
        }
        assertArrayEquals(expected, frame.pixels());
    }

    /**
     * The CGA modes drawn as CGA programs draw them, bytes straight into B8000h: even lines in the first 8 KiB, odd
     * lines in the second; 04h packs four 2-bit dots a byte, 06h eight 1-bit dots, the leftmost in the high bits.
     */
    @ParameterizedTest(name = "mode {0}h: {1}x200, {2} bits a dot")
    @CsvSource({"04, 320, 2", "06, 640, 1"})
    void cgaModesFromBytesWrittenToTheirInterleavedMemory(String mode, int width, int bits) {
        setMode(Integer.parseInt(mode, 16));
        int perByte = 8 / bits;
        int mask = (1 << bits) - 1;
        for (int y = 0; y < 200; y++) {
            for (int column = 0; column < width / perByte; column++) {
                int b = 0;
                for (int i = 0; i < perByte; i++) {
                    b = b << bits | cgaDot(column * perByte + i, y, mask);
                }
                pc.memory.write8(0xB8000 + (y & 1) * 0x2000 + (y >> 1) * 80 + column, b);
            }
        }
        Frame frame = PictureCheck.frame(pc.vga);
        assertEquals(width, frame.width());
        assertEquals(200, frame.height());
        int[] expected = new int[width * 200];
        for (int y = 0; y < 200; y++) {
            for (int x = 0; x < width; x++) {
                expected[y * width + x] = cgaColour(cgaDot(x, y, mask));
            }
        }
        assertArrayEquals(expected, frame.pixels());
    }

    private static int cgaDot(int x, int y, int mask) {
        return (x / 3 + y / 5) & mask;
    }

    /** A CGA dot's colour: through plane enable, the attribute palette and colour select, then the DAC. */
    private int cgaColour(int value) {
        int index = pc.vga.attributeRegister(value & pc.vga.attributeRegister(0x12) & 0x0F) & 0x3F;
        return dacColour(index | (pc.vga.attributeRegister(0x14) >> 2 & 3) << 6);
    }

    @Test
    void biosCharactersAndScrollingInMode12h() {
        setMode(0x12);
        // 'S' in colour 0Eh at row 1, column 2; then the whole screen scrolls up one row.
        pc.runCode(1_000_000, new Code().ax(0x0200).bx(0).dx(0x0102).intr(0x10).ax(0x0953).bx(0x000E).cx(1)
                .intr(0x10).ax(0x0601).bx(0).cx(0).dx(0x1D4F).intr(0x10).hlt().build());
        Frame frame = PictureCheck.frame(pc.vga);
        byte[] font = RomFonts.font(16);
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 40; x++) {
                boolean on = y < 16 && x >= 16 && x < 24 && (font['S' * 16 + y] << (x - 16) & 0x80) != 0;
                assertEquals(attributeColour(on ? 0x0E : 0), frame.pixel(x, y), "dot " + x + "," + y);
            }
        }
    }
}
