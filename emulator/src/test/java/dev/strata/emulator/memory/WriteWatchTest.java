package dev.strata.emulator.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WriteWatchTest {

    private final PhysicalMemory mem = new PhysicalMemory(1 << 20);
    private final List<String> heard = new ArrayList<>();
    private final WriteWatch watch = (p, n) -> heard.add(Integer.toHexString(p) + "/" + n);

    @Test
    void writesOfEverySizeToAWatchedPageAreHeardAndStillLand() {
        mem.watchPage(5, true, watch);
        mem.write8(0x5010, 0x12);
        mem.write16(0x5020, 0x3456);
        mem.write32(0x5030, 0x789ABCDE);
        assertEquals(List.of("5010/1", "5020/2", "5030/4"), heard);
        assertEquals(0x12, mem.read8(0x5010));
        assertEquals(0x3456, mem.read16(0x5020));
        assertEquals(0x789ABCDE, mem.read32(0x5030));
    }

    @Test
    void thePageWalkersAccessedAndDirtyBitWritesAreNotHeardButLand() {
        mem.watchPage(5, true, watch);
        mem.writeTableEntry(0x5000, 0x00456023);
        assertEquals(0x00456023, mem.read32(0x5000));
        assertTrue(heard.isEmpty(), heard.toString());
        mem.write32(0x5000, 0x00456063);
        assertEquals(List.of("5000/4"), heard, "an instruction's write is heard");
    }

    @Test
    void otherPagesStayOnTheFastPathAndAnUnwatchedPageGoesBack() {
        mem.watchPage(5, true, watch);
        mem.write32(0x6000, 1);
        assertTrue(heard.isEmpty());
        mem.watchPage(5, false, watch);
        assertFalse(mem.isCode(5), "no code there: writes take the fast path again");
        mem.write32(0x5000, 1);
        assertTrue(heard.isEmpty());
    }

    @Test
    void aWatchedPageKeepsTheSlowPathWhenItsCodeIsWrittenOrAllCodeIsDropped() {
        mem.watchPage(5, true, watch);
        mem.markCodeLines(5, 1L);
        mem.write8(0x5000, 1); // a write to code: the page forgets its code lines
        mem.clearCode();
        mem.write8(0x5800, 2);
        assertEquals(List.of("5000/1", "5800/1"), heard);
    }

    @Test
    void stringFillsIntoAWatchedPageAreHeard() {
        mem.watchPage(5, true, watch);
        assertTrue(mem.fillForward(0x5100, 4, 0xAB, 1));
        assertEquals(List.of("5100/4"), heard);
    }
}
