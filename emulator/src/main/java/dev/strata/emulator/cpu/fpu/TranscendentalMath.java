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
            sum = sum.add(add, MC);
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
            sum = sum.add(add, MC);
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
            sum = sum.add(term, MC);
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
            sum = sum.add(term, MC);
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
            sum = sum.add(term, MC);
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
     * Rounds a computed value into {@code x} at 64 bits. The value is accurate to far more bits than kept: when
     * its bits past the significand are all zeros or all ones up to that accuracy, the true result is taken to be
     * the exact 64-bit number there (no inexact result).
     */
    static void round(ExtendedArithmetic x, BigDecimal v) {
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
        BigInteger q = num.divide(den);
        int len = q.bitLength();
        int tail = len - 64;
        int trust = 16; // the last bits of q are below the value's accuracy
        BigInteger tailBits = q.subtract(q.shiftRight(tail).shiftLeft(tail));
        BigInteger significant = tailBits.shiftRight(trust);
        int width = tail - trust;
        if (significant.signum() == 0) {
            x.roundBig(sign, q.shiftRight(tail), tail - s, false, 64);
        } else if (significant.bitCount() == width) {
            x.roundBig(sign, q.shiftRight(tail).add(BigInteger.ONE), tail - s, false, 64);
        } else {
            x.roundBig(sign, q, -s, true, 64);
        }
    }
}
