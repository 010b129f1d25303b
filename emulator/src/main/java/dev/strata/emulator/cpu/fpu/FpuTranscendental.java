package dev.strata.emulator.cpu.fpu;

import static dev.strata.emulator.cpu.fpu.Extended.BIAS;
import static dev.strata.emulator.cpu.fpu.Extended.DENORMAL;
import static dev.strata.emulator.cpu.fpu.Extended.INF;
import static dev.strata.emulator.cpu.fpu.Extended.INT_BIT;
import static dev.strata.emulator.cpu.fpu.Extended.MAX_EXP;
import static dev.strata.emulator.cpu.fpu.Extended.UNSUPPORTED;
import static dev.strata.emulator.cpu.fpu.Extended.ZERO;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.decode.Exec;
import dev.strata.emulator.cpu.decode.Insn;
import java.math.BigDecimal;

/**
 * F2XM1, FYL2X, FYL2XP1, FPTAN, FPATAN, FSIN, FCOS and FSINCOS: special operands by the SDM's tables, finite
 * ones computed by {@link TranscendentalMath} and rounded once to 64 bits by the rounding control.
 */
final class FpuTranscendental {

    private FpuTranscendental() {
    }

    /** |x| at or above 2^63: the trigonometric instructions set C2 and leave the operand alone. */
    private static boolean outOfRange(int se) {
        return (se & MAX_EXP) >= BIAS + 63;
    }

    /** Handles NaN and unsupported operands and the denormal flag; true when the result is already set. */
    private static boolean special1(ExtendedArithmetic x, int se, long sig, int cls) {
        if (x.special1(se, sig, cls)) {
            return true;
        }
        if (cls == DENORMAL) {
            x.exc |= ExtendedArithmetic.DE;
        }
        return false;
    }

    static final Exec F2XM1 = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            Fpu f = FpuAccess.enter(c, i);
            if (f == null || emptyUnary(f)) {
                return;
            }
            ExtendedArithmetic x = f.x;
            x.clear();
            int se = f.se(0);
            long sig = f.sig(0);
            int cls = Extended.classify(se, sig);
            if (!special1(x, se, sig, cls)) {
                if (cls == ZERO) {
                    x.se = se;
                    x.sig = 0;
                } else if (cls == INF) {
                    x.result(se >>> 15, se < 0x8000 ? MAX_EXP : BIAS, INT_BIT); // +inf, or -1
                } else if ((se & MAX_EXP) > BIAS + 14) {
                    // far outside the documented range: 2^x - 1 overflows or is -1
                    if ((se & 0x8000) != 0) {
                        x.result(1, BIAS, INT_BIT);
                        x.exc |= ExtendedArithmetic.PE;
                    } else {
                        x.roundTo(0, MAX_EXP + 1, INT_BIT, 0, 64);
                    }
                } else {
                    BigDecimal v = TranscendentalMath.toDecimal(se, sig);
                    TranscendentalMath.round(x, TranscendentalMath.expm1(v.multiply(TranscendentalMath.LN2,
                            TranscendentalMath.MC)));
                }
            }
            f.commit(0);
        }
    };

    /** A stack underflow on ST(0): true when the instruction is finished. */
    private static boolean emptyUnary(Fpu f) {
        if (f.isEmpty(0)) {
            if (!f.underflow()) {
                f.setIndefinite(0);
            }
            return true;
        }
        return false;
    }

    /** A stack underflow on ST(0) or ST(1) of an instruction writing ST(1) and popping. */
    private static boolean emptyBinary(Fpu f) {
        if (f.isEmpty(0) || f.isEmpty(1)) {
            if (!f.underflow()) {
                f.setIndefinite(1);
                f.pop();
            }
            return true;
        }
        return false;
    }

    /** Sign of a finite nonzero log2(x) for x > 0: -1 below one, 0 at one, 1 above. */
    private static int logSign(int se, long sig) {
        int e = ExtendedArithmetic.unpackExp(se, sig);
        long m = ExtendedArithmetic.unpackSig(sig);
        if (e < BIAS) {
            return -1;
        }
        return e == BIAS && m == INT_BIT ? 0 : 1;
    }

    /**
     * y * l where l = log2(x) is described by its class: the IEEE product rules for infinities and zeros (an
     * infinity times zero is invalid), {@code lSign} 1 for negative.
     */
    private static void productSpecial(ExtendedArithmetic x, int ySe, int cy, int lClass, int lSign) {
        int sign = (ySe >>> 15 & 1) ^ lSign;
        if ((cy == INF && lClass == ZERO) || (cy == ZERO && lClass == INF)) {
            x.invalid();
        } else if (cy == INF || lClass == INF) {
            x.result(sign, MAX_EXP, INT_BIT);
        } else {
            x.result(sign, 0, 0);
        }
    }

    /** FYL2X: ST(1) = ST(1) * log2(ST(0)), then pop. */
    static final Exec FYL2X = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            Fpu f = FpuAccess.enter(c, i);
            if (f == null || emptyBinary(f)) {
                return;
            }
            ExtendedArithmetic x = f.x;
            x.clear();
            int xSe = f.se(0), ySe = f.se(1);
            long xSig = f.sig(0), ySig = f.sig(1);
            int cx = Extended.classify(xSe, xSig), cy = Extended.classify(ySe, ySig);
            if (cx == UNSUPPORTED || cy == UNSUPPORTED) {
                x.invalid();
            } else if (!x.propagate(xSe, xSig, cx, ySe, ySig, cy)) {
                if (cx == DENORMAL || cy == DENORMAL) {
                    x.exc |= ExtendedArithmetic.DE;
                }
                if ((xSe & 0x8000) != 0 && cx != ZERO) {
                    x.invalid();
                } else if (cx == ZERO) {
                    if (cy == ZERO) {
                        x.invalid();
                    } else {
                        if (cy != INF) {
                            x.exc |= ExtendedArithmetic.ZE;
                        }
                        productSpecial(x, ySe, cy, INF, 1);
                    }
                } else if (cx == INF) {
                    productSpecial(x, ySe, cy, INF, 0);
                } else {
                    int ls = logSign(xSe, xSig);
                    if (ls == 0 || cy == ZERO || cy == INF) {
                        productSpecial(x, ySe, cy, ls == 0 ? ZERO : 1, ls < 0 ? 1 : 0);
                    } else {
                        BigDecimal lx = log2(xSe, xSig);
                        TranscendentalMath.round(x, TranscendentalMath.toDecimal(ySe, ySig)
                                .multiply(lx, TranscendentalMath.MC));
                    }
                }
            }
            if (f.commit(1)) {
                f.pop();
            }
        }
    };

    /** log2 of a finite positive extended value. */
    private static BigDecimal log2(int se, long sig) {
        int e = ExtendedArithmetic.unpackExp(se, sig) - BIAS;
        BigDecimal m = TranscendentalMath.toDecimal(BIAS, ExtendedArithmetic.unpackSig(sig));
        BigDecimal frac = TranscendentalMath.ln(m).divide(TranscendentalMath.LN2, TranscendentalMath.MC);
        return frac.add(BigDecimal.valueOf(e), TranscendentalMath.MC);
    }

    /** FYL2XP1: ST(1) = ST(1) * log2(ST(0) + 1), then pop. */
    static final Exec FYL2XP1 = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            Fpu f = FpuAccess.enter(c, i);
            if (f == null || emptyBinary(f)) {
                return;
            }
            ExtendedArithmetic x = f.x;
            x.clear();
            int xSe = f.se(0), ySe = f.se(1);
            long xSig = f.sig(0), ySig = f.sig(1);
            int cx = Extended.classify(xSe, xSig), cy = Extended.classify(ySe, ySig);
            if (cx == UNSUPPORTED || cy == UNSUPPORTED) {
                x.invalid();
            } else if (!x.propagate(xSe, xSig, cx, ySe, ySig, cy)) {
                if (cx == DENORMAL || cy == DENORMAL) {
                    x.exc |= ExtendedArithmetic.DE;
                }
                BigDecimal xv = cx == ZERO || cx == INF ? null : TranscendentalMath.toDecimal(xSe, xSig);
                if (cx == INF) {
                    if ((xSe & 0x8000) != 0) {
                        x.invalid();
                    } else {
                        productSpecial(x, ySe, cy, INF, 0);
                    }
                } else if (cx == ZERO) {
                    productSpecial(x, ySe, cy, ZERO, xSe >>> 15 & 1);
                } else if (xv.compareTo(BigDecimal.ONE.negate()) < 0) {
                    x.invalid();
                } else if (xv.compareTo(BigDecimal.ONE.negate()) == 0) {
                    if (cy == ZERO) {
                        x.invalid();
                    } else {
                        if (cy != INF) {
                            x.exc |= ExtendedArithmetic.ZE;
                        }
                        productSpecial(x, ySe, cy, INF, 1);
                    }
                } else if (cy == ZERO || cy == INF) {
                    productSpecial(x, ySe, cy, 1, xSe >>> 15 & 1);
                } else {
                    BigDecimal l = TranscendentalMath.ln1p(xv).divide(TranscendentalMath.LN2, TranscendentalMath.MC);
                    TranscendentalMath.round(x, TranscendentalMath.toDecimal(ySe, ySig)
                            .multiply(l, TranscendentalMath.MC));
                }
            }
            if (f.commit(1)) {
                f.pop();
            }
        }
    };

    /** FPATAN: ST(1) = arctan(ST(1) / ST(0)) in the quadrant of (ST(0), ST(1)), then pop. */
    static final Exec FPATAN = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            Fpu f = FpuAccess.enter(c, i);
            if (f == null || emptyBinary(f)) {
                return;
            }
            ExtendedArithmetic x = f.x;
            x.clear();
            int xSe = f.se(0), ySe = f.se(1);
            long xSig = f.sig(0), ySig = f.sig(1);
            int cx = Extended.classify(xSe, xSig), cy = Extended.classify(ySe, ySig);
            if (cx == UNSUPPORTED || cy == UNSUPPORTED) {
                x.invalid();
            } else if (!x.propagate(xSe, xSig, cx, ySe, ySig, cy)) {
                if (cx == DENORMAL || cy == DENORMAL) {
                    x.exc |= ExtendedArithmetic.DE;
                }
                boolean xNeg = (xSe & 0x8000) != 0;
                int ySign = ySe >>> 15 & 1;
                BigDecimal pi = TranscendentalMath.PI;
                BigDecimal r;
                if (cy == ZERO) {
                    r = xNeg ? pi : null;
                } else if (cy == INF) {
                    if (cx == INF) {
                        r = xNeg ? pi.multiply(BigDecimal.valueOf(3)).divide(BigDecimal.valueOf(4),
                                TranscendentalMath.MC) : pi.divide(BigDecimal.valueOf(4), TranscendentalMath.MC);
                    } else {
                        r = TranscendentalMath.HALF_PI;
                    }
                } else if (cx == ZERO) {
                    r = TranscendentalMath.HALF_PI;
                } else if (cx == INF) {
                    r = xNeg ? pi : null;
                } else {
                    BigDecimal xv = TranscendentalMath.toDecimal(xSe, xSig);
                    BigDecimal yv = TranscendentalMath.toDecimal(ySe & 0x7FFF, ySig);
                    r = TranscendentalMath.atan(yv.divide(xv.abs(), TranscendentalMath.MC));
                    if (xNeg) {
                        r = pi.subtract(r, TranscendentalMath.MC);
                    }
                }
                if (r == null) {
                    x.result(ySign, 0, 0);
                } else {
                    TranscendentalMath.round(x, ySign != 0 ? r.negate() : r);
                }
            }
            if (f.commit(1)) {
                f.pop();
            }
        }
    };

    /** FSIN, FCOS, FPTAN, FSINCOS share their operand checks; {@code kind} picks the function. */
    static final class Trigonometric extends Exec {
        static final int SIN = 0, COS = 1, TAN = 2, SINCOS = 3;
        private final int kind;

        Trigonometric(int kind) {
            this.kind = kind;
        }

        @Override
        public void run(Cpu c, Insn i) {
            Fpu f = FpuAccess.enter(c, i);
            if (f == null) {
                return;
            }
            boolean pushes = kind == TAN || kind == SINCOS;
            if (f.isEmpty(0)) {
                if (!f.underflow()) {
                    f.setIndefinite(0);
                    if (pushes && f.pushCheck()) {
                        f.push(Extended.INDEFINITE_SE, Extended.INDEFINITE_SIG);
                    }
                }
                return;
            }
            if (pushes && !f.isEmpty(7)) {
                f.pushCheck();
                return;
            }
            int se = f.se(0);
            long sig = f.sig(0);
            int cls = Extended.classify(se, sig);
            f.sw &= ~Fpu.C2;
            if ((cls == Extended.NORMAL || cls == DENORMAL) && outOfRange(se)) {
                f.sw |= Fpu.C2;
                return;
            }
            ExtendedArithmetic x = f.x;
            x.clear();
            int rSe = 0, pSe = 0;
            long rSig = 0, pSig = 0;
            boolean done = special1(x, se, sig, cls);
            if (!done && cls == INF) {
                x.invalid();
                done = true;
            }
            if (done) {
                rSe = pSe = x.se;
                rSig = pSig = x.sig;
            } else if (cls == ZERO) {
                rSe = se; // sin and tan of a zero keep its sign; cos is 1
                rSig = 0;
                if (kind == COS) {
                    rSe = BIAS;
                    rSig = INT_BIT;
                }
                pSe = BIAS;
                pSig = INT_BIT;
            } else {
                BigDecimal[] sc = TranscendentalMath.sinCos(TranscendentalMath.toDecimal(se, sig));
                boolean up = false;
                if (kind == SINCOS) {
                    TranscendentalMath.round(x, sc[1]);
                    pSe = x.se;
                    pSig = x.sig;
                    up = x.up;
                    x.up = false;
                }
                BigDecimal first;
                switch (kind) {
                    case COS: first = sc[1]; break;
                    case TAN: first = sc[0].divide(sc[1], TranscendentalMath.MC); break;
                    default: first = sc[0]; break;
                }
                TranscendentalMath.round(x, first);
                rSe = x.se;
                rSig = x.sig;
                x.up |= up;
                if (kind == TAN) {
                    pSe = BIAS;
                    pSig = INT_BIT;
                }
            }
            int e = x.exc;
            f.sw &= ~Fpu.C1;
            if ((f.unmasked(e) & (Fpu.IE | Fpu.DE)) != 0) {
                f.signal(e & (Fpu.IE | Fpu.DE));
                return;
            }
            if (x.up) {
                f.sw |= Fpu.C1;
            }
            f.signal(e);
            f.set(0, rSe, rSig);
            if (pushes) {
                f.push(pSe, pSig);
            }
        }
    }

    static final Exec FSIN = new Trigonometric(Trigonometric.SIN);
    static final Exec FCOS = new Trigonometric(Trigonometric.COS);
    static final Exec FPTAN = new Trigonometric(Trigonometric.TAN);
    static final Exec FSINCOS = new Trigonometric(Trigonometric.SINCOS);
}
