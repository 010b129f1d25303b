package dev.strata.emulator.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PhysicalMemoryTest {

    @Test
    void multiByteAccessIsLittleEndian() {
        PhysicalMemory m = new PhysicalMemory(1 << 20);
        m.write32(0x100, 0x11223344);
        assertEquals(0x44, m.read8(0x100));
        assertEquals(0x3344, m.read16(0x100));
        assertEquals(0x11223344, m.read32(0x100));
    }

    @Test
    void accessesAcrossAPageBoundaryWork() {
        PhysicalMemory m = new PhysicalMemory(1 << 20);
        m.write32(0xFFE, 0xAABBCCDD);
        assertEquals(0xCCDD, m.read16(0xFFE));
        assertEquals(0xAABB, m.read16(0x1000));
        assertEquals(0xAABBCCDD, m.read32(0xFFE));
    }

    @Test
    void a20OffWrapsAtOneMegabyte() {
        PhysicalMemory m = new PhysicalMemory(2 << 20);
        m.setA20(false);
        m.write8(0x100010, 0x42);
        assertEquals(0x42, m.read8(0x10));
        m.setA20(true);
        assertEquals(0, m.read8(0x100010));
        m.write8(0x100010, 0x43);
        assertEquals(0x42, m.read8(0x10));
    }

    @Test
    void beyondRamReadsAllOnesAndDropsWrites() {
        PhysicalMemory m = new PhysicalMemory(1 << 20);
        m.write16(0x200000, 0x1234);
        assertEquals(0xFFFF, m.read16(0x200000));
        assertEquals(-1, m.read32(0x300000));
    }

    @Test
    void writesToCodePagesNotifyOnceUntilMarkedAgain() {
        PhysicalMemory m = new PhysicalMemory(1 << 20);
        List<Integer> pages = new ArrayList<>();
        m.setCodeWriteListener(new CodeWriteListener() {
            @Override
            public void codePageWritten(int page) {
                pages.add(page);
            }
        });
        m.markCode(3);
        assertTrue(m.isCode(3));
        m.write16(0x3010, 1);
        m.write32(0x3020, 1);
        m.write8(0x4000, 1);
        assertEquals(List.of(3), pages);
        assertFalse(m.isCode(3));
    }

    @Test
    void ramSizeMustBePageAligned() {
        assertThrows(IllegalArgumentException.class, () -> new PhysicalMemory(1000));
    }

    @Test
    void togglingA20TellsTheListener() {
        PhysicalMemory m = new PhysicalMemory(2 << 20);
        int[] changes = new int[1];
        m.setCodeWriteListener(new CodeWriteListener() {
            @Override
            public void codePageWritten(int page) {
            }

            @Override
            public void mappingChanged() {
                changes[0]++;
            }
        });
        m.setA20(false);
        m.setA20(false);
        m.setA20(true);
        assertEquals(2, changes[0]);
    }
}
