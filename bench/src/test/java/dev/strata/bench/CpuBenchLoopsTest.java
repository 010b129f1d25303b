package dev.strata.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.translate.JitMode;
import org.junit.jupiter.api.Test;

/** The benchmark's guest loops run what their comments say, interpreted and translated alike. */
class CpuBenchLoopsTest {

    @Test
    void pagedLoopTurnsInProtectedModeWithPagingOverTheWindowItsTablesMap() {
        for (JitMode jit : new JitMode[] {JitMode.OFF, JitMode.ALL}) {
            Cpu c = CpuBench.pagedMachine();
            c.setJit(jit);
            c.run(200_000);
            assertTrue(c.paging, jit + ": paging on");
            assertTrue(c.seg[Cpu.CS].big(), jit + ": 32-bit code");
            int eip = c.eip - 0x10000;
            assertTrue(eip >= 0x141 && eip <= 0x155, jit + ": in the loop, EIP " + Integer.toHexString(c.eip));
            assertNotEquals(0, c.mem.read32(0x200008), jit + ": linear 400008h is written at physical 200008h");
            assertEquals(0, c.mem.read32(0x400008), jit + ": not at the identity address");
        }
    }

    @Test
    void branchy32LoopTurnsIn32BitCodeAndEndsInTheSameStateInterpretedAndTranslated() {
        Cpu interpreted = CpuBench.machine(CpuBench.BRANCHY32_LOOP);
        Cpu translated = CpuBench.machine(CpuBench.BRANCHY32_LOOP);
        translated.setJit(JitMode.ALL);
        for (Cpu c : new Cpu[] {interpreted, translated}) {
            c.run(300_000);
            assertTrue(c.seg[Cpu.CS].big() && !c.paging, c.jit() + ": 32-bit code without paging");
            int eip = c.eip - 0x10000;
            assertTrue(eip >= 0x131 && eip < 0x143, c.jit() + ": in the loop, EIP " + Integer.toHexString(c.eip));
            assertNotEquals(0, c.mem.read32(0x20000), c.jit() + ": the taken side adds at [EBX]");
            assertNotEquals(0, c.mem.read32(0x20004), c.jit() + ": the other side subtracts at [EBX+4]");
        }
        assertEquals(interpreted.eip, translated.eip);
        for (int r = 0; r < 8; r++) {
            assertEquals(interpreted.r[r], translated.r[r], "register " + r);
        }
        assertEquals(interpreted.mem.read32(0x20000), translated.mem.read32(0x20000));
        assertEquals(interpreted.mem.read32(0x20004), translated.mem.read32(0x20004));
        assertTrue(translated.translatedInstructions > 200_000, "the loop ran translated");
    }

    @Test
    void pagedLoopEndsInTheSameStateInterpretedAndTranslated() {
        Cpu interpreted = CpuBench.pagedMachine();
        Cpu translated = CpuBench.pagedMachine();
        translated.setJit(JitMode.ALL);
        interpreted.run(500_000);
        translated.run(500_000);
        assertEquals(interpreted.eip, translated.eip);
        for (int r = 0; r < 8; r++) {
            assertEquals(interpreted.r[r], translated.r[r], "register " + r);
        }
        for (int a = 0x200000; a < 0x201000; a += 4) {
            assertEquals(interpreted.mem.read32(a), translated.mem.read32(a), "dword at " + Integer.toHexString(a));
        }
    }
}
