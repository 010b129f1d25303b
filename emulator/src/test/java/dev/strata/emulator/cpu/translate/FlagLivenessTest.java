package dev.strata.emulator.cpu.translate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.decode.Block;
import dev.strata.emulator.cpu.decode.Exec;
import dev.strata.emulator.cpu.decode.Insn;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * An instruction's flags go unread when a later instruction of the block writes all six before anything reads one,
 * can fault or leaves; a shift or rotate whose flags go unread is translated without them.
 */
class FlagLivenessTest {

    private static final int CODE = 0x10000;
    private static final Exec NOTHING = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
        }
    };

    /** A 32-bit register instruction (or one with a memory operand at [bx]). */
    private static Insn insn(int opcode, int sub, int reg, int rm, boolean mem, int imm) {
        return new Insn(NOTHING, 3, 2, sub, reg, rm, mem, 0xC0, 3, mem ? 3 : 8, 8, 0, 0, 0xFFFF, false, true, imm, 0,
                0, false, opcode);
    }

    private static final Insn ROR_EAX_6 = insn(0xC1, 1, 1, Cpu.EAX, false, 6);
    private static final Insn ROL_EDX_1 = insn(0xD1, 0, 0, Cpu.EDX, false, 0);
    private static final Insn ROR_EAX_CL = insn(0xD3, 1, 1, Cpu.EAX, false, 0);
    private static final Insn RCL_EAX_1 = insn(0xD1, 2, 2, Cpu.EAX, false, 0);
    private static final Insn SHL_EBX_3 = insn(0xC1, 4, 4, Cpu.EBX, false, 3);
    private static final Insn MOV_EBX_EAX = insn(0x89, 0, Cpu.EAX, Cpu.EBX, false, 0);
    private static final Insn MOV_MEM_EAX = insn(0x89, 0, Cpu.EAX, 0, true, 0);
    private static final Insn INC_ECX = insn(0x41, 0, 0, 0, false, 0);
    private static final Insn XOR_EAX_EBX = insn(0x31, 6, Cpu.EBX, Cpu.EAX, false, 0);
    private static final Insn ADC_EAX_EBX = insn(0x11, 2, Cpu.EBX, Cpu.EAX, false, 0);
    private static final Insn JZ = insn(0x74, 4, 0, 0, false, 0);
    private static final Insn JC = insn(0x72, 2, 0, 0, false, 0);

    private static boolean[] unread(Insn... insns) {
        return FlagLiveness.unread(insns);
    }

    @Test
    void flagsOverwrittenByALaterInstructionBeforeAnyReadGoUnread() {
        assertArrayEquals(new boolean[] {true, true, false, false}, unread(ROR_EAX_6, MOV_EBX_EAX, XOR_EAX_EBX, JZ));
        assertArrayEquals(new boolean[] {true, true, true, true, false},
                unread(ROR_EAX_6, INC_ECX, ROL_EDX_1, ROR_EAX_CL, SHL_EBX_3), "INC, rotates, a shift by CL pass");
    }

    @Test
    void readersFaultsAndTheBlocksEndKeepTheFlags() {
        assertArrayEquals(new boolean[] {false, false}, unread(ROR_EAX_6, JC));
        assertArrayEquals(new boolean[] {false, false}, unread(ROR_EAX_6, ADC_EAX_EBX), "ADC reads CF");
        assertArrayEquals(new boolean[] {false, true, false}, unread(ROR_EAX_6, RCL_EAX_1, XOR_EAX_EBX),
                "RCL reads CF");
        assertArrayEquals(new boolean[] {false, true, false}, unread(ROR_EAX_6, MOV_MEM_EAX, XOR_EAX_EBX),
                "a store can fault: the fault's frame holds the flags");
        assertArrayEquals(new boolean[] {false}, unread(ROR_EAX_6), "the CPU keeps what the block leaves");
    }

    @Test
    void aRotateWhoseFlagsGoUnreadIsTranslatedWithoutTheShifter() {
        String unreadFlags = classText(ROR_EAX_6, XOR_EAX_EBX);
        assertTrue(unreadFlags.contains("rotateRight"), "Integer.rotateRight, which the JIT compiler makes one ROR");
        assertFalse(unreadFlags.contains("dev/strata/emulator/cpu/shift/Shifter"));
        String readFlags = classText(ROR_EAX_6, JC);
        assertTrue(readFlags.contains("dev/strata/emulator/cpu/shift/Shifter"), "CF read: the Shifter sets the flags");
        assertFalse(readFlags.contains("rotateRight"));
    }

    /** The class file of a translation of {@code insns}, as text (its constant pool names what it calls). */
    private static String classText(Insn... insns) {
        Block block = new Block(insns, CODE, true, CODE >>> 12, CODE >>> 12, false);
        return new String(BlockTranslator.classFile(block, 0).bytes(), StandardCharsets.ISO_8859_1);
    }
}
