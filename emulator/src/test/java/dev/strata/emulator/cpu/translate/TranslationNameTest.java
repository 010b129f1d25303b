package dev.strata.emulator.cpu.translate;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.decode.Block;
import dev.strata.emulator.cpu.decode.Exec;
import dev.strata.emulator.cpu.decode.Insn;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A translation's class is named by its block's physical address, and a block whose last branch leads back to its
 * own start is named apart, which is what the launcher's compile command for guest loops goes by.
 */
class TranslationNameTest {

    private static final int CODE = 0x10000;
    private static final Exec NOTHING = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
        }
    };

    private static Insn insn(int opcode, int len, int imm) {
        return new Insn(NOTHING, len, 1, 0, 0, 0, false, 0, 3, 8, 8, 0, 0, 0xFFFF, false, false, imm, 0, 0, false,
                opcode);
    }

    /** 0000: nop; jmp short 0000 (which goes round), or two NOPs (which do not). */
    private static Block block(boolean loop) {
        Insn[] insns = loop ? new Insn[] {insn(0x90, 1, 0), insn(0xEB, 2, -3)}
                : new Insn[] {insn(0x90, 1, 0), insn(0x90, 1, 0)};
        return new Block(insns, CODE, false, CODE >>> 12, CODE >>> 12, false);
    }

    @Test
    void aBlockThatBranchesBackToItselfIsNamedAsALoopByItsPhysicalAddress() {
        Block loop = block(true);
        assertTrue(loop.branchesBackToItself);
        String name = new BlockTranslator().translate(loop).getClass().getName();
        assertTrue(name.startsWith(BlockTranslator.LOOP_NAME + "00010000"), name);
    }

    @Test
    void otherBlocksAreNamedAsTranslationsByTheirPhysicalAddress() {
        Block straight = block(false);
        assertFalse(straight.branchesBackToItself);
        String name = new BlockTranslator().translate(straight).getClass().getName();
        assertTrue(name.startsWith(BlockTranslator.NAME + "00010000"), name);
        assertFalse(name.startsWith(BlockTranslator.LOOP_NAME), name);
    }

    @Test
    void aBlockEndingInABranchElsewhereIsNeitherALoopNorNamedOne() {
        // 0000: nop; jz 0010: taken or not, the next block starts elsewhere
        Block elsewhere = new Block(new Insn[] {insn(0x90, 1, 0), insn(0x74, 2, 0x0D)}, CODE, false, CODE >>> 12,
                CODE >>> 12, false);
        assertFalse(elsewhere.branchesBackToItself);
        String name = new BlockTranslator().translate(elsewhere).getClass().getName();
        assertTrue(name.startsWith(BlockTranslator.NAME + "00010000"), name);
    }

    @Test
    void aBlockWhoseLastBranchFallsThroughToItsStartIsALoop() {
        // 0100: jmp short 00FE, followed; 00FE: jz 0120, whose next instruction is the block's start again
        int start = CODE + 0x100;
        Block back = new Block(new Insn[] {insn(0xEB, 2, -4), insn(0x74, 2, 0x20)}, new int[] {0, -2, 0}, start,
                false, start >>> 12, start >>> 12, false);
        assertTrue(back.branchesBackToItself);
    }

    @Test
    void theLaunchersCompileCommandsNameTheLoopTranslationsAndTheDecoder() throws Exception {
        Path launcher = Path.of("..", "strata"); // tests run in the module's directory
        String script = Files.readString(launcher);
        assertTrue(script.contains("CompileThresholdScaling," + BlockTranslator.LOOP_NAME + "*::run,"),
                "the launcher's pattern must match the loop translations' class names");
        assertTrue(script.contains("-XX:CompileCommand=quiet"), "else the JVM prints the command on standard output");
        for (String decoding : new String[] {"Decoder", "BlockCache", "InsnDraft"}) {
            // found by name, so that a class renamed or moved fails here rather than leaving the launcher's line dead
            String name = Class.forName("dev.strata.emulator.cpu.decode." + decoding).getName();
            assertTrue(script.contains("CompileThresholdScaling," + name + "::"),
                    "the launcher names the decoder's classes as they are: " + name);
        }
    }
}
