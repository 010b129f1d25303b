package dev.strata.emulator.cpu.fpu;

import static dev.strata.emulator.cpu.fpu.Extended.INDEFINITE_SE;
import static dev.strata.emulator.cpu.fpu.Extended.INDEFINITE_SIG;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.control.Conditions;
import dev.strata.emulator.cpu.decode.Exec;
import dev.strata.emulator.cpu.decode.Insn;

/**
 * x87 data transfer: FLD/FST/FSTP of single, double and extended reals and registers, FILD/FIST/FISTP of
 * 16/32/64-bit integers, FBLD/FBSTP, the constants, FXCH, FCMOVcc, FFREE, FINCSTP/FDECSTP and FCHS/FABS.
 */
final class FpuTransfer {

    private FpuTransfer() {
    }

    static final int M32 = 0, M64 = 1, M80 = 2, I16 = 3, I32 = 4, I64 = 5, BCD = 6;

    /** FLD/FILD/FBLD from memory: converted, then pushed (stack overflow checked after the read). */
    static final class Load extends Exec {
        private final int kind;

        Load(int kind) {
            this.kind = kind;
        }

        @Override
        public void run(Cpu c, Insn i) {
            Fpu f = FpuAccess.enter(c, i);
            if (f == null) {
                return;
            }
            int off = FpuAccess.operand(c, i, f);
            ExtendedArithmetic x = f.x;
            x.clear();
            switch (kind) {
                case M32: FormatConversion.fromSingle(x, c.read32(i.seg(), off), true); break;
                case M64: FormatConversion.fromDouble(x, FpuAccess.read64(c, i, off), true); break;
                case M80:
                    x.sig = FpuAccess.read64(c, i, off);
                    x.se = c.read16(i.seg(), (off + 8) & i.addrMask());
                    break;
                case I16: FormatConversion.fromInteger(x, (short) c.read16(i.seg(), off)); break;
                case I32: FormatConversion.fromInteger(x, c.read32(i.seg(), off)); break;
                case I64: FormatConversion.fromInteger(x, FpuAccess.read64(c, i, off)); break;
                default:
                    PackedBcd.load(x, FpuAccess.read64(c, i, off), c.read16(i.seg(), (off + 8) & i.addrMask()));
                    break;
            }
            if (!f.pushCheck()) {
                return;
            }
            if (f.unmasked(x.exc) != 0) {
                f.signal(x.exc);
                return;
            }
            f.signal(x.exc);
            f.push(x.se, x.sig);
        }
    }

    /** FLD ST(i). */
    static final Exec LOAD_REGISTER = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            Fpu f = FpuAccess.enter(c, i);
            if (f == null) {
                return;
            }
            if (f.isEmpty(i.rm())) {
                if (f.underflow()) {
                    return;
                }
                f.push(INDEFINITE_SE, INDEFINITE_SIG);
                return;
            }
            int vSe = f.se(i.rm());
            long vSig = f.sig(i.rm());
            if (f.pushCheck()) {
                f.push(vSe, vSig);
            }
        }
    };

    /** FST/FSTP/FIST/FISTP/FBSTP to memory. */
    static final class Store extends Exec {
        private final int kind;
        private final boolean pop;

        Store(int kind, boolean pop) {
            this.kind = kind;
            this.pop = pop;
        }

        @Override
        public void run(Cpu c, Insn i) {
            Fpu f = FpuAccess.enter(c, i);
            if (f == null) {
                return;
            }
            int off = FpuAccess.operand(c, i, f);
            ExtendedArithmetic x = f.x;
            x.clear();
            boolean empty = f.isEmpty(0);
            if (empty) {
                if (f.underflow()) {
                    return;
                }
                x.exc = 0;
            }
            int vSe = empty ? INDEFINITE_SE : f.se(0);
            long vSig = empty ? INDEFINITE_SIG : f.sig(0);
            long bits = 0;
            switch (kind) {
                case M32: bits = FormatConversion.toSingle(x, vSe, vSig); break;
                case M64: bits = FormatConversion.toDouble(x, vSe, vSig); break;
                case I16: bits = FormatConversion.toInteger(x, vSe, vSig, 16); break;
                case I32: bits = FormatConversion.toInteger(x, vSe, vSig, 32); break;
                case I64: bits = FormatConversion.toInteger(x, vSe, vSig, 64); break;
                case BCD: bits = PackedBcd.store(x, vSe, vSig); break;
                default: break;
            }
            int e = x.exc;
            if ((f.unmasked(e) & (Fpu.IE | Fpu.OE | Fpu.UE)) != 0) {
                f.sw &= ~Fpu.C1;
                f.signal(e & (Fpu.IE | Fpu.OE | Fpu.UE | Fpu.PE));
                return; // nothing is stored
            }
            switch (kind) {
                case M32: FpuAccess.checkWrite(c, i, off, 4); c.write32(i.seg(), off, (int) bits); break;
                case M64: FpuAccess.write64(c, i, off, bits); break;
                case M80: FpuAccess.write80(c, i, off, vSe, vSig); break;
                case I16: c.write16(i.seg(), off, (int) bits); break;
                case I32: FpuAccess.checkWrite(c, i, off, 4); c.write32(i.seg(), off, (int) bits); break;
                case I64: FpuAccess.write64(c, i, off, bits); break;
                default: FpuAccess.write80(c, i, off, x.se, bits); break;
            }
            if (!empty) {
                f.sw &= ~Fpu.C1;
                if (x.up) {
                    f.sw |= Fpu.C1;
                }
                f.signal(e);
            }
            if (pop) {
                f.pop();
            }
        }
    }

    /** FST/FSTP ST(i): a plain copy, no rounding. */
    static final class StoreRegister extends Exec {
        private final boolean pop;

        StoreRegister(boolean pop) {
            this.pop = pop;
        }

        @Override
        public void run(Cpu c, Insn i) {
            Fpu f = FpuAccess.enter(c, i);
            if (f == null) {
                return;
            }
            if (f.isEmpty(0)) {
                if (f.underflow()) {
                    return;
                }
                f.setIndefinite(i.rm());
            } else {
                f.sw &= ~Fpu.C1;
                f.set(i.rm(), f.se(0), f.sig(0));
            }
            if (pop) {
                f.pop();
            }
        }
    }

    /** FLD1, FLDL2T, FLDL2E, FLDPI, FLDLG2, FLDLN2, FLDZ: the 66-bit internal constants rounded by RC. */
    static final class Constant extends Exec {
        private final int cSe;
        private final long cSig;
        /** Whether the constant's exact value lies above the truncated significand by more than half an ulp. */
        private final boolean nearestUp;
        private final boolean inexact;

        Constant(int cSe, long cSig, boolean nearestUp, boolean inexact) {
            this.cSe = cSe;
            this.cSig = cSig;
            this.nearestUp = nearestUp;
            this.inexact = inexact;
        }

        @Override
        public void run(Cpu c, Insn i) {
            Fpu f = FpuAccess.enter(c, i);
            if (f == null || !f.pushCheck()) {
                return;
            }
            int rc = (f.cw >>> 10) & 3;
            boolean up = inexact && (rc == ExtendedArithmetic.RC_NEAREST ? nearestUp : rc == ExtendedArithmetic.RC_UP);
            f.push(cSe, up ? cSig + 1 : cSig);
        }
    }

    /** FXCH ST(i): with an empty register, the masked response exchanges the indefinite in its place. */
    static final Exec EXCHANGE = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            Fpu f = FpuAccess.enter(c, i);
            if (f == null) {
                return;
            }
            boolean e0 = f.isEmpty(0), ei = f.isEmpty(i.rm());
            if (e0 || ei) {
                if (f.underflow()) {
                    return;
                }
                if (e0) {
                    f.setIndefinite(0);
                }
                if (ei) {
                    f.setIndefinite(i.rm());
                }
            } else {
                f.sw &= ~Fpu.C1;
            }
            int aSe = f.se(0), bSe = f.se(i.rm());
            long aSig = f.sig(0), bSig = f.sig(i.rm());
            f.set(0, bSe, bSig);
            f.set(i.rm(), aSe, aSig);
        }
    };

    /** FCMOVcc: ST(0) = ST(i) when the EFLAGS condition ({@link Conditions} code) holds. */
    static final class ConditionalMove extends Exec {
        private final int cc;

        ConditionalMove(int cc) {
            this.cc = cc;
        }

        @Override
        public void run(Cpu c, Insn i) {
            Fpu f = FpuAccess.enter(c, i);
            if (f == null) {
                return;
            }
            if (f.isEmpty(0) || f.isEmpty(i.rm())) {
                if (!f.underflow()) {
                    f.setIndefinite(0);
                }
                return;
            }
            f.sw &= ~Fpu.C1;
            if (Conditions.test(c, cc)) {
                f.set(0, f.se(i.rm()), f.sig(i.rm()));
            }
        }
    }

    /** FFREE ST(i) (and FFREEP, which pops as well). */
    static final class Free extends Exec {
        private final boolean pop;

        Free(boolean pop) {
            this.pop = pop;
        }

        @Override
        public void run(Cpu c, Insn i) {
            Fpu f = FpuAccess.enter(c, i);
            if (f == null) {
                return;
            }
            f.free(i.rm());
            if (pop) {
                f.pop();
            }
        }
    }

    /** FINCSTP and FDECSTP: TOP moves, tags untouched, C1 cleared. */
    static final class MoveTop extends Exec {
        private final int delta;

        MoveTop(int delta) {
            this.delta = delta;
        }

        @Override
        public void run(Cpu c, Insn i) {
            Fpu f = FpuAccess.enter(c, i);
            if (f == null) {
                return;
            }
            f.top = (f.top + delta) & 7;
            f.sw &= ~Fpu.C1;
        }
    }

    /** FCHS (flip) and FABS (clear) of the sign bit; NaNs are not quieted. */
    static final class Sign extends Exec {
        private final boolean abs;

        Sign(boolean abs) {
            this.abs = abs;
        }

        @Override
        public void run(Cpu c, Insn i) {
            Fpu f = FpuAccess.enter(c, i);
            if (f == null) {
                return;
            }
            if (f.isEmpty(0)) {
                if (!f.underflow()) {
                    f.setIndefinite(0);
                }
                return;
            }
            f.sw &= ~Fpu.C1;
            int s = f.se(0);
            f.set(0, abs ? s & 0x7FFF : s ^ 0x8000, f.sig(0));
        }
    }
}
