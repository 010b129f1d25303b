package dev.strata.emulator.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CpuStatsTest {

    @Test
    void countsInstructionsAndBlockLookups() {
        // mov cx,10; loop $ (10 times); hlt
        TestMachine m = new TestMachine().code(0xB9, 10, 0, 0xE2, 0xFE, 0xF4).run();
        CpuStats s = m.cpu.stats();
        assertEquals(1 + 10 + 1, s.instructions());
        assertEquals(3, s.blockMisses(), "mov+loop, loop alone, hlt");
        assertEquals(8, s.blockHits(), "the loop block's nine runs after its first");
        assertEquals(100.0 * 8 / 11, s.hitRatePercent(), 1e-9);
        assertEquals(12.0, s.mips(1000), 1e-9);
    }
}
