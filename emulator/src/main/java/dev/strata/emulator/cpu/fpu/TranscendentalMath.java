package dev.strata.emulator.cpu.fpu;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Elementary functions to about 300 bits with {@link BigDecimal}, far beyond the 64-bit results they feed, so the
 * x87's transcendental instructions round a value that is right in every bit they keep. Slow by design: these
 * instructions are rare and correctness comes first.
 */
final class TranscendentalMath {

    private TranscendentalMath() {
    }

    static final MathContext MC = new MathContext(95, RoundingMode.HALF_EVEN);
    private static final BigDecimal EPS = BigDecimal.ONE.movePointLeft(100);
    private static final BigDecimal TWO = BigDecimal.valueOf(2);

    static final BigDecimal PI = computePi();
    static final BigDecimal HALF_PI = PI.divide(TWO, MC);
    static final BigDecimal LN2 = lnSmall(BigDecimal.ONE.divide(BigDecimal.valueOf(3), MC)); // ln 2 = 2 atanh(1/3)

    private static BigDecimal computePi() {
        // Machin: pi = 16 atan(1/5) - 4 atan(1/239)
        BigDecimal a = atanSeries(BigDecimal.ONE.divide(BigDecimal.valueOf(5), MC));
        BigDecimal b = atanSeries(BigDecimal.ONE.divide(BigDecimal.valueOf(239), MC));
        return a.multiply(BigDecimal.valueOf(16)).subtract(b.multiply(BigDecimal.valueOf(4)), MC);
    }

    /** atan t by its Taylor series, for small |t|. */
    private static BigDecimal atanSeries(BigDecimal t) {
        BigDecimal t2 = t.multiply(t, MC);
        BigDecimal term = t;
        BigDecimal sum = t;
        for (int k = 1; k < 2000; k++) {
            term = term.multiply(t2, MC).negate();
            BigDecimal add = term.divide(BigDecimal.valueOf(2L * k + 1), MC);
            sum = sum.add(add); // exact, so a tiny correction to a large first term is kept
            if (add.abs().compareTo(EPS.multiply(sum.abs())) < 0) {
                break;
            }
        }
        return sum;
    }

    /** 2 atanh(t) = ln((1 + t) / (1 - t)), for |t| well below 1. */
    static BigDecimal lnSmall(BigDecimal t) {
        if (t.signum() == 0) {
            return BigDecimal.ZERO;
        }
        BigDecimal t2 = t.multiply(t, MC);
        BigDecimal term = t;
        BigDecimal sum = t;
        for (int k = 1; k < 5000; k++) {
            term = term.multiply(t2, MC);
            BigDecimal add = term.divide(BigDecimal.valueOf(2L * k + 1), MC);
            sum = sum.add(add); // exact, so a tiny correction to a large first term is kept
            if (add.abs().compareTo(EPS.multiply(sum.abs())) < 0) {
                break;
            }
        }
        return sum.multiply(TWO, MC);
    }

    /** ln m for m in [1, 2]. */
    static BigDecimal ln(BigDecimal m) {
        return lnSmall(m.subtract(BigDecimal.ONE).divide(m.add(BigDecimal.ONE), MC));
    }

    /** ln(1 + x) for x > -1, accurate relative to x when x is tiny. */
    static BigDecimal ln1p(BigDecimal x) {
        return lnSmall(x.divide(x.add(TWO), MC));
    }

    /** e^y - 1, accurate relative to y when y is tiny (|y| at most about 1). */
    static BigDecimal expm1(BigDecimal y) {
        BigDecimal term = y;
        BigDecimal sum = y;
        for (int k = 2; k < 2000; k++) {
            term = term.multiply(y, MC).divide(BigDecimal.valueOf(k), MC);
            sum = sum.add(term); // exact, so a tiny correction to a large first term is kept
            if (term.abs().compareTo(EPS.multiply(sum.abs())) < 0) {
                break;
            }
        }
        return sum;
    }

    /** atan t for any t, by halving the angle until the series converges fast. */
    static BigDecimal atan(BigDecimal t) {
        if (t.signum() < 0) {
            return atan(t.negate()).negate();
        }
        if (t.compareTo(BigDecimal.ONE) > 0) {
            return HALF_PI.subtract(atan(BigDecimal.ONE.divide(t, MC)), MC);
        }
        if (t.compareTo(BigDecimal.valueOf(1, 1)) < 0) {
            return atanSeries(t); // converges fast, and keeps the tiny correction of a tiny t
        }
        BigDecimal u = t;
        for (int k = 0; k < 3; k++) {
            u = u.divide(BigDecimal.ONE.add(BigDecimal.ONE.add(u.multiply(u, MC)).sqrt(MC)), MC);
        }
        return atanSeries(u).multiply(BigDecimal.valueOf(8), MC);
    }

    /** sin r and cos r for |r| up to about pi/4, by their Taylor series. */
    static BigDecimal sinSeries(BigDecimal r) {
        BigDecimal r2 = r.multiply(r, MC);
        BigDecimal term = r;
        BigDecimal sum = r;
        for (int k = 1; k < 500; k++) {
            term = term.multiply(r2, MC).divide(BigDecimal.valueOf((2L * k) * (2L * k + 1)), MC).negate();
            sum = sum.add(term); // exact, so a tiny correction to a large first term is kept
            if (term.abs().compareTo(EPS.multiply(sum.abs())) < 0) {
                break;
            }
        }
        return sum;
    }

    static BigDecimal cosSeries(BigDecimal r) {
        BigDecimal r2 = r.multiply(r, MC);
        BigDecimal term = BigDecimal.ONE;
        BigDecimal sum = BigDecimal.ONE;
        for (int k = 1; k < 500; k++) {
            term = term.multiply(r2, MC).divide(BigDecimal.valueOf((2L * k - 1) * (2L * k)), MC).negate();
            sum = sum.add(term); // exact, so a tiny correction to a large first term is kept
            if (term.abs().compareTo(EPS) < 0) {
                break;
            }
        }
        return sum;
    }

    /** sin and cos of any x below 2^63 in magnitude: reduced by multiples of pi/2 with a 300-bit pi. */
    static BigDecimal[] sinCos(BigDecimal x) {
        MathContext wide = new MathContext(130, RoundingMode.HALF_EVEN);
        BigDecimal k = x.divide(HALF_PI, wide).setScale(0, RoundingMode.HALF_EVEN);
        BigDecimal r = x.subtract(k.multiply(HALF_PI, wide), wide).round(MC);
        BigDecimal s = sinSeries(r), c = cosSeries(r);
        switch (k.toBigInteger().intValue() & 3) {
            case 0: return new BigDecimal[] {s, c};
            case 1: return new BigDecimal[] {c, s.negate()};
            case 2: return new BigDecimal[] {s.negate(), c.negate()};
            default: return new BigDecimal[] {c.negate(), s};
        }
    }

    /**
     * |y / x| for finite nonzero operands, the power of two applied exactly, so a quotient that is a binary
     * number stays exact however tiny or huge it is.
     */
    static BigDecimal ratio(int ySe, long ySig, int xSe, long xSig) {
        BigDecimal my = toDecimal(Extended.BIAS, ExtendedArithmetic.unpackSig(ySig));
        BigDecimal mx = toDecimal(Extended.BIAS, ExtendedArithmetic.unpackSig(xSig));
        int k = ExtendedArithmetic.unpackExp(ySe, ySig) - ExtendedArithmetic.unpackExp(xSe, xSig);
        return my.divide(mx, MC).multiply(twoTo(k));
    }

    /** The exact value of an extended number (finite). */
    static BigDecimal toDecimal(int se, long sig) {
        BigInteger m = FpuFunctions.unsigned(ExtendedArithmetic.unpackSig(sig));
        int e = ExtendedArithmetic.unpackExp(se, sig) - Extended.BIAS - 63;
        BigDecimal v;
        if (e >= 0) {
            v = new BigDecimal(m.shiftLeft(e));
        } else {
            v = new BigDecimal(m.multiply(BigInteger.valueOf(5).pow(-e)), -e);
        }
        return (se & 0x8000) != 0 ? v.negate() : v;
    }

    /**
     * Rounds a computed transcendental value into {@code x} at 64 bits. Such a value is never exactly
     * representable (the callers handle the exact cases), so the bits beyond the computed ones count as nonzero:
     * the result is inexact and rounds the right way even when the computed value looks exact.
     */
    static void round(ExtendedArithmetic x, BigDecimal v) {
        roundTo(x, v, true);
    }

    /** Rounds a value that is exact as given (a product of binary numbers), inexact only if bits are lost. */
    static void roundExact(ExtendedArithmetic x, BigDecimal v) {
        roundTo(x, v, false);
    }

    private static void roundTo(ExtendedArithmetic x, BigDecimal v, boolean inexact) {
        int sign = v.signum() < 0 ? 1 : 0;
        v = v.abs();
        if (v.signum() == 0) {
            x.result(sign, 0, 0);
            return;
        }
        BigInteger unscaled = v.unscaledValue();
        int scale = v.scale();
        long log2 = unscaled.bitLength() - (long) Math.ceil(scale * 3.321928094887362);
        int s = (int) (256 - log2);
        BigInteger num = unscaled;
        BigInteger den = BigInteger.ONE;
        if (s >= 0) {
            num = num.shiftLeft(s);
        } else {
            den = den.shiftLeft(-s);
        }
        if (scale >= 0) {
            den = den.multiply(BigInteger.TEN.pow(scale));
        } else {
            num = num.multiply(BigInteger.TEN.pow(-scale));
        }
        BigInteger[] qr = num.divideAndRemainder(den);
        x.roundBig(sign, qr[0], -s, inexact || qr[1].signum() != 0, 64);
    }

    /** k when {@code v} is exactly 2^k, else null. */
    static Integer powerOfTwo(BigDecimal v) {
        if (v.signum() <= 0) {
            return null;
        }
        BigDecimal t = v.stripTrailingZeros();
        if (t.scale() <= 0) {
            BigInteger n = t.toBigInteger();
            return n.bitCount() == 1 ? n.bitLength() - 1 : null;
        }
        return t.unscaledValue().equals(BigInteger.valueOf(5).pow(t.scale())) ? -t.scale() : null;
    }

    /** 2^k exactly. */
    static BigDecimal twoTo(int k) {
        return k >= 0 ? new BigDecimal(BigInteger.ONE.shiftLeft(k)) : new BigDecimal(BigInteger.valueOf(5).pow(-k), -k);
    }
}
