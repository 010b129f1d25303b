package dev.strata.emulator.cpu.translate;

import dev.strata.emulator.cpu.decode.Insn;

/**
 * Which of a block's instructions leave arithmetic flags that nothing reads: a later instruction of the block
 * writes all six of them before any instruction reads one, can fault, calls a handler or the block can leave. Such
 * an instruction need not compute its flags at all (compiled code never reads a rotate's or a shift's flags: in
 * SHA-256, a quarter of the Linux boot's kernel start, rotates and shifts are each followed by an XOR or an ADD).
 * Between the instruction and the one that overwrites its flags, only native register instructions whose results
 * do not depend on the flags may run (MOV, LEA, NOT, INC/DEC, rotates and shifts by a constant), so no guest and
 * no exit path can see the difference; the registers, memory and flags a block leaves are the interpreter's.
 */
final class FlagLiveness {

    /** What an instruction does to the flags, for this analysis. */
    private static final int ENDS = 0, WRITES_ALL = 1, PASSES = 2;

    private FlagLiveness() {
    }

    /** Per instruction of {@code insns}, true when the flags it leaves are never read (see the class comment). */
    static boolean[] unread(Insn[] insns) {
        boolean[] unread = new boolean[insns.length];
        boolean overwrittenAhead = false; // the block's end leaves the flags to the CPU: read
        for (int k = insns.length - 1; k >= 0; k--) {
            unread[k] = overwrittenAhead;
            switch (effect(insns[k])) {
                case WRITES_ALL: overwrittenAhead = true; break;
                case PASSES: break;
                default: overwrittenAhead = false; break;
            }
        }
        return unread;
    }

    /**
     * {@link #WRITES_ALL} for a native register instruction that sets CF, PF, AF, ZF, SF and OF without reading any;
     * {@link #PASSES} for one whose results do not depend on the flags (it may write some, or compute them from the
     * flags before it); {@link #ENDS} for everything else: readers of flags, anything that can fault, handlers.
     */
    private static int effect(Insn i) {
        if (!InstructionEmitter.handles(i) || InstructionEmitter.canFault(i)) {
            return ENDS;
        }
        int op = i.opcode();
        if (op < 0x40) {
            int alu = (op >>> 3) & 7;
            return alu == 2 || alu == 3 ? ENDS : WRITES_ALL; // ADC and SBB read CF
        }
        if (op >= 0x40 && op <= 0x4F || op >= 0xB0 && op <= 0xBF || op >= 0x1C8 && op <= 0x1CF) {
            return PASSES; // INC and DEC (they keep CF), MOV of an immediate, BSWAP
        }
        switch (op) {
            case 0x80: case 0x81: case 0x83:
                return i.sub() == 2 || i.sub() == 3 ? ENDS : WRITES_ALL;
            case 0x84: case 0x85: case 0xA8: case 0xA9:
            case 0x69: case 0x6B: case 0x1AF:
                return WRITES_ALL; // TEST; IMUL (CF, OF and AF to EFLAGS, the rest on the result)
            case 0xF6: case 0xF7:
                return i.sub() == 2 ? PASSES : i.sub() <= 3 ? WRITES_ALL : ENDS; // NOT; TEST and NEG
            case 0xC0: case 0xC1: case 0xD0: case 0xD1:
                // by a constant count that is not zero (a count of zero is not native): SHL, SHR and SAR write all
                // six (AF cleared), ROL and ROR only CF and OF; RCL and RCR read CF
                return i.sub() >= 4 ? WRITES_ALL : i.sub() <= 1 ? PASSES : ENDS;
            case 0xD2: case 0xD3:
                return i.sub() == 2 || i.sub() == 3 ? ENDS : PASSES; // by CL, which may be zero: no flags written
            case 0x88: case 0x89: case 0x8A: case 0x8B: case 0xC6: case 0xC7: case 0x8D:
            case 0x1B6: case 0x1B7: case 0x1BE: case 0x1BF:
                return PASSES; // MOV, LEA, MOVZX, MOVSX (of registers: a memory operand can fault)
            default:
                return ENDS;
        }
    }
}
