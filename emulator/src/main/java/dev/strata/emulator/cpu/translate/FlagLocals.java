package dev.strata.emulator.cpu.translate;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.Flags;
import dev.strata.emulator.cpu.control.Conditions;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * While a translation is written: the lazy flags ({@code Cpu.fOp}, {@code fSize}, {@code fDst}, {@code fSrc},
 * {@code fRes}) that the block's own ALU instructions recorded, kept in locals with the kind and size known when
 * the code is written. A Jcc after a CMP in the same block then tests the two values directly; the five fields are
 * written once, when the translation leaves. Each field is written back only if an instruction of the block set
 * it, so the CPU ends with exactly the fields the interpreter would have left.
 */
final class FlagLocals {

    private static final String CPU = Type.getInternalName(Cpu.class);
    private static final String OPS = Type.getInternalName(TranslatedOps.class);
    /** The kind when the fields in the CPU are the current lazy flags (nothing recorded by this block since). */
    static final int IN_CPU = -1;

    private final MethodVisitor m;
    private final int cpu;
    private State state = new State(IN_CPU, 0, false, -1, -1, -1, false);

    FlagLocals(MethodVisitor m, int cpu) {
        this.m = m;
        this.cpu = cpu;
    }

    /** Records what an ALU instruction left: {@code dst}/{@code src} are -1 where it leaves those fields alone. */
    void record(int kind, int size, int dst, int src, int res) {
        record(kind, size, dst, src, res, false);
    }

    /**
     * {@link #record}; {@code plainSub} when the flags are a SUB's or CMP's of {@code dst} and {@code src} (masked to
     * the size), whose conditions are then comparisons of the two.
     */
    void record(int kind, int size, int dst, int src, int res, boolean plainSub) {
        state = new State(kind, size, true, dst >= 0 ? dst : state.dst, src >= 0 ? src : state.src, res, plainSub);
    }

    /**
     * Pushes what a jump on condition {@code cc} (Jcc's low nibble) tests and returns the jump opcode (an
     * {@code IFxx} or {@code IF_ICMPxx}) that jumps when the condition holds. Flags recorded in this block test
     * their values directly where the condition has a short form: ZF and SF on the result, and after a SUB or CMP
     * the unsigned and signed comparisons of its operands that CF, ZF, SF and OF come to.
     */
    int condition(int cc) {
        State s = state;
        boolean whenClear = (cc & 1) != 0;
        if (s.kind != IN_CPU) {
            switch (cc >>> 1) {
                case 2: // ZF
                    m.visitVarInsn(Opcodes.ILOAD, s.res);
                    return whenClear ? Opcodes.IFNE : Opcodes.IFEQ;
                case 4: // SF
                    pushSigned(s.size, s.res);
                    return whenClear ? Opcodes.IFGE : Opcodes.IFLT;
                default:
                    break;
            }
            if (s.plainSub) {
                switch (cc >>> 1) {
                    case 1: // CF: below
                        return unsigned(s, whenClear ? Opcodes.IF_ICMPGE : Opcodes.IF_ICMPLT);
                    case 3: // CF or ZF: below or equal
                        return unsigned(s, whenClear ? Opcodes.IF_ICMPGT : Opcodes.IF_ICMPLE);
                    case 6: // SF != OF: less
                        pushSigned(s.size, s.dst);
                        pushSigned(s.size, s.src);
                        return whenClear ? Opcodes.IF_ICMPGE : Opcodes.IF_ICMPLT;
                    case 7: // ZF or SF != OF: less or equal
                        pushSigned(s.size, s.dst);
                        pushSigned(s.size, s.src);
                        return whenClear ? Opcodes.IF_ICMPGT : Opcodes.IF_ICMPLE;
                    default:
                        break;
                }
            }
        }
        if (s.kind == IN_CPU) {
            m.visitVarInsn(Opcodes.ALOAD, cpu);
            Bytecode.pushInt(m, cc);
            m.visitMethodInsn(Opcodes.INVOKESTATIC, Type.getInternalName(Conditions.class), "test",
                    "(L" + CPU + ";I)Z", false);
            return Opcodes.IFNE;
        }
        Bytecode.pushInt(m, cc);
        pushKnown(s);
        m.visitMethodInsn(Opcodes.INVOKESTATIC, OPS, "condition", "(IIIIIII)Z", false);
        return Opcodes.IFNE;
    }

    /** Pushes local {@code slot}, a value masked to {@code size}, sign-extended to 32 bits. */
    private void pushSigned(int size, int slot) {
        m.visitVarInsn(Opcodes.ILOAD, slot);
        if (size == 0) {
            m.visitInsn(Opcodes.I2B);
        } else if (size == 1) {
            m.visitInsn(Opcodes.I2S);
        }
    }

    /**
     * Pushes what compares dst with src unsigned and returns the jump for {@code signedJump} (an IF_ICMPxx) on it:
     * values of 8 and 16 bits are non-negative ints, 32-bit ones go through {@link Integer#compareUnsigned}.
     */
    private int unsigned(State s, int signedJump) {
        m.visitVarInsn(Opcodes.ILOAD, s.dst);
        m.visitVarInsn(Opcodes.ILOAD, s.src);
        if (s.size != 2) {
            return signedJump;
        }
        m.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/Integer", "compareUnsigned", "(II)I", false);
        return signedJump - (Opcodes.IF_ICMPEQ - Opcodes.IFEQ);
    }

    /** Pushes CF as 0 or 1 (ADC, SBB). */
    void carry() {
        State s = state;
        if (s.kind == IN_CPU) {
            // a boolean is already an int of 0 or 1 on the JVM's operand stack: no branch needed
            m.visitVarInsn(Opcodes.ALOAD, cpu);
            m.visitMethodInsn(Opcodes.INVOKESTATIC, Type.getInternalName(Flags.class), "cf", "(L" + CPU + ";)Z",
                    false);
            return;
        }
        pushKnown(s);
        m.visitMethodInsn(Opcodes.INVOKESTATIC, OPS, "carry", "(IIIIII)I", false);
    }

    /** What INC and DEC do first ({@code Flags.saveCarry}): CF of the flags before them into EFLAGS. */
    void saveCarry() {
        State s = state;
        if (s.kind == IN_CPU) {
            m.visitVarInsn(Opcodes.ALOAD, cpu);
            m.visitMethodInsn(Opcodes.INVOKESTATIC, Type.getInternalName(Flags.class), "saveCarry",
                    "(L" + CPU + ";)V", false);
            return;
        }
        if (s.kind == Flags.INC || s.kind == Flags.DEC || s.kind == Flags.SZP) {
            return; // CF is in EFLAGS already
        }
        // eflags = eflags & ~CF | carry
        m.visitVarInsn(Opcodes.ALOAD, cpu);
        m.visitVarInsn(Opcodes.ALOAD, cpu);
        m.visitFieldInsn(Opcodes.GETFIELD, CPU, "eflags", "I");
        Bytecode.pushInt(m, ~Flags.CF);
        m.visitInsn(Opcodes.IAND);
        pushKnown(s);
        m.visitMethodInsn(Opcodes.INVOKESTATIC, OPS, "carry", "(IIIIII)I", false);
        m.visitInsn(Opcodes.IOR);
        m.visitFieldInsn(Opcodes.PUTFIELD, CPU, "eflags", "I");
    }

    /** kind, size, dst, src, res, eflags for {@link TranslatedOps#condition} and {@link TranslatedOps#carry}. */
    private void pushKnown(State s) {
        Bytecode.pushInt(m, s.kind);
        Bytecode.pushInt(m, s.size);
        boolean operands = s.kind != Flags.LOGIC && s.kind != Flags.SZP;
        pushSlot(operands ? s.dst : -1);
        pushSlot(operands ? s.src : -1);
        pushSlot(s.res);
        if (s.kind == Flags.INC || s.kind == Flags.DEC || s.kind == Flags.SZP) {
            m.visitVarInsn(Opcodes.ALOAD, cpu);
            m.visitFieldInsn(Opcodes.GETFIELD, CPU, "eflags", "I");
        } else {
            m.visitInsn(Opcodes.ICONST_0);
        }
    }

    private void pushSlot(int slot) {
        if (slot < 0) {
            m.visitInsn(Opcodes.ICONST_0);
        } else {
            m.visitVarInsn(Opcodes.ILOAD, slot);
        }
    }

    /** The flags as they are now, for a fault path to write back what was there when an instruction began. */
    State snapshot() {
        return state;
    }

    /** Writes what the block recorded to the CPU's fields; from here on the CPU holds the flags. */
    void writeBack() {
        writeBack(state);
        state = new State(IN_CPU, 0, false, -1, -1, -1, false);
    }

    /** Writes to the CPU's fields what the block had recorded at the time of {@code s}. */
    void writeBack(State s) {
        if (s.recorded && s.res >= 0 && (s.dst >= 0) == (s.src >= 0)) {
            m.visitVarInsn(Opcodes.ALOAD, cpu);
            Bytecode.pushInt(m, s.kind);
            Bytecode.pushInt(m, s.size);
            if (s.dst >= 0) {
                m.visitVarInsn(Opcodes.ILOAD, s.dst);
                m.visitVarInsn(Opcodes.ILOAD, s.src);
                m.visitVarInsn(Opcodes.ILOAD, s.res);
                m.visitMethodInsn(Opcodes.INVOKESTATIC, OPS, "putFlags", "(L" + CPU + ";IIIII)V", false);
            } else {
                m.visitVarInsn(Opcodes.ILOAD, s.res);
                m.visitMethodInsn(Opcodes.INVOKESTATIC, OPS, "putFlagsResult", "(L" + CPU + ";III)V", false);
            }
            return;
        }
        if (s.recorded) {
            put("fOp", -1, s.kind);
            put("fSize", -1, s.size);
        }
        if (s.dst >= 0) {
            put("fDst", s.dst, 0);
        }
        if (s.src >= 0) {
            put("fSrc", s.src, 0);
        }
        if (s.res >= 0) {
            put("fRes", s.res, 0);
        }
    }

    /** True when {@link #writeBack(State)} of {@code s} writes nothing: the CPU's fields hold those flags already. */
    static boolean inCpu(State s) {
        return !s.recorded && s.dst < 0 && s.src < 0 && s.res < 0;
    }

    /** True when {@code a} and {@code b} write back the same: the same kind and size, the same locals. */
    static boolean sameWriteBack(State a, State b) {
        return a.recorded == b.recorded && a.kind == b.kind && a.size == b.size && a.dst == b.dst && a.src == b.src
                && a.res == b.res;
    }

    private void put(String field, int slot, int constant) {
        m.visitVarInsn(Opcodes.ALOAD, cpu);
        if (slot >= 0) {
            m.visitVarInsn(Opcodes.ILOAD, slot);
        } else {
            Bytecode.pushInt(m, constant);
        }
        m.visitFieldInsn(Opcodes.PUTFIELD, CPU, field, "I");
    }

    /**
     * The lazy flags at one point: the kind and size recorded ({@link #IN_CPU} when none since the fields were
     * last written) and the locals of the values not yet in the CPU (-1: the field is current).
     */
    static final class State {
        final int kind, size;
        final boolean recorded;
        final int dst, src, res;
        /** The flags are a SUB's or CMP's: dst - src (not SBB's, whose CF also takes the carry in). */
        final boolean plainSub;

        State(int kind, int size, boolean recorded, int dst, int src, int res, boolean plainSub) {
            this.plainSub = plainSub;
            this.kind = kind;
            this.size = size;
            this.recorded = recorded;
            this.dst = dst;
            this.src = src;
            this.res = res;
        }
    }
}
