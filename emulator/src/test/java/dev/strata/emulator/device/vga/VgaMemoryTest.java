package dev.strata.emulator.device.vga;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
