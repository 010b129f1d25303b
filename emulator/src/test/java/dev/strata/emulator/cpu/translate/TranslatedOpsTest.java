package dev.strata.emulator.cpu.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.exception.CpuFault;
import dev.strata.emulator.cpu.paging.RamTlb;
import dev.strata.emulator.io.IoBus;
import dev.strata.emulator.memory.PhysicalMemory;
import org.junit.jupiter.api.Test;

/** The memory helpers a loop's translation calls on values it holds in locals do what the CPU's accessors do. */
class TranslatedOpsTest {

    private static final int GP = 13, SS_FAULT = 12;

    @Test
    void theSegmentCheckOnLocalsGivesTheLinearAddressOrTheFaultTheCpuGives() {
        // a 16-bit data segment at 20000h: offsets 0..FFFFh, a word at FFFFh overruns it
        assertEquals(0x2FFFE, TranslatedOps.linear(0xFFFE, 0, 0xFFFF, 2, 0x20000, Cpu.DS));
        assertEquals(GP, assertThrows(CpuFault.class, () -> TranslatedOps.linear(0xFFFF, 0, 0xFFFF, 2, 0x20000,
                Cpu.DS)).vector);
        assertEquals(SS_FAULT, assertThrows(CpuFault.class, () -> TranslatedOps.linear(0xFFFF, 0, 0xFFFF, 2, 0x30000,
                Cpu.SS)).vector, "through SS: a stack fault");
        // expand-down (lo above 0): offsets below lo fault, a flat 4 GiB segment takes any that does not wrap
        assertEquals(GP, assertThrows(CpuFault.class, () -> TranslatedOps.linear(0x0FFF, 0x1000, 0xEFFF, 1, 0,
                Cpu.ES)).vector);
        assertEquals(0xFFFFFFFC, TranslatedOps.linear(0xFFFFFFFC, 0, 0xFFFFFFFFL, 4, 0, Cpu.DS));
        assertThrows(CpuFault.class, () -> TranslatedOps.linear(0xFFFFFFFD, 0, 0xFFFFFFFFL, 4, 0, Cpu.DS));
    }

    @Test
    void accessesThroughTheRamTlbGiveAndKeepWhatTheCpuAccessorsDo() {
        PhysicalMemory mem = new PhysicalMemory(1 << 20);
        mem.setA20(true);
        Cpu c = new Cpu(mem, new IoBus());
        RamTlb t = c.ramTlb();
        int tag = TranslatedOps.tagBits(c.cpl);
        // the first access to a page misses (the CPU's slow path enters it), the next ones hit
        TranslatedOps.write32(c, t, tag, 0x12344, 0xCAFEF00D);
        TranslatedOps.write16(c, t, tag, 0x12348, 0xBEEF);
        TranslatedOps.write8(c, t, tag, 0x1234A, 0x7F);
        assertEquals(0xCAFEF00D, mem.read32(0x12344));
        assertEquals(0xCAFEF00D, TranslatedOps.read32(c, t, tag, 0x12344));
        assertEquals(0xBEEF, TranslatedOps.read16(c, t, tag, 0x12348));
        assertEquals(0x7F, TranslatedOps.read8(c, t, tag, 0x1234A));
        assertEquals(0xF00D, TranslatedOps.read16(c, t, tag, 0x12344), "a word zero-extended");
        assertEquals(0xCA, TranslatedOps.read8(c, t, tag, 0x12347), "a byte zero-extended");
        // across two pages: always the slow path, which splits it
        TranslatedOps.write32(c, t, tag, 0x12FFE, 0x11223344);
        assertEquals(0x11223344, mem.read32(0x12FFE));
        assertEquals(0x11223344, TranslatedOps.read32(c, t, tag, 0x12FFE));
    }
}
