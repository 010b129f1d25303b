package dev.strata.emulator.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.cpu.exception.CpuFault;
import dev.strata.emulator.cpu.paging.RamTlb;
import dev.strata.emulator.io.IoBus;
import dev.strata.emulator.memory.PhysicalMemory;
import org.junit.jupiter.api.Test;

/**
 * The limit check and the RAM TLB accesses on values given to them, which the CPU's accessors use and translated
 * loops call with values held in locals.
 */
class CpuLinearAccessTest {

    private static final int GP = 13, SS_FAULT = 12;

    @Test
    void theLimitCheckGivesTheLinearAddressOrTheFaultOfItsSegment() {
        // a 16-bit data segment at 20000h: offsets 0..FFFFh, a word at FFFFh overruns it
        assertEquals(0x2FFFE, Cpu.checkedLinear(0xFFFE, 0, 0xFFFF, 2, 0x20000, Cpu.DS));
        assertEquals(GP, assertThrows(CpuFault.class, () -> Cpu.checkedLinear(0xFFFF, 0, 0xFFFF, 2, 0x20000,
                Cpu.DS)).vector);
        assertEquals(SS_FAULT, assertThrows(CpuFault.class, () -> Cpu.checkedLinear(0xFFFF, 0, 0xFFFF, 2, 0x30000,
                Cpu.SS)).vector, "through SS: a stack fault");
        // expand-down (lo above 0): offsets below lo fault, a flat 4 GiB segment takes any that does not wrap
        assertEquals(GP, assertThrows(CpuFault.class, () -> Cpu.checkedLinear(0x0FFF, 0x1000, 0xEFFF, 1, 0,
                Cpu.ES)).vector);
        assertEquals(0xFFFFFFFC, Cpu.checkedLinear(0xFFFFFFFC, 0, 0xFFFFFFFFL, 4, 0, Cpu.DS));
        assertThrows(CpuFault.class, () -> Cpu.checkedLinear(0xFFFFFFFD, 0, 0xFFFFFFFFL, 4, 0, Cpu.DS));
    }

    @Test
    void accessesThroughTheRamTlbHitAfterTheFirstMissAndSplitAcrossPages() {
        PhysicalMemory mem = new PhysicalMemory(1 << 20);
        mem.setA20(true);
        Cpu c = new Cpu(mem, new IoBus());
        RamTlb t = c.ramTlb();
        int tag = RamTlb.tagBits(c.cpl);
        // the first access to a page misses (the CPU's slow path enters it), the next ones hit
        c.writeLinear32(t, tag, 0x12344, 0xCAFEF00D);
        assertTrue(t.write[0x12 & RamTlb.MASK] != 0, "the page entered for writes");
        c.writeLinear16(t, tag, 0x12348, 0xBEEF);
        c.writeLinear8(t, tag, 0x1234A, 0x7F);
        assertEquals(0xCAFEF00D, mem.read32(0x12344));
        assertEquals(0xCAFEF00D, c.readLinear32(t, tag, 0x12344));
        assertEquals(0xBEEF, c.readLinear16(t, tag, 0x12348));
        assertEquals(0x7F, c.readLinear8(t, tag, 0x1234A));
        assertEquals(0xF00D, c.readLinear16(t, tag, 0x12344), "a word zero-extended");
        assertEquals(0xCA, c.readLinear8(t, tag, 0x12347), "a byte zero-extended");
        // across two pages: always the slow path, which splits it
        c.writeLinear32(t, tag, 0x12FFE, 0x11223344);
        assertEquals(0x11223344, mem.read32(0x12FFE));
        assertEquals(0x11223344, c.readLinear32(t, tag, 0x12FFE));
    }
}
