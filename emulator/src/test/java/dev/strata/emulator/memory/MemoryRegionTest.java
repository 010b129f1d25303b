package dev.strata.emulator.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryRegionTest {

    /** A register file of 16 bytes that records accesses and answers with bytes 0x10 + offset. */
    private static final class Bytes extends MemoryMapTest.Recorder {
        Bytes() {
            super(0);
        }

        @Override
        public int read(int offset, int size) {
            super.read(offset, size);
            int v = 0;
            for (int i = 0; i < size; i++) {
                v |= (0x10 + offset + i) << (8 * i);
            }
            return v;
        }
    }

    @Test
    void aByteWideRegionSeesAWordAccessAsTwoBytes() {
        Bytes regs = new Bytes();
        MemoryRegion r = MemoryRegion.mmio("vga", 16, MemoryRegion.BYTE, regs);
        assertEquals(0x13121110, r.read(0, 4));
        r.write(4, 2, 0xBEEF);
        assertEquals(List.of("r 0 1", "r 1 1", "r 2 1", "r 3 1", "w 4 1 ef", "w 5 1 be"), regs.log);
    }

    @Test
    void aDwordRegionAnswersAByteReadFromTheDwordAroundIt() {
        Bytes regs = new Bytes();
        MemoryRegion r = MemoryRegion.mmio("ahci", 16, MemoryRegion.DWORD, regs);
        assertEquals(0x16, r.read(6, 1));
        assertEquals(0x1716, r.read(6, 2));
        assertEquals(List.of("r 4 4", "r 4 4"), regs.log);
    }

    @Test
    void aNarrowWriteToADwordRegionSendsZerosInTheOtherBytesNotAReadBack() {
        Bytes regs = new Bytes();
        MemoryRegion r = MemoryRegion.mmio("ahci", 16, MemoryRegion.DWORD, regs);
        r.write(9, 1, 0xAB);
        r.write(10, 2, 0x1234);
        assertEquals(List.of("w 8 4 ab00", "w 8 4 12340000"), regs.log,
                "no read-modify-write: it would clear write-one-to-clear bits beside the byte written");
    }

    @Test
    void anUnalignedDwordIsSplitAlongTheNativeSize() {
        Bytes regs = new Bytes();
        MemoryRegion r = MemoryRegion.mmio("ahci", 16, MemoryRegion.DWORD, regs);
        assertEquals(0x15141312, r.read(2, 4));
        assertEquals(List.of("r 0 4", "r 4 4"), regs.log);
    }

    @Test
    void nativeSizesGoThroughUnchanged() {
        Bytes regs = new Bytes();
        MemoryRegion r = MemoryRegion.mmio("any", 16, MemoryRegion.ANY_SIZE, regs);
        r.read(8, 4);
        r.read(3, 1);
        r.write(2, 2, 0x5555);
        assertEquals(List.of("r 8 4", "r 3 1", "w 2 2 5555"), regs.log);
    }

    @Test
    void romIgnoresWrites() {
        byte[] image = {1, 2, 3, 4};
        MemoryRegion rom = MemoryRegion.rom("bios", image);
        rom.write(0, 4, 0);
        assertEquals(0x04030201, rom.read(0, 4));
    }

    @Test
    void declaringNoAccessSizeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> MemoryRegion.mmio("x", 4, 0, new Bytes()));
        assertThrows(IllegalArgumentException.class, () -> MemoryRegion.mmio("x", 0, MemoryRegion.BYTE, new Bytes()));
    }
}
