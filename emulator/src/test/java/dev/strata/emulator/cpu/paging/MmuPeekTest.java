package dev.strata.emulator.cpu.paging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.cpu.ProtectedModeMachine;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The debugger's view of paging: a lookup that neither faults nor marks page-table entries accessed; and the page
 * walker's own reads, which a debugger's read watchpoint does not hear (they have no linear address).
 */
class MmuPeekTest {

    @Test
    void peekTranslatesWithoutSettingAccessedBitsOrFaulting() {
        ProtectedModeMachine p = new ProtectedModeMachine().withPageTables();
        p.m.mem.write32(0x10008, 0x00800000 | 0x87); // a 4 MiB page at 800000h (with CR4.PSE)
        p.cpu.cr3 = 0x10000;
        p.cpu.cr4 = 0x10;
        assertEquals(0x180123L, p.cpu.mmu.peek(0x400123));
        assertEquals(0x12000 | 7, p.m.mem.read32(0x10004), "the directory entry is not marked accessed");
        assertEquals(0x180000 | 7, p.m.mem.read32(0x12000), "nor the table entry");
        assertEquals(-1L, p.cpu.mmu.peek(0x401000), "a page that is not present");
        assertEquals(-1L, p.cpu.mmu.peek(0x00C00000), "a directory entry that is not present");
        assertEquals(0x00812345L, p.cpu.mmu.peek(0x00812345));
        assertEquals(0, p.cpu.cr2, "no page fault");
    }

    @Test
    void aPageWalkDoesNotTriggerAReadWatchOnThePageTablesButAnInstructionsReadDoes() {
        ProtectedModeMachine p = new ProtectedModeMachine().withPageTables();
        p.cpu.cr3 = 0x10000;
        List<Integer> heard = new ArrayList<>();
        p.m.mem.watchReads(0x10, true, (physical, n) -> heard.add(physical));
        p.m.mem.watchReads(0x12, true, (physical, n) -> heard.add(physical));
        assertEquals(0x180123, p.cpu.mmu.translate(0x400123, false, false));
        assertTrue(heard.isEmpty(), "the walk read the directory and the table unheard: " + heard);
        assertEquals(0x180000 | 0x27, p.m.mem.read32(0x12000), "an instruction's read of the entry (accessed now)");
        assertEquals(List.of(0x12000), heard);
    }
}
