package dev.strata.emulator.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReadWatchTest {

    private final PhysicalMemory mem = new PhysicalMemory(1 << 20);
    private final List<String> heard = new ArrayList<>();
    private final ReadWatch watch = (p, n) -> heard.add(Integer.toHexString(p) + "/" + n);

    @Test
    void readsOfEverySizeFromAWatchedPageAreHeardAndReadWhatIsThere() {
        mem.write32(0x5030, 0x789ABCDE);
        mem.watchReads(5, true, watch);
        assertEquals(0xDE, mem.read8(0x5030));
        assertEquals(0xBCDE, mem.read16(0x5030));
        assertEquals(0x789ABCDE, mem.read32(0x5030));
        assertEquals(0, mem.read32(0x5ffe) >>> 16, "a read across the page end is split, each part heard");
        assertEquals(List.of("5030/1", "5030/2", "5030/4", "5ffe/2"), heard);
    }

    @Test
    void thePageWalkersTableReadsAreNotHeardButReadWhatIsThere() {
        mem.write32(0x5ffc, 0x00123007);
        mem.write32(0x5000, 0x00456003);
        mem.watchReads(5, true, watch);
        assertEquals(0x00123007, mem.readTableEntry(0x5ffc));
        assertEquals(0x00456003, mem.readTableEntry(0x5000));
        assertEquals(0, mem.readTableEntry(0x5800), "an entry never written reads as zero");
        assertTrue(heard.isEmpty(), heard.toString());
        mem.watchReads(5, false, watch);
        assertEquals(0x00456003, mem.readTableEntry(0x5000));
    }

    @Test
    void otherPagesReadAsBeforeAndAnUnwatchedPageIsNoLongerHeard() {
        mem.write8(0x6000, 7);
        mem.watchReads(5, true, watch);
        assertEquals(7, mem.read8(0x6000));
        assertTrue(heard.isEmpty());
        mem.watchReads(5, false, watch);
        mem.read32(0x5000);
        assertTrue(heard.isEmpty());
    }

    @Test
    void aStringMoveFromAWatchedPageGoesElementByElementSoItsReadsAreHeard() {
        mem.watchReads(5, true, watch);
        assertFalse(mem.copyForward(0x5100, 0x7000, 16), "the caller moves it through the read path");
        assertTrue(mem.copyForward(0x6100, 0x7000, 16), "from a page nobody watches: one copy");
    }

    @Test
    void readsKeepBeingHeardWhenRamGrowsOrIsReplaced() {
        mem.watchReads(5, true, watch);
        mem.write8(0xF0000, 1); // above the first allocation: RAM grows
        mem.read8(0x5000);
        byte[] image = new byte[1 << 20];
        image[0x5001] = 9;
        mem.replaceRam(image);
        assertEquals(9, mem.read8(0x5001));
        assertEquals(List.of("5000/1", "5001/1"), heard);
    }
}
