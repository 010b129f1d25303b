package dev.strata.emulator.cpu.fpu;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.Flags;
import dev.strata.emulator.cpu.decode.Exec;
import dev.strata.emulator.cpu.decode.Insn;

/**
 * The x87 arithmetic and compare instructions: FADD/FMUL/FSUB/FSUBR/FDIV/FDIVR in their memory (real and
 * integer), register and popping forms; FCOM, FCOMP, FCOMPP, FUCOM (and P, PP), FICOM (and P), FTST; FCOMI/FCOMIP/FUCOMI/FUCOMIP.
 */
final class FpuArithmetic {

    private FpuArithmetic() {
    }

    /** Memory operand kinds. */
    static final int M32 = 0, M64 = 1, I32 = 2, I16 = 3;
    /** Operation numbers as in the ModRM reg field of D8: add, mul, com, comp, sub, subr, div, divr. */
    static final int ADD = 0, MUL = 1, COM = 2, COMP = 3, SUB = 4, SUBR = 5, DIV = 6, DIVR = 7;

    /** Loads the memory operand of an arithmetic form into {@code f.x} (SNaNs stay signaling). */
    static void loadOperand(Cpu c, Insn i, Fpu f, int kind) {
        int off = FpuAccess.operand(c, i, f);
        ExtendedArithmetic x = f.x;
        x.clear();
        switch (kind) {
            case M32: FormatConversion.fromSingle(x, c.read32(i.seg(), off), false); break;
            case M64: FormatConversion.fromDouble(x, FpuAccess.read64(c, i, off), false); break;
            case I32: FormatConversion.fromInteger(x, c.read32(i.seg(), off)); break;
            default: FormatConversion.fromInteger(x, (short) c.read16(i.seg(), off)); break;
        }
    }

    /** Computes {@code a op b} into {@code f.x} (exceptions accumulate on what is already there). */
    static void compute(Fpu f, int op, int aSe, long aSig, int bSe, long bSig) {
        ExtendedArithmetic x = f.x;
        switch (op) {
            case ADD: x.add(aSe, aSig, bSe, bSig, false); break;
            case MUL: x.mul(aSe, aSig, bSe, bSig); break;
            case SUB: x.add(aSe, aSig, bSe, bSig, true); break;
            case SUBR: x.add(bSe, bSig, aSe, aSig, true); break;
            case DIV: x.div(aSe, aSig, bSe, bSig); break;
            default: x.div(bSe, bSig, aSe, aSig); break;
        }
    }

    /** ST(0) op memory. */
    static final class ArithMemory extends Exec {
        private final int op, kind;

        ArithMemory(int op, int kind) {
            this.op = op;
            this.kind = kind;
        }

        @Override
        public void run(Cpu c, Insn i) {
            Fpu f = FpuAccess.enter(c, i);
            if (f == null) {
                return;
            }
            loadOperand(c, i, f, kind);
            if (op == COM || op == COMP) {
                compareWith(f, f.x.se, f.x.sig, false, op == COMP ? 1 : 0);
                return;
            }
            if (f.isEmpty(0)) {
                if (!f.underflow()) {
                    f.setIndefinite(0);
                }
                return;
            }
            compute(f, op, f.se(0), f.sig(0), f.x.se, f.x.sig);
            f.commit(0);
        }
    }

    /**
     * Register forms: {@code toSti} false is ST(0) = ST(0) op ST(i) (D8); true is ST(i) = ST(i) op ST(0) (DC,
     * and DE which then pops), with the SUB/SUBR and DIV/DIVR encodings swapped as Intel defines them.
     */
    static final class ArithRegister extends Exec {
        private final int op;
        private final boolean toSti, pop;

        ArithRegister(int op, boolean toSti, boolean pop) {
            this.op = op;
            this.toSti = toSti;
            this.pop = pop;
        }

        @Override
        public void run(Cpu c, Insn i) {
            Fpu f = FpuAccess.enter(c, i);
            if (f == null) {
                return;
            }
            int dst = toSti ? i.rm() : 0;
            int src = toSti ? 0 : i.rm();
            if (f.isEmpty(0) || f.isEmpty(i.rm())) {
                if (!f.underflow()) {
                    f.setIndefinite(dst);
                    if (pop) {
                        f.pop();
                    }
                }
                return;
            }
            f.x.clear();
            compute(f, op, f.se(dst), f.sig(dst), f.se(src), f.sig(src));
            if (f.commit(dst) && pop) {
                f.pop();
            }
        }
    }

    /** Sets C3/C2/C0 from a comparison result. */
    static int conditionCodes(int r) {
        switch (r) {
            case ExtendedArithmetic.LESS: return Fpu.C0;
            case ExtendedArithmetic.EQUAL: return Fpu.C3;
            case ExtendedArithmetic.GREATER: return 0;
            default: return Fpu.C3 | Fpu.C2 | Fpu.C0;
        }
    }

    /**
     * Compares ST(0) with b (exceptions of loading b already in {@code f.x.exc}) and pops {@code pops} times;
     * an empty ST(0) is a stack underflow that reports unordered when masked.
     */
    static void compareWith(Fpu f, int bSe, long bSig, boolean unordered, int pops) {
        ExtendedArithmetic x = f.x;
        if (f.isEmpty(0)) {
            if (!f.underflow()) {
                f.sw = (f.sw & ~Fpu.CC) | Fpu.C3 | Fpu.C2 | Fpu.C0;
                popTimes(f, pops);
            }
            return;
        }
        int r = x.compare(f.se(0), f.sig(0), bSe, bSig, unordered);
        int e = x.exc;
        if (f.unmasked(e) != 0) {
            f.signal(e);
            return;
        }
        f.sw = (f.sw & ~Fpu.CC) | conditionCodes(r);
        f.signal(e);
        popTimes(f, pops);
    }

    private static void popTimes(Fpu f, int pops) {
        for (int k = 0; k < pops; k++) {
            f.pop();
        }
    }

    /** FCOM/FCOMP/FUCOM/FUCOMP ST(i), FCOMPP, FUCOMPP. */
    static final class CompareRegister extends Exec {
        private final boolean unordered;
        private final int pops;
        private final int fixed;

        /** {@code fixed} >= 0 compares with that register whatever the ModRM says (FCOMPP, FUCOMPP use ST(1)). */
        CompareRegister(boolean unordered, int pops, int fixed) {
            this.unordered = unordered;
            this.pops = pops;
            this.fixed = fixed;
        }

        @Override
        public void run(Cpu c, Insn i) {
            Fpu f = FpuAccess.enter(c, i);
            if (f == null) {
                return;
            }
            int src = fixed >= 0 ? fixed : i.rm();
            f.x.clear();
            if (f.isEmpty(src)) {
                if (!f.underflow()) {
                    f.sw = (f.sw & ~Fpu.CC) | Fpu.C3 | Fpu.C2 | Fpu.C0;
                    popTimes(f, pops);
                }
                return;
            }
            compareWith(f, f.se(src), f.sig(src), unordered, pops);
        }
    }

    /** FTST: compares ST(0) with +0.0. */
    static final Exec FTST = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            Fpu f = FpuAccess.enter(c, i);
            if (f == null) {
                return;
            }
            f.x.clear();
            compareWith(f, 0, 0, false, 0);
        }
    };

    /** FCOMI/FCOMIP/FUCOMI/FUCOMIP: the result goes to ZF, PF and CF; OF, SF and AF are cleared. */
    static final class CompareToFlags extends Exec {
        private final boolean unordered, pop;

        CompareToFlags(boolean unordered, boolean pop) {
            this.unordered = unordered;
            this.pop = pop;
        }

        @Override
        public void run(Cpu c, Insn i) {
            Fpu f = FpuAccess.enter(c, i);
            if (f == null) {
                return;
            }
            ExtendedArithmetic x = f.x;
            x.clear();
            int r;
            if (f.isEmpty(0) || f.isEmpty(i.rm())) {
                if (f.underflow()) {
                    return;
                }
                r = ExtendedArithmetic.UNORDERED;
            } else {
                r = x.compare(f.se(0), f.sig(0), f.se(i.rm()), f.sig(i.rm()), unordered);
                int e = x.exc;
                f.sw &= ~Fpu.C1;
                if (f.signal(e) && (f.unmasked(e) != 0)) {
                    return;
                }
            }
            int flags;
            switch (r) {
                case ExtendedArithmetic.LESS: flags = Flags.CF; break;
                case ExtendedArithmetic.EQUAL: flags = Flags.ZF; break;
                case ExtendedArithmetic.GREATER: flags = 0; break;
                default: flags = Flags.ZF | Flags.PF | Flags.CF; break;
            }
            Flags.set(c, flags, Flags.ARITH);
            if (pop) {
                f.pop();
            }
        }
    }
}
