package dev.strata.emulator.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryMapTest {

    /** Registers that answer their own name's first letter and record every access as "r|w offset size value". */
    static class Recorder implements MmioHandler {
        final List<String> log = new ArrayList<>();
        final int answer;

        Recorder(int answer) {
            this.answer = answer;
        }

        @Override
        public int read(int offset, int size) {
            log.add("r " + Integer.toHexString(offset) + " " + size);
            return answer;
        }

        @Override
        public void write(int offset, int size, int value) {
            log.add("w " + Integer.toHexString(offset) + " " + size + " " + Integer.toHexString(value));
        }
    }

    @Test
    void theHigherPriorityAnswersWhereRegionsOverlapAndTheLowerOneShowsAgainWhenItGoes() {
        MemoryMap map = new MemoryMap();
        Recorder low = new Recorder(0x11);
        Recorder high = new Recorder(0x22);
        map.add(MemoryRegion.mmio("low", 0x1000, MemoryRegion.BYTE, low), 0x10000, 0);
        MemoryMapping top = map.add(MemoryRegion.mmio("high", 0x100, MemoryRegion.BYTE, high), 0x10800, 1);
        assertEquals(0x11, map.read(0x107FF, 1));
        assertEquals(0x22, map.read(0x10800, 1));
        assertEquals(0x22, map.read(0x108FF, 1));
        assertEquals(0x11, map.read(0x10900, 1));
        assertEquals(List.of("r 0 1", "r ff 1"), high.log, "offsets are from the region's own start");
        map.remove(top);
        assertEquals(0x11, map.read(0x10800, 1));
        assertEquals("r 800 1", low.log.get(low.log.size() - 1));
    }

    @Test
    void ofEqualPrioritiesTheRegionMappedLastAnswers() {
        MemoryMap map = new MemoryMap();
        map.add(MemoryRegion.mmio("first", 0x100, MemoryRegion.BYTE, new Recorder(1)), 0x2000, 0);
        map.add(MemoryRegion.mmio("second", 0x100, MemoryRegion.BYTE, new Recorder(2)), 0x2080, 0);
        assertEquals(1, map.read(0x207F, 1));
        assertEquals(2, map.read(0x2080, 1));
        assertEquals("second", map.resolve(0x20FF).region().name());
        assertEquals(1, map.read(0x2100 - 0x81, 1));
    }

    @Test
    void anAccessThatHitsNothingIsOpenBusAndIsCounted() {
        MemoryMap map = new MemoryMap();
        assertNull(map.resolve(0xFEB00000L));
        assertEquals(0xFF, map.read(0xFEB00000, 1));
        assertEquals(0xFFFF, map.read(0xFEB00000, 2));
        assertEquals(-1, map.read(0xFEB00000, 4));
        map.write(0xFEB00000, 4, 0x12345678);
        assertEquals(3, map.openBusReads());
        assertEquals(1, map.openBusWrites());
    }

    @Test
    void anAccessStraddlingTwoRegionsReachesEachByteByByte() {
        MemoryMap map = new MemoryMap();
        Recorder a = new Recorder(0xAA);
        Recorder b = new Recorder(0xBB);
        map.add(MemoryRegion.mmio("a", 0x10, MemoryRegion.ANY_SIZE, a), 0x100, 0);
        map.add(MemoryRegion.mmio("b", 0x10, MemoryRegion.ANY_SIZE, b), 0x110, 0);
        assertEquals(0xBBBBAAAA, map.read(0x10E, 4));
        map.write(0x10F, 2, 0x1234);
        assertEquals(List.of("r e 1", "r f 1", "w f 1 34"), a.log);
        assertEquals(List.of("r 0 1", "r 1 1", "w 0 1 12"), b.log);
    }

    @Test
    void theFlatViewCoversTheWholeSpaceInAddressOrder() {
        MemoryMap map = new MemoryMap();
        MemoryRegion r = MemoryRegion.mmio("r", 0x1000, MemoryRegion.ANY_SIZE, new Recorder(0));
        map.add(r, 0xFEB00000L, MemoryMap.PRIORITY_PCI);
        List<MemoryMap.FlatRange> flat = map.flatRanges();
        assertEquals(3, flat.size());
        assertEquals(0, flat.get(0).start());
        assertNull(flat.get(0).mapping());
        assertSame(r, flat.get(1).mapping().region());
        assertEquals(0xFEB01000L, flat.get(2).start());
        assertEquals(1L << 32, flat.get(2).end());
    }

    @Test
    void aRegionThatDoesNotFitInFourGigabytesIsRefusedByName() {
        MemoryMap map = new MemoryMap();
        MemoryRegion r = MemoryRegion.mmio("ahci.abar", 0x2000, MemoryRegion.DWORD, new Recorder(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> map.add(r, 0xFFFFF000L, 0));
        assertTrue(e.getMessage().contains("ahci.abar"), e.getMessage());
        assertTrue(e.getMessage().contains("FFFFF000"), e.getMessage());
    }
}
