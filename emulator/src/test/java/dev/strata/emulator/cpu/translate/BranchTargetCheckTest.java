package dev.strata.emulator.cpu.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.decode.Block;
import dev.strata.emulator.cpu.decode.Exec;
import dev.strata.emulator.cpu.decode.Insn;
import dev.strata.emulator.cpu.exception.Vectors;
import dev.strata.emulator.io.IoBus;
import dev.strata.emulator.memory.PhysicalMemory;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * A translated near branch in 32-bit code checks its target against CS's limit ({@link Cpu#nearTarget}) unless the
 * target is an instruction its block has run before it in the same pass, whose bytes the processor fetched within
 * the limit, or CS's limit was 4 GiB when the block was translated and still is when it runs.
 */
class BranchTargetCheckTest {

    private static final int CODE = 0x10000;
    private static final Exec NOTHING = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
        }
    };

    /** A 32-bit instruction of three bytes. */
    private static Insn insn(int opcode, int sub, int imm) {
        return new Insn(NOTHING, 3, 2, sub, 0, Cpu.ECX, false, 0xC0, 3, 8, 8, 0, 0, 0xFFFF, false, true, imm, 0, 0,
                false, opcode);
    }

    private static final Insn DEC_ECX = insn(0x49, 0, 0);

    /** JNZ at offset 3, its next instruction at 6, to offset {@code 6 + rel}. */
    private static Insn jnz(int rel) {
        return insn(0x75, 5, rel);
    }

    private static boolean checksTarget(Insn... insns) {
        return checksTarget(0, insns);
    }

    /** Whether the block's translation, made with {@code flat} ({@link Cpu#flatSegments}), checks a target. */
    private static boolean checksTarget(int flat, Insn... insns) {
        Block block = new Block(insns, CODE, true, CODE >>> 12, CODE >>> 12, false);
        return new String(BlockTranslator.classFile(block, flat).bytes(), StandardCharsets.ISO_8859_1)
                .contains("nearTarget");
    }

    @Test
    void aBranchBackToAnInstructionTheBlockRanIsNotCheckedAndOthersAre() {
        assertFalse(checksTarget(DEC_ECX, jnz(-6)), "back to the block's start");
        assertFalse(checksTarget(DEC_ECX, jnz(-3)), "to the branch itself");
        assertTrue(checksTarget(DEC_ECX, jnz(16)), "forward, to bytes the block did not run");
        assertTrue(checksTarget(DEC_ECX, jnz(0), DEC_ECX), "forward, to an instruction the block runs after it");
        assertTrue(checksTarget(DEC_ECX, jnz(-7)), "back, but before the block");
    }

    @Test
    void aBlockMadeWhileCsReachedFourGigabytesChecksNoTarget() {
        assertFalse(checksTarget(Cpu.UNLIMITED_CODE, DEC_ECX, jnz(16)), "forward, CS's limit at 4 GiB");
        assertFalse(checksTarget(Cpu.UNLIMITED_CODE, DEC_ECX, jnz(0), DEC_ECX), "to the next instruction, CS at 4 GiB");
        assertTrue(checksTarget(0, DEC_ECX, jnz(16)), "forward, CS limited");
        // DEC cannot fault; the JNZ only on its target: with CS at 4 GiB the translation has no way out for a fault
        assertEquals(0, faultPaths(Cpu.UNLIMITED_CODE, DEC_ECX, jnz(16)), "CS's limit at 4 GiB");
        assertEquals(1, faultPaths(0, DEC_ECX, jnz(16)), "CS limited: the JNZ's #GP");
    }

    /** The exception handlers of the block's translation, made with {@code flat}: its ways out for a fault. */
    private static int faultPaths(int flat, Insn... insns) {
        Block block = new Block(insns, CODE, true, CODE >>> 12, CODE >>> 12, false);
        int[] handlers = {0};
        new ClassReader(BlockTranslator.classFile(block, flat).bytes()).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                return !name.equals("run") ? null : new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitTryCatchBlock(Label start, Label end, Label handler, String type) {
                        handlers[0]++;
                    }
                };
            }
        }, 0);
        return handlers[0];
    }

    @Test
    void aBlockMadeWhileCsReachedFourGigabytesIsInterpretedOnceTheLimitIsLowerAndItsJumpPastItFaults() {
        // first with CS's limit at 4 GiB, where the JMP goes to a HLT at 1004h; then the same code, its blocks
        // translated by then, with a limit of 0FFFh: #GP
        for (JitMode jit : new JitMode[] {JitMode.OFF, JitMode.ALL}) {
            Cpu c = loopAtTheEndOfTheCodeSegment(jit, -1);
            c.mem.write8(0x1004, 0xF4);
            c.run(20);
            assertTrue(c.halted, jit + ": the HLT at 1004h");
            assertEquals(0x1005, c.eip, jit + ": past the HLT at 1004h, CS at 4 GiB");
            if (jit == JitMode.ALL) {
                assertTrue(c.translatedInstructions > 0, "the blocks ran translated");
            }
            c.halted = false;
            c.cs.limit = 0x0FFF;
            c.eip = 0x0FF8;
            c.r[Cpu.ECX] = 3;
            c.run(20);
            assertTrue(c.halted, jit + ": the JMP past the limit raised #GP");
            assertEquals(0x0501, c.eip, jit + ": in the handler");
        }
    }

    @Test
    void aBranchIn16BitCodeIsAlwaysChecked() {
        Insn dec = new Insn(NOTHING, 1, 1, 0, 0, Cpu.ECX, false, 0xC0, 3, 8, 8, 0, 0, 0xFFFF, false, false, 0, 0, 0,
                false, 0x49);
        Insn back = new Insn(NOTHING, 2, 1, 5, 0, 0, false, 0, 3, 8, 8, 0, 0, 0xFFFF, false, false, -3, 0, 0, false,
                0x75);
        Block block = new Block(new Insn[] {dec, back}, CODE, false, CODE >>> 12, CODE >>> 12, false);
        assertTrue(new String(BlockTranslator.classFile(block, 0).bytes(), StandardCharsets.ISO_8859_1)
                .contains("nearTarget"), "kept where it measured faster (the DOS loop)");
    }

    @Test
    void aLoopAtTheEndOfTheCodeSegmentRunsAsInterpretedAndAForwardBranchPastTheLimitFaults() {
        for (JitMode jit : new JitMode[] {JitMode.OFF, JitMode.ALL}) {
            Cpu c = loopAtTheEndOfTheCodeSegment(jit, 0x0FFF); // the JMP goes past the limit
            c.run(20);
            assertEquals(0, c.r[Cpu.ECX] & 0xFFFF, jit + ": the loop went round three times");
            assertTrue(c.halted, jit + ": the JMP past the limit raised #GP");
            assertEquals(0x0501, c.eip, jit + ": in the handler");
            assertEquals(8, c.instructions, jit + ": six of the loop, the JMP, the handler's HLT");
        }
    }

    /**
     * A real-mode CPU about to run, at 0FF8h in a 32-bit code segment of limit {@code csLimit}: dec ecx; jnz 0FF8h;
     * jmp 1004h, with ECX 3 and a #GP handler (a HLT at 0000:0500h).
     */
    private static Cpu loopAtTheEndOfTheCodeSegment(JitMode jit, int csLimit) {
        PhysicalMemory mem = new PhysicalMemory(1 << 20);
        Cpu c = new Cpu(mem, new IoBus());
        mem.load(0x0FF8, new byte[] {0x49, 0x75, (byte) 0xFD, (byte) 0xEB, 0x07});
        mem.write16(Vectors.GP * 4, 0x0500);
        mem.write16(Vectors.GP * 4 + 2, 0);
        mem.write8(0x0500, 0xF4);
        c.setJit(jit);
        c.loadSegment(Cpu.CS, 0);
        c.loadSegment(Cpu.SS, 0x3000);
        c.r[Cpu.ESP] = 0xFFFE;
        c.cs.limit = csLimit;
        c.cs.attributes |= 1 << 14; // a 32-bit code segment (real mode keeps the descriptor cache's size)
        c.eip = 0x0FF8;
        c.r[Cpu.ECX] = 3;
        return c;
    }
}
