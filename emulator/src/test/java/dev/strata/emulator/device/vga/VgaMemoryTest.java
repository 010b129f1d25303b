package dev.strata.emulator.device.vga;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.clock.VirtualClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The graphics controller's write modes 0-3 and read modes 0-1, with the latches, in a planar (mode 12h) layout. */
class VgaMemoryTest {

    private final VgaDevice vga = new VgaDevice(new VirtualClock());

    private void seq(int index, int value) {
        vga.writePort(0x3C4, index);
        vga.writePort(0x3C5, value);
    }

    private void gc(int index, int value) {
        vga.writePort(0x3CE, index);
        vga.writePort(0x3CF, value);
    }

    private int plane(int p, int offset) {
        gc(4, p);
        return vga.readMemory(0xA0000 + offset);
    }

    /** Puts one byte in each plane at {@code offset} through map mask writes in plain write mode 0. */
    private void fill(int offset, int p0, int p1, int p2, int p3) {
        int[] values = {p0, p1, p2, p3};
        for (int p = 0; p < 4; p++) {
            seq(2, 1 << p);
            vga.writeMemory(0xA0000 + offset, values[p]);
        }
        seq(2, 0x0F);
    }

    @BeforeEach
    void planarGraphics() {
        seq(2, 0x0F);
        seq(4, 0x06); // no chain-4, no odd/even
        gc(5, 0x00);
        gc(6, 0x05); // graphics, A0000h 64 KiB
        gc(8, 0xFF);
    }

    @Test
    void writeModeZeroRotatesCombinesWithTheLatchesAndKeepsMaskedBits() {
        fill(0x10, 0xF0, 0x0F, 0xAA, 0x55);
        vga.readMemory(0xA0010); // load the latches
        gc(3, 0x08 | 4); // AND, rotate right by 4
        gc(8, 0x3C);
        vga.writeMemory(0xA0010, 0xFF);
        gc(3, 0);
        gc(8, 0xFF);
        assertEquals(0xF0 & 0xC3 | 0xF0 & 0x3C, plane(0, 0x10));
        assertEquals(0x0F & 0xC3 | 0x0F & 0x3C, plane(1, 0x10));
        seq(2, 0x0F);
        vga.readMemory(0xA0010);
        gc(3, 0x18); // XOR
        vga.writeMemory(0xA0010, 0x0F);
        gc(3, 0);
        assertEquals(0xAA ^ 0x0F, plane(2, 0x10));
        assertEquals(0x55 ^ 0x0F, plane(3, 0x10));
    }

    @Test
    void writeModeZeroSetResetFillsEnabledPlanesFromTheSetResetRegister() {
        gc(0, 0x05);
        gc(1, 0x07); // planes 0-2 from set/reset, plane 3 from the CPU byte
        vga.writeMemory(0xA0020, 0x81);
        gc(1, 0);
        assertEquals(0xFF, plane(0, 0x20));
        assertEquals(0x00, plane(1, 0x20));
        assertEquals(0xFF, plane(2, 0x20));
        assertEquals(0x81, plane(3, 0x20));
    }

    @Test
    void writeModeOneCopiesTheLatchesToAnotherAddress() {
        fill(0x30, 0x12, 0x34, 0x56, 0x78);
        gc(5, 0x01);
        vga.readMemory(0xA0030);
        vga.writeMemory(0xA0040, 0x00);
        gc(5, 0x00);
        assertEquals(0x12, plane(0, 0x40));
        assertEquals(0x34, plane(1, 0x40));
        assertEquals(0x56, plane(2, 0x40));
        assertEquals(0x78, plane(3, 0x40));
    }

    @Test
    void writeModeTwoSpreadsTheColourOverTheBitMask() {
        fill(0x50, 0x00, 0xFF, 0x00, 0xFF);
        vga.readMemory(0xA0050);
        gc(5, 0x02);
        gc(8, 0x18); // two pixels in the middle
        vga.writeMemory(0xA0050, 0x05); // colour 5: planes 0 and 2
        gc(5, 0x00);
        gc(8, 0xFF);
        assertEquals(0x18, plane(0, 0x50));
        assertEquals(0xE7, plane(1, 0x50));
        assertEquals(0x18, plane(2, 0x50));
        assertEquals(0xE7, plane(3, 0x50));
    }

    @Test
    void writeModeThreeUsesTheRotatedCpuByteAsBitMaskAndSetResetAsColour() {
        fill(0x60, 0x00, 0x00, 0xFF, 0xFF);
        vga.readMemory(0xA0060);
        gc(5, 0x03);
        gc(0, 0x03); // colour 3
        gc(8, 0xF0); // ANDed with the CPU byte
        gc(3, 1); // rotate right by one: 0x3C becomes 0x1E
        vga.writeMemory(0xA0060, 0x3C);
        gc(5, 0x00);
        gc(3, 0);
        gc(8, 0xFF);
        assertEquals(0x10, plane(0, 0x60));
        assertEquals(0x10, plane(1, 0x60));
        assertEquals(0xEF, plane(2, 0x60));
        assertEquals(0xEF, plane(3, 0x60));
    }

    @Test
    void readModeZeroReturnsTheSelectedPlane() {
        fill(0x70, 0x11, 0x22, 0x33, 0x44);
        gc(4, 2);
        assertEquals(0x33, vga.readMemory(0xA0070));
        gc(4, 3);
        assertEquals(0x44, vga.readMemory(0xA0070));
    }

    @Test
    void readModeOneComparesEveryCaredPlaneWithTheCompareColour() {
        // Pixels, left to right: colours 0xF, 0x5, 0x5, 0x4, 0x1, 0x5, 0x0, 0xD.
        fill(0x80, 0b11101101, 0b10000000, 0b11110101, 0b10000001);
        gc(5, 0x08);
        gc(2, 0x05);
        gc(7, 0x0F);
        assertEquals(0b01100100, vga.readMemory(0xA0080));
        gc(7, 0x05); // planes 1 and 3 do not matter: colours 5, 7, D and F all match
        assertEquals(0b11100101, vga.readMemory(0xA0080));
        gc(7, 0x00);
        assertEquals(0xFF, vga.readMemory(0xA0080), "no plane cared about: everything matches");
    }

    @Test
    void chainFourSpreadsConsecutiveBytesOverThePlanes() {
        seq(4, 0x0E);
        for (int i = 0; i < 8; i++) {
            vga.writeMemory(0xA0000 + i, 0x40 + i);
        }
        assertEquals(0x43, vga.readMemory(0xA0003));
        seq(4, 0x06);
        assertEquals(0x40, plane(0, 0));
        assertEquals(0x45, plane(1, 4));
        assertEquals(0x47, plane(3, 4));
    }

    @Test
    void aFillStoresWhatItsBytesOneByOneWouldInPlanarAndOddEvenLayouts() {
        VgaDevice bytewise = new VgaDevice(new VirtualClock());
        int[][] planar = {{0x3C4, 4}, {0x3C5, 0x06}, {0x3CE, 5}, {0x3CF, 0}, {0x3CE, 6}, {0x3CF, 0x05}, {0x3CE, 8},
            {0x3CF, 0xFF}};
        for (int[] port : planar) {
            bytewise.writePort(port[0], port[1]); // as planarGraphics() set this test's own VGA
        }
        for (VgaDevice v : new VgaDevice[] {vga, bytewise}) {
            v.writePort(0x3C4, 2);
            v.writePort(0x3C5, 0x0B); // planes 0, 1 and 3
        }
        int before = vga.changeCount();
        assertTrue(vga.fillMemory(0xA0010, 4, 0x100, 0x11223344));
        for (int k = 0; k < 0x400; k++) {
            bytewise.writeMemory(0xA0010 + k, 0x11223344 >>> 8 * (k % 4));
        }
        assertPlanesEqual(bytewise, 0xA0000, 0x500);
        assertTrue(vga.changeCount() != before, "the picture may have changed");
        assertTrue(vga.fillMemory(0xA0402, 4, 0x20, 0x77777777)); // one byte everywhere: the planes' arrays filled
        for (int k = 0; k < 0x80; k++) {
            bytewise.writeMemory(0xA0402 + k, 0x77);
        }
        assertPlanesEqual(bytewise, 0xA0000, 0x500);

        for (VgaDevice v : new VgaDevice[] {vga, bytewise}) {
            v.writePort(0x3C4, 4);
            v.writePort(0x3C5, 0x02); // odd/even, as in text modes
            v.writePort(0x3CE, 6);
            v.writePort(0x3CF, 0x0E); // B8000h, odd/even
            v.writePort(0x3C4, 2);
            v.writePort(0x3C5, 0x03);
        }
        assertTrue(vga.fillMemory(0xB8002, 2, 0x80, 0x0720));
        for (int k = 0; k < 0x100; k++) {
            bytewise.writeMemory(0xB8002 + k, k % 2 == 0 ? 0x20 : 0x07);
        }
        assertPlanesEqual(bytewise, 0xB8000, 0x200);
        for (VgaDevice v : new VgaDevice[] {vga, bytewise}) {
            v.writePort(0x3C4, 4);
            v.writePort(0x3C5, 0x02); // back to odd/even (the comparison read planar)
            v.writePort(0x3C4, 2);
            v.writePort(0x3C5, 0x0F); // all four planes
        }
        assertTrue(vga.fillMemory(0xB8101, 2, 0x10, 0x1E41)); // from an odd address: byte by byte
        assertTrue(vga.fillMemory(0xB8140, 2, 0x10, 0x1E42));
        for (int k = 0; k < 0x20; k++) {
            bytewise.writeMemory(0xB8101 + k, k % 2 == 0 ? 0x41 : 0x1E);
            bytewise.writeMemory(0xB8140 + k, k % 2 == 0 ? 0x42 : 0x1E);
        }
        assertPlanesEqual(bytewise, 0xB8000, 0x200);

        int[][] chained = {{0x3C4, 4}, {0x3C5, 0x0E}, {0x3CE, 6}, {0x3CF, 0x05}, {0x3C4, 2}, {0x3C5, 0x0F}};
        for (VgaDevice v : new VgaDevice[] {vga, bytewise}) {
            for (int[] port : chained) {
                v.writePort(port[0], port[1]); // chain-4, as mode 13h
            }
        }
        assertTrue(vga.fillMemory(0xA0101, 1, 0x33, 0x5A));
        for (int k = 0; k < 0x33; k++) {
            bytewise.writeMemory(0xA0101 + k, 0x5A);
        }
        assertPlanesEqual(bytewise, 0xA0000, 0x200);

        for (VgaDevice v : new VgaDevice[] {vga, bytewise}) {
            for (int[] port : planar) {
                v.writePort(port[0], port[1]);
            }
            v.writePort(0x3CE, 8);
            v.writePort(0x3CF, 0x3C); // a bit mask: the latches fill the other bits
            v.readMemory(0xA0300); // loads them
        }
        assertTrue(vga.fillMemory(0xA0200, 2, 0x40, 0xC3A5));
        for (int k = 0; k < 0x80; k++) {
            bytewise.writeMemory(0xA0200 + k, k % 2 == 0 ? 0xA5 : 0xC3);
        }
        assertPlanesEqual(bytewise, 0xA0000, 0x400);
    }

    @Test
    void aBlockWriteStoresWhatItsBytesOneByOneWould() {
        VgaDevice bytewise = new VgaDevice(new VirtualClock());
        byte[] glyphs = new byte[0x300];
        for (int k = 0; k < glyphs.length; k++) {
            glyphs[k] = (byte) (k * 7 + 3);
        }
        int[][] plane2 = {{0x3C4, 2}, {0x3C5, 0x04}, {0x3C4, 4}, {0x3C5, 0x07}, {0x3CE, 5}, {0x3CF, 0}, {0x3CE, 6},
            {0x3CF, 0x04}, {0x3CE, 8}, {0x3CF, 0xFF}};
        for (VgaDevice v : new VgaDevice[] {vga, bytewise}) {
            for (int[] port : plane2) {
                v.writePort(port[0], port[1]); // as the BIOS opens plane 2 to load a font
            }
        }
        int before = vga.changeCount();
        assertTrue(vga.writeMemoryBytes(0xA0020, glyphs, 0x10, 0x2E0));
        for (int k = 0; k < 0x2E0; k++) {
            bytewise.writeMemory(0xA0020 + k, glyphs[0x10 + k]);
        }
        assertPlanesEqual(bytewise, 0xA0000, 0x400);
        assertTrue(vga.changeCount() != before, "the picture may have changed");

        for (VgaDevice v : new VgaDevice[] {vga, bytewise}) {
            v.writePort(0x3CE, 8);
            v.writePort(0x3CF, 0x81); // a bit mask: not plain, byte by byte
        }
        assertTrue(vga.writeMemoryBytes(0xA0100, glyphs, 0, 0x40));
        for (int k = 0; k < 0x40; k++) {
            bytewise.writeMemory(0xA0100 + k, glyphs[k]);
        }
        assertPlanesEqual(bytewise, 0xA0000, 0x400);
    }

    /** Both VGAs read the same bytes from every plane at {@code base} + 0 .. {@code length} (read mode 0). */
    private void assertPlanesEqual(VgaDevice other, int base, int length) {
        for (VgaDevice v : new VgaDevice[] {vga, other}) {
            v.writePort(0x3C4, 4);
            v.writePort(0x3C5, 0x06); // plain planar reads
        }
        for (int p = 0; p < 4; p++) {
            for (VgaDevice v : new VgaDevice[] {vga, other}) {
                v.writePort(0x3CE, 4);
                v.writePort(0x3CF, p);
            }
            for (int offset = 0; offset < length; offset++) {
                assertEquals(other.readMemory(base + offset), vga.readMemory(base + offset),
                        "plane " + p + " at " + Integer.toHexString(base + offset));
            }
        }
    }
}
