package dev.strata.emulator.cpu.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.TestMachine;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A new translation gets a budget too small for a second pass in its first runs (so that the JVM compiles it as a
 * method, not on-stack), and the whole budget after them.
 */
class TranslationPassesTest {

    /** A translation that records the budgets it is given and runs nothing. */
    private static final class RecordingTranslation extends CompiledBlock {
        final List<Integer> budgets = new ArrayList<>();

        @Override
        public int run(Cpu c, int max) {
            budgets.add(max);
            return 2;
        }
    }

    private static Block twoNops() {
        Exec nothing = new Exec() {
            @Override
            public void run(Cpu c, Insn i) {
            }
        };
        Insn nop = new Insn(nothing, 1, 1, 0, 0, 0, false, 0, 3, 8, 8, 0, 0, 0xFFFF, false, false, 0, 0, 0, false, 0x90);
        int at = TestMachine.CODE_PHYSICAL;
        return new Block(new Insn[] {nop, nop}, at, false, at >>> 12, at >>> 12, false);
    }

    @Test
    void aNewTranslationGetsOnePassAtATimeForItsFirstRunsThenTheWholeBudget() {
        Cpu cpu = new TestMachine().cpu;
        Block block = twoNops();
        RecordingTranslation first = new RecordingTranslation();
        block.install(first);
        for (int k = 0; k < Block.SINGLE_PASS_RUNS + 2; k++) {
            assertEquals(2, block.run(cpu, 100_000));
        }
        assertEquals(3, first.budgets.get(0), "two instructions: a budget of three holds one pass, not two");
        assertEquals(3, first.budgets.get(Block.SINGLE_PASS_RUNS - 1));
        assertEquals(100_000, first.budgets.get(Block.SINGLE_PASS_RUNS), "then the run loop's budget");
        assertEquals(100_000, first.budgets.get(Block.SINGLE_PASS_RUNS + 1));

        RecordingTranslation second = new RecordingTranslation();
        block.install(second);
        block.run(cpu, 100_000);
        block.run(cpu, 2);
        assertEquals(List.of(3, 2), second.budgets, "a new translation starts one pass at a time again; a smaller"
                + " budget stays as it is");
    }
}
