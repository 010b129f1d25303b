package dev.strata.emulator.cpu.fpu;

import static dev.strata.emulator.cpu.fpu.Extended.BIAS;
import static dev.strata.emulator.cpu.fpu.Extended.DENORMAL;
import static dev.strata.emulator.cpu.fpu.Extended.INF;
import static dev.strata.emulator.cpu.fpu.Extended.INT_BIT;
import static dev.strata.emulator.cpu.fpu.Extended.MAX_EXP;
import static dev.strata.emulator.cpu.fpu.Extended.NORMAL;
import static dev.strata.emulator.cpu.fpu.Extended.QNAN;
import static dev.strata.emulator.cpu.fpu.Extended.SNAN;
import static dev.strata.emulator.cpu.fpu.Extended.UNSUPPORTED;
import static dev.strata.emulator.cpu.fpu.Extended.ZERO;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.decode.Exec;
import dev.strata.emulator.cpu.decode.Insn;
import java.math.BigInteger;

/** FXAM, FSQRT, FRNDINT, FSCALE, FXTRACT and FPREM/FPREM1. */
final class FpuFunctions {

    private FpuFunctions() {
    }

    /** FXAM: the class of ST(0) in C3/C2/C0 and its sign in C1; empty registers included, no exceptions. */
    static final Exec EXAMINE = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            Fpu f = FpuAccess.enter(c, i);
            if (f == null) {
                return;
            }
            int s = f.se(0);
            int cc;
            if (f.isEmpty(0)) {
                cc = Fpu.C3 | Fpu.C0;
            } else {
                switch (Extended.classify(s, f.sig(0))) {
                    case ZERO: cc = Fpu.C3; break;
                    case NORMAL: cc = Fpu.C2; break;
                    case DENORMAL: cc = Fpu.C3 | Fpu.C2; break;
                    case INF: cc = Fpu.C2 | Fpu.C0; break;
                    case QNAN: case SNAN: cc = Fpu.C0; break;
                    default: cc = 0; break;
                }
            }
            if ((s & 0x8000) != 0) {
                cc |= Fpu.C1;
            }
            f.sw = (f.sw & ~Fpu.CC) | cc;
        }
    };

    /** A one-operand instruction on ST(0) whose result replaces it (FSQRT, FRNDINT). */
    abstract static class Unary extends Exec {
        @Override
        public final void run(Cpu c, Insn i) {
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
            f.x.clear();
            compute(f.x, f.se(0), f.sig(0));
            f.commit(0);
        }

        abstract void compute(ExtendedArithmetic x, int se, long sig);
    }

    static final Exec SQRT = new Unary() {
        @Override
        void compute(ExtendedArithmetic x, int se, long sig) {
            x.sqrt(se, sig);
        }
    };

    static final Exec ROUND = new Unary() {
        @Override
        void compute(ExtendedArithmetic x, int se, long sig) {
            FormatConversion.roundToIntegral(x, se, sig);
        }
    };

    /** FSCALE: ST(0) times 2 to the power of ST(1) truncated toward zero. */
    static final Exec SCALE = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            Fpu f = FpuAccess.enter(c, i);
            if (f == null) {
                return;
            }
            if (f.isEmpty(0) || f.isEmpty(1)) {
                if (!f.underflow()) {
                    f.setIndefinite(0);
                }
                return;
            }
            ExtendedArithmetic x = f.x;
            x.clear();
            scale(x, f.se(0), f.sig(0), f.se(1), f.sig(1));
            f.commit(0);
        }
    };

    static void scale(ExtendedArithmetic x, int aSe, long aSig, int bSe, long bSig) {
        int ca = Extended.classify(aSe, aSig), cb = Extended.classify(bSe, bSig);
        if (ca == UNSUPPORTED || cb == UNSUPPORTED) {
            x.invalid();
            return;
        }
        if (x.propagate(aSe, aSig, ca, bSe, bSig, cb)) {
            return;
        }
        if (ca == DENORMAL || cb == DENORMAL) {
            x.exc |= ExtendedArithmetic.DE;
        }
        int sign = aSe >>> 15 & 1;
        if (cb == INF) {
            boolean negative = (bSe & 0x8000) != 0;
            if (negative ? ca == INF : ca == ZERO) {
                x.invalid();
            } else {
                x.result(sign, negative ? 0 : MAX_EXP, negative ? 0 : INT_BIT);
            }
            return;
        }
        if (ca == ZERO || ca == INF) {
            x.se = aSe;
            x.sig = aSig;
            return;
        }
        int n;
        int be = Extended.exp(bSe) - BIAS;
        if (cb == ZERO || be < 0) {
            n = 0;
        } else if (be > 30) {
            n = 1 << 30; // far beyond any exponent: the rounding overflows or underflows
        } else {
            n = (int) (bSig >>> (63 - be));
        }
        if ((bSe & 0x8000) != 0) {
            n = -n;
        }
        x.roundTo(sign, ExtendedArithmetic.unpackExp(aSe, aSig) + n, ExtendedArithmetic.unpackSig(aSig), 0, 64);
    }

    /** FXTRACT: ST(0) becomes its exponent (as a real) and the significand is pushed above it. */
    static final Exec EXTRACT = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            Fpu f = FpuAccess.enter(c, i);
            if (f == null) {
                return;
            }
            if (f.isEmpty(0)) {
                if (!f.underflow()) {
                    f.setIndefinite(0);
                    if (f.pushCheck()) {
                        f.push(Extended.INDEFINITE_SE, Extended.INDEFINITE_SIG);
                    }
                }
                return;
            }
            if (!f.isEmpty(7)) {
                f.pushCheck();
                return;
            }
            ExtendedArithmetic x = f.x;
            x.clear();
            int se = f.se(0);
            long sig = f.sig(0);
            int cls = Extended.classify(se, sig);
            int expSe, sigSe;
            long expSig, sigSig;
            if (x.special1(se, sig, cls)) {
                expSe = sigSe = x.se;
                expSig = sigSig = x.sig;
            } else if (cls == ZERO) {
                x.exc |= ExtendedArithmetic.ZE;
                expSe = 0xFFFF;
                expSig = INT_BIT;
                sigSe = se;
                sigSig = 0;
            } else if (cls == INF) {
                expSe = MAX_EXP;
                expSig = INT_BIT;
                sigSe = se;
                sigSig = sig;
            } else {
                if (cls == DENORMAL) {
                    x.exc |= ExtendedArithmetic.DE;
                }
                FormatConversion.fromInteger(x, ExtendedArithmetic.unpackExp(se, sig) - BIAS);
                expSe = x.se;
                expSig = x.sig;
                sigSe = (se & 0x8000) | BIAS;
                sigSig = ExtendedArithmetic.unpackSig(sig);
            }
            int e = x.exc;
            f.sw &= ~Fpu.C1;
            if (f.unmasked(e) != 0) {
                f.signal(e);
                return;
            }
            f.signal(e);
            f.set(0, expSe, expSig);
            f.push(sigSe, sigSig);
        }
    };

    /** FPREM (quotient truncated) and FPREM1 (IEEE remainder, quotient rounded to nearest). */
    static final class Remainder extends Exec {
        private final boolean ieee;

        Remainder(boolean ieee) {
            this.ieee = ieee;
        }

        @Override
        public void run(Cpu c, Insn i) {
            Fpu f = FpuAccess.enter(c, i);
            if (f == null) {
                return;
            }
            if (f.isEmpty(0) || f.isEmpty(1)) {
                if (!f.underflow()) {
                    f.setIndefinite(0);
                }
                return;
            }
            ExtendedArithmetic x = f.x;
            x.clear();
            int cc = remainder(x, f.se(0), f.sig(0), f.se(1), f.sig(1), ieee);
            if (f.commit(0)) {
                f.sw = (f.sw & ~Fpu.CC) | cc;
            }
        }
    }

    /** Computes the (partial) remainder into x; returns the condition codes (C2 set when incomplete). */
    static int remainder(ExtendedArithmetic x, int aSe, long aSig, int bSe, long bSig, boolean ieee) {
        int ca = Extended.classify(aSe, aSig), cb = Extended.classify(bSe, bSig);
        if (ca == UNSUPPORTED || cb == UNSUPPORTED) {
            x.invalid();
            return 0;
        }
        if (x.propagate(aSe, aSig, ca, bSe, bSig, cb)) {
            return 0;
        }
        if (ca == INF || cb == ZERO) {
            if (cb == DENORMAL || ca == DENORMAL) {
                x.exc |= ExtendedArithmetic.DE;
            }
            x.invalid();
            return 0;
        }
        if (ca == DENORMAL || cb == DENORMAL) {
            x.exc |= ExtendedArithmetic.DE;
        }
        if (ca == ZERO || cb == INF) {
            if (ca == ZERO) {
                x.se = aSe;
                x.sig = aSig;
            } else {
                x.roundTo(aSe >>> 15 & 1, ExtendedArithmetic.unpackExp(aSe, aSig),
                        ExtendedArithmetic.unpackSig(aSig), 0, 64);
            }
            return 0;
        }
        int ea = ExtendedArithmetic.unpackExp(aSe, aSig), eb = ExtendedArithmetic.unpackExp(bSe, bSig);
        BigInteger a = unsigned(ExtendedArithmetic.unpackSig(aSig));
        BigInteger b = unsigned(ExtendedArithmetic.unpackSig(bSig));
        int d = ea - eb;
        boolean partial = d >= 64;
        BigInteger num, den;
        int scale;
        if (partial) {
            int n = 32 + ((d - 32) & 31);
            num = a.shiftLeft(n);
            den = b;
            scale = eb - BIAS - 63 + (d - n);
        } else if (d >= 0) {
            num = a.shiftLeft(d);
            den = b;
            scale = eb - BIAS - 63;
        } else {
            num = a;
            den = b.shiftLeft(-d);
            scale = ea - BIAS - 63;
        }
        BigInteger[] qr = num.divideAndRemainder(den);
        BigInteger q = qr[0], r = qr[1];
        int sign = aSe >>> 15 & 1;
        if (ieee && !partial) {
            int cmp = r.shiftLeft(1).compareTo(den);
            if (cmp > 0 || (cmp == 0 && q.testBit(0))) {
                q = q.add(BigInteger.ONE);
                r = den.subtract(r);
                sign ^= 1;
            }
        }
        if (r.signum() == 0) {
            x.result(aSe >>> 15 & 1, 0, 0);
        } else {
            x.roundBig(sign, r, scale, false, 64);
        }
        if (partial) {
            return Fpu.C2;
        }
        int qb = q.intValue();
        int cc = 0;
        if ((qb & 4) != 0) {
            cc |= Fpu.C0;
        }
        if ((qb & 2) != 0) {
            cc |= Fpu.C3;
        }
        if ((qb & 1) != 0) {
            cc |= Fpu.C1;
        }
        return cc;
    }

    static BigInteger unsigned(long v) {
        BigInteger b = BigInteger.valueOf(v & Long.MAX_VALUE);
        return v < 0 ? b.setBit(63) : b;
    }
}
