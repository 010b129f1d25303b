package dev.strata.emulator.cpu.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.cpu.Cpu;
import org.junit.jupiter.api.Test;

/** The translator's warm-up runs its loop to the end, translated, on a CPU of its own. */
class TranslatorWarmUpTest {

    @Test
    void theWarmUpLoopRunsToItsHaltTranslated() {
        Cpu cpu = TranslatorWarmUp.run();
        assertTrue(cpu.halted, "the loop ended at its HLT within the budget");
        assertEquals(0, cpu.r[Cpu.ECX] & 0xFFFF, "every pass ran");
        assertEquals(16L * TranslatorWarmUp.PASSES + 1, cpu.instructions, "16 instructions a pass, and the HLT");
        assertTrue(cpu.translatedInstructions >= 16L * TranslatorWarmUp.PASSES, "translated: "
                + cpu.translatedInstructions);
        assertTrue(cpu.stats().translations() >= 2, "the loop's block and the HLT's were translated");
    }
}
