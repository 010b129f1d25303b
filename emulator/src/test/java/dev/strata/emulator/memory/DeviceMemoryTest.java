package dev.strata.emulator.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Device memory (a frame buffer) mapped as a PCI BAR: the CPU's accesses reach its bytes as RAM's would. */
class DeviceMemoryTest {

    private static final int BAR = 0xFD000000;

    private final PhysicalMemory memory = new PhysicalMemory(1 << 20);
    private final DeviceMemory vram = new DeviceMemory(0x10000);
    private final MemoryMapping mapping = memory.map().add(MemoryRegion.mmio("lfb", vram), BAR & 0xFFFFFFFFL,
            MemoryMap.PRIORITY_PCI);

    @Test
    void theCpusAccessesOfEverySizeLandInTheBytesAndMoveTheWriteCount() {
        int before = vram.writeCount();
        memory.write32(BAR + 0x100, 0x11223344);
        memory.write16(BAR + 0x104, 0x5566);
        memory.write8(BAR + 0x106, 0x77);
        assertNotEquals(before, vram.writeCount());
        assertEquals(0x44, vram.bytesOrNull()[0x100]);
        assertEquals(0x77, vram.read(0x106, 1));
        assertEquals(0x11223344, memory.read32(BAR + 0x100));
        assertEquals(0x5566, memory.read16(BAR + 0x104));
        assertEquals(0x77, memory.read8(BAR + 0x106));
        vram.write(0x200, 4, 0xCAFEBABE);
        assertEquals(0xCAFEBABE, memory.read32(BAR + 0x200), "the device's own writes show to the CPU");
    }

    @Test
    void untilTheFirstWriteItReadsZerosAndHoldsNoArray() {
        assertEquals(0, memory.read32(BAR + 0x1000));
        assertEquals(0, memory.read8(BAR + 0xFFFF));
        assertNull(vram.bytesOrNull());
        assertEquals(0, vram.usedLength());
    }

    @Test
    void anAccessStraddlingTheRegionsEndReachesOpenBusForTheBytesOutside() {
        memory.write32(BAR + 0xFFFE, 0xAABBCCDD);
        assertEquals(0xCCDD, vram.read(0xFFFE, 2));
        assertEquals(0xFFFFCCDD, memory.read32(BAR + 0xFFFE), "the two bytes past the end are open bus");
    }

    @Test
    void aWindowMappedOverPartOfItKeepsItsOwnAccesses() {
        MemoryMapTest.Recorder registers = new MemoryMapTest.Recorder(0x5A);
        memory.map().add(MemoryRegion.mmio("regs", 0x1000, MemoryRegion.ANY_SIZE, registers),
                (BAR & 0xFFFFFFFFL) + 0x1000, MemoryMap.PRIORITY_OVERLAY);
        memory.write32(BAR + 0xFFC, 1);
        memory.write32(BAR + 0x1000, 2);
        memory.write32(BAR + 0x2000, 3);
        assertEquals(List.of("w 0 4 2"), registers.log);
        assertEquals(1, vram.read(0xFFC, 4));
        assertEquals(0, vram.read(0x1000, 4), "the registers took that write");
        assertEquals(3, vram.read(0x2000, 4));
        assertEquals(0x5A, memory.read32(BAR + 0x1000));
    }

    @Test
    void movingTheMappingMovesTheBytesAndTheOldPlaceBecomesOpenBus() {
        memory.write32(BAR + 8, 0x12345678);
        memory.map().remove(mapping);
        assertEquals(-1, memory.read32(BAR + 8));
        memory.write32(BAR + 8, 0);
        memory.map().add(MemoryRegion.mmio("lfb", vram), 0xE0000000L, MemoryMap.PRIORITY_PCI);
        assertEquals(0x12345678, memory.read32(0xE0000008));
        assertEquals(0x12345678, vram.read(8, 4), "the write to open bus did not reach the bytes");
    }

    @Test
    void stringRunsFillAndCopyItAsArrays() {
        int before = vram.writeCount();
        assertTrue(memory.fillForward(BAR + 0x1000, 1024, 0x00FF8040, 4));
        assertEquals(0x00FF8040, vram.read(0x1FFC, 4));
        assertNotEquals(before, vram.writeCount());
        memory.load(0x5000, new byte[] {1, 2, 3, 4});
        assertTrue(memory.copyForward(0x5000, BAR + 0x3000, 4), "RAM to the frame buffer");
        assertEquals(0x04030201, vram.read(0x3000, 4));
        assertTrue(memory.copyForward(BAR + 0x3000, BAR + 0x4000, 4), "within the frame buffer");
        assertTrue(memory.copyForward(BAR + 0x4000, 0x6000, 4), "the frame buffer to RAM");
        assertEquals(0x04030201, memory.read32(0x6000));
        assertFalse(memory.copyForward(BAR + 0x3000, BAR + 0x3002, 4), "an overlap just above replicates bytes");
        assertFalse(memory.fillForward(BAR + 0xFFFC, 2, 0, 4), "a run past the region's end");
    }

    @Test
    void theUsedLengthEndsAtTheLastByteThatIsNotZero() {
        vram.write(0x1234, 2, 0x0100);
        assertEquals(0x1236, vram.usedLength());
        vram.clear(0, 0x10000);
        assertEquals(0, vram.usedLength());
    }

    @Test
    void aSizeThatIsNotAMultipleOfFourKilobytesIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new DeviceMemory(1000));
    }
}
