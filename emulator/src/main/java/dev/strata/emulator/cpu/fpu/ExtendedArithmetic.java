package dev.strata.emulator.cpu.fpu;

import static dev.strata.emulator.cpu.fpu.Extended.BIAS;
import static dev.strata.emulator.cpu.fpu.Extended.DENORMAL;
import static dev.strata.emulator.cpu.fpu.Extended.INDEFINITE_SE;
import static dev.strata.emulator.cpu.fpu.Extended.INDEFINITE_SIG;
import static dev.strata.emulator.cpu.fpu.Extended.INF;
import static dev.strata.emulator.cpu.fpu.Extended.INT_BIT;
import static dev.strata.emulator.cpu.fpu.Extended.MAX_EXP;
import static dev.strata.emulator.cpu.fpu.Extended.QUIET_BIT;
import static dev.strata.emulator.cpu.fpu.Extended.SNAN;
import static dev.strata.emulator.cpu.fpu.Extended.UNSUPPORTED;
import static dev.strata.emulator.cpu.fpu.Extended.ZERO;

import dev.strata.emulator.state.StateClass;
import dev.strata.emulator.state.StateField;
import java.math.BigInteger;

/**
 * Exactly rounded extended-precision arithmetic as the x87 does it: every result is computed exactly (or with a
 * sticky bit) and rounded once, to the precision control's 24, 53 or 64 bits and the rounding control's mode,
 * inside the 15-bit exponent range, with masked and unmasked overflow/underflow handled as the SDM says.
 *
 * <p>To stay allocation-free, an operation leaves its result in {@link #se}/{@link #sig}, the exception flags it
 * raised (status-word bit positions) in {@link #exc}, and in {@link #up} whether rounding increased the magnitude
 * (the x87's C1). One instance belongs to each FPU.
 */
@StateClass("dev.strata.emulator.cpu.fpu.ExtendedArithmetic")
public final class ExtendedArithmetic {

    public static final int IE = 1, DE = 2, ZE = 4, OE = 8, UE = 0x10, PE = 0x20;
    public static final int RC_NEAREST = 0, RC_DOWN = 1, RC_UP = 2, RC_ZERO = 3;
    /** Exponent bias adjustment applied to results of unmasked overflow and underflow. */
    static final int BIAS_ADJUST = 0x6000;

    @StateField("se") public int se;
    @StateField("sig") public long sig;
    @StateField("exc") public int exc;
    @StateField("up") public boolean up;

    /** Rounding control (RC_*), precision in bits (24, 53, 64) and the control word's exception masks. */
    @StateField("rc") int rc;
    @StateField("precision") int precision = 64;
    @StateField("masks") int masks = 0x3F;

    /** Takes rounding, precision and masks from an x87 control word. */
    public void control(int cw) {
        rc = (cw >>> 10) & 3;
        int pc = (cw >>> 8) & 3;
        precision = pc == 0 ? 24 : pc == 2 ? 53 : 64; // PC = 1 is reserved and behaves as 64 bits
        masks = cw & 0x3F;
    }

    /** Starts an operation: no exceptions, not rounded up. */
    public void clear() {
        exc = 0;
        up = false;
    }

    void result(int sign, int exp, long s) {
        se = (sign << 15) | exp;
        sig = s;
    }

    void invalid() {
        exc |= IE;
        se = INDEFINITE_SE;
        sig = INDEFINITE_SIG;
    }

    // ------------------------------------------------------------------ rounding

    /**
     * Rounds the exact value {@code (s0:s1) * 2^(exp - BIAS - 63)} (s1 holding the bits below s0 with a sticky
     * bit; s0 normalized, integer bit set, unless the value is zero) to the current precision and mode.
     */
    public void round(int sign, int exp, long s0, long s1) {
        roundTo(sign, exp, s0, s1, precision);
    }

    /** As {@link #round} with an explicit precision (64 for the operations precision control does not affect). */
    public void roundTo(int sign, int exp, long s0, long s1, int bits) {
        if (s0 == 0 && s1 == 0) {
            result(sign, 0, 0);
            return;
        }
        if (s0 >= 0) { // not normalized: bring the integer bit up (callers pass exact values)
            int n = s0 == 0 ? 64 + Long.numberOfLeadingZeros(s1) : Long.numberOfLeadingZeros(s0);
            if (n >= 64) {
                s0 = s1 << (n - 64);
                s1 = 0;
            } else {
                s0 = (s0 << n) | (s1 >>> (64 - n));
                s1 <<= n;
            }
            exp -= n;
        }
        if (exp <= 0) {
            if ((masks & UE) == 0) {
                // unmasked underflow: the normalized result with its exponent biased into range
                roundNormal(sign, exp + BIAS_ADJUST, s0, s1, bits);
                exc |= UE;
                return;
            }
            roundTiny(sign, exp, s0, s1, bits);
            return;
        }
        roundNormal(sign, exp, s0, s1, bits);
        int e = se & MAX_EXP;
        if (e == MAX_EXP || exp >= MAX_EXP) {
            overflow(sign, exp, s0, s1, bits);
        }
    }

    private void overflow(int sign, int exp, long s0, long s1, int bits) {
        if ((masks & OE) == 0) {
            roundNormal(sign, exp - BIAS_ADJUST, s0, s1, bits);
            exc |= OE;
            return;
        }
        exc |= OE | PE;
        boolean toInf = rc == RC_NEAREST || (rc == RC_UP && sign == 0) || (rc == RC_DOWN && sign != 0);
        if (toInf) {
            result(sign, MAX_EXP, INT_BIT);
            up = true;
        } else {
            result(sign, MAX_EXP - 1, -1L << (64 - bits));
            up = false;
        }
    }

    /** Whether rounding at a discarded part with round bit {@code half} and sticky {@code rest} increments. */
    private boolean increments(int sign, boolean half, boolean rest, boolean lsb) {
        switch (rc) {
            case RC_NEAREST: return half && (rest || lsb);
            case RC_DOWN: return sign != 0 && (half || rest);
            case RC_UP: return sign == 0 && (half || rest);
            default: return false;
        }
    }

    /** Rounds a normalized s0:s1 to {@code bits}, keeping exp (the caller deals with overflow). */
    private void roundNormal(int sign, int exp, long s0, long s1, int bits) {
        long kept;
        boolean half, rest, lsb;
        long unit;
        if (bits == 64) {
            kept = s0;
            half = s1 < 0;
            rest = (s1 << 1) != 0;
            unit = 1;
            lsb = (s0 & 1) != 0;
        } else {
            int drop = 64 - bits;
            long mask = (1L << drop) - 1;
            kept = s0 & ~mask;
            half = (s0 & (1L << (drop - 1))) != 0;
            rest = (s0 & (mask >>> 1)) != 0 || s1 != 0;
            unit = 1L << drop;
            lsb = (s0 & unit) != 0;
        }
        if (half || rest) {
            exc |= PE;
        }
        if (increments(sign, half, rest, lsb)) {
            kept += unit;
            up = true;
            if (kept == 0) { // carried out of the integer bit
                kept = INT_BIT;
                exp++;
            }
        }
        result(sign, Math.min(exp, MAX_EXP), kept);
    }

    /** Masked underflow: the value is denormalized first, then rounded (so it is rounded only once). */
    private void roundTiny(int sign, int exp, long s0, long s1, int bits) {
        int shift = 1 - exp;
        long d0, d1;
        if (shift >= 128) {
            d0 = 0;
            d1 = (s0 | s1) != 0 ? 1 : 0;
        } else if (shift >= 64) {
            d0 = 0;
            int k = shift - 64;
            d1 = k == 0 ? s0 : s0 >>> k;
            boolean lost = s1 != 0 || (k != 0 && (s0 << (64 - k)) != 0);
            if (lost) {
                d1 |= 1;
            }
        } else {
            d0 = s0 >>> shift;
            d1 = (s0 << (64 - shift)) | (s1 >>> shift);
            if ((s1 << (64 - shift)) != 0) {
                d1 |= 1;
            }
        }
        int before = exc;
        exc &= ~PE;
        roundNormal(sign, 0, d0, d1, bits);
        boolean inexact = (exc & PE) != 0;
        exc |= before;
        if (inexact) {
            exc |= UE;
        }
        if (sig < 0) {
            se |= 1; // rounded up into the smallest normal
        } else if ((se & MAX_EXP) != 0) {
            se &= ~MAX_EXP;
        }
    }

    // ------------------------------------------------------------------ operands

    /** Unpacked exponent of a finite nonzero operand: denormals normalized, so the exponent may be below 1. */
    static int unpackExp(int se, long sig) {
        int exp = se & MAX_EXP;
        if (exp == 0) {
            return 1 - Long.numberOfLeadingZeros(sig);
        }
        return exp;
    }

    static long unpackSig(long sig) {
        return sig << Long.numberOfLeadingZeros(sig);
    }

    /**
     * Sets the result for NaN operands by the x87 rules (SNaN quieted with IE; of two NaNs the QNaN, else the
     * larger significand, on a tie the positive one); returns false when neither operand is a NaN.
     */
    boolean propagate(int aSe, long aSig, int ca, int bSe, long bSig, int cb) {
        boolean aNan = Extended.isNan(ca), bNan = Extended.isNan(cb);
        if (!aNan && !bNan) {
            return false;
        }
        if (ca == SNAN || cb == SNAN) {
            exc |= IE;
        }
        int rSe;
        long rSig;
        if (aNan && bNan) {
            if (ca != cb) {
                boolean pickA = ca == Extended.QNAN;
                rSe = pickA ? aSe : bSe;
                rSig = pickA ? aSig : bSig;
            } else {
                long ma = aSig & ~QUIET_BIT, mb = bSig & ~QUIET_BIT;
                int cmp = Long.compareUnsigned(ma, mb);
                boolean pickA = cmp > 0 || (cmp == 0 && (aSe & 0x8000) == 0);
                rSe = pickA ? aSe : bSe;
                rSig = pickA ? aSig : bSig;
            }
        } else if (aNan) {
            rSe = aSe;
            rSig = aSig;
        } else {
            rSe = bSe;
            rSig = bSig;
        }
        se = rSe;
        sig = rSig | QUIET_BIT;
        return true;
    }

    /** A one-operand special: unsupported or NaN; returns true when the result is set. */
    boolean special1(int aSe, long aSig, int ca) {
        if (ca == UNSUPPORTED) {
            invalid();
            return true;
        }
        if (Extended.isNan(ca)) {
            if (ca == SNAN) {
                exc |= IE;
            }
            se = aSe;
            sig = aSig | QUIET_BIT;
            return true;
        }
        return false;
    }

    // ------------------------------------------------------------------ add / subtract

    /** a + b, or a - b with {@code subtract}. */
    public void add(int aSe, long aSig, int bSe, long bSig, boolean subtract) {
        int ca = Extended.classify(aSe, aSig), cb = Extended.classify(bSe, bSig);
        if (ca == UNSUPPORTED || cb == UNSUPPORTED) {
            invalid();
            return;
        }
        if (propagate(aSe, aSig, ca, bSe, bSig, cb)) {
            return;
        }
        int aSign = aSe >>> 15 & 1, bSign = (bSe >>> 15 & 1) ^ (subtract ? 1 : 0);
        if (ca == INF || cb == INF) {
            if (ca == INF && cb == INF && aSign != bSign) {
                invalid();
            } else {
                result(ca == INF ? aSign : bSign, MAX_EXP, INT_BIT);
            }
            return;
        }
        if (ca == DENORMAL || cb == DENORMAL) {
            exc |= DE;
        }
        if (ca == ZERO && cb == ZERO) {
            result(aSign == bSign ? aSign : rc == RC_DOWN ? 1 : 0, 0, 0);
            return;
        }
        if (ca == ZERO) {
            round(bSign, unpackExp(bSe, bSig), unpackSig(bSig), 0);
            return;
        }
        if (cb == ZERO) {
            round(aSign, unpackExp(aSe, aSig), unpackSig(aSig), 0);
            return;
        }
        addFinite(aSign, unpackExp(aSe, aSig), unpackSig(aSig), bSign, unpackExp(bSe, bSig), unpackSig(bSig));
    }

    /** Adds two normalized nonzero finite values exactly, then rounds. */
    void addFinite(int aSign, int aExp, long a, int bSign, int bExp, long b) {
        if (aExp < bExp || (aExp == bExp && Long.compareUnsigned(a, b) < 0)) {
            int ts = aSign; aSign = bSign; bSign = ts;
            int te = aExp; aExp = bExp; bExp = te;
            long t = a; a = b; b = t;
        }
        // now |a| >= |b|; align b under a into b0:b1 (sticky in the last bit)
        int d = aExp - bExp;
        long b0, b1;
        if (d == 0) {
            b0 = b;
            b1 = 0;
        } else if (d < 64) {
            b0 = b >>> d;
            b1 = b << (64 - d);
        } else if (d < 128) {
            b0 = 0;
            b1 = d == 64 ? b : (b >>> (d - 64)) | ((b << (128 - d)) != 0 ? 1 : 0);
        } else {
            b0 = 0;
            b1 = 1;
        }
        if (aSign == bSign) {
            long s0 = a + b0;
            long s1 = b1;
            int exp = aExp;
            if (Long.compareUnsigned(s0, a) < 0) { // carry out of bit 63
                s1 = (s1 >>> 1) | (s0 << 63) | (s1 & 1);
                s0 = (s0 >>> 1) | INT_BIT;
                exp++;
            }
            round(aSign, exp, s0, s1);
            return;
        }
        long r1 = -b1;
        long r0 = a - b0 - (b1 != 0 ? 1 : 0);
        if (r0 == 0 && r1 == 0) {
            result(rc == RC_DOWN ? 1 : 0, 0, 0);
            return;
        }
        round(aSign, aExp, r0, r1); // round() normalizes the difference
    }

    // ------------------------------------------------------------------ multiply

    public void mul(int aSe, long aSig, int bSe, long bSig) {
        int ca = Extended.classify(aSe, aSig), cb = Extended.classify(bSe, bSig);
        if (ca == UNSUPPORTED || cb == UNSUPPORTED) {
            invalid();
            return;
        }
        if (propagate(aSe, aSig, ca, bSe, bSig, cb)) {
            return;
        }
        int sign = ((aSe ^ bSe) >>> 15) & 1;
        if (ca == INF || cb == INF) {
            if (ca == ZERO || cb == ZERO) {
                invalid();
            } else {
                if (ca == DENORMAL || cb == DENORMAL) {
                    exc |= DE;
                }
                result(sign, MAX_EXP, INT_BIT);
            }
            return;
        }
        if (ca == DENORMAL || cb == DENORMAL) {
            exc |= DE;
        }
        if (ca == ZERO || cb == ZERO) {
            result(sign, 0, 0);
            return;
        }
        long a = unpackSig(aSig), b = unpackSig(bSig);
        int exp = unpackExp(aSe, aSig) + unpackExp(bSe, bSig) - BIAS + 1;
        long hi = Math.multiplyHigh(a, b) + ((a >> 63) & b) + ((b >> 63) & a);
        long lo = a * b;
        round(sign, exp, hi, lo);
    }

    // ------------------------------------------------------------------ divide

    public void div(int aSe, long aSig, int bSe, long bSig) {
        int ca = Extended.classify(aSe, aSig), cb = Extended.classify(bSe, bSig);
        if (ca == UNSUPPORTED || cb == UNSUPPORTED) {
            invalid();
            return;
        }
        if (propagate(aSe, aSig, ca, bSe, bSig, cb)) {
            return;
        }
        int sign = ((aSe ^ bSe) >>> 15) & 1;
        if (ca == INF) {
            if (cb == INF) {
                invalid();
            } else {
                if (cb == DENORMAL) {
                    exc |= DE;
                }
                result(sign, MAX_EXP, INT_BIT);
            }
            return;
        }
        if (cb == INF) {
            if (ca == DENORMAL) {
                exc |= DE;
            }
            result(sign, 0, 0);
            return;
        }
        if (ca == DENORMAL || cb == DENORMAL) {
            exc |= DE;
        }
        if (cb == ZERO) {
            if (ca == ZERO) {
                invalid();
            } else {
                exc |= ZE;
                result(sign, MAX_EXP, INT_BIT);
            }
            return;
        }
        if (ca == ZERO) {
            result(sign, 0, 0);
            return;
        }
        long a = unpackSig(aSig), b = unpackSig(bSig);
        int exp = unpackExp(aSe, aSig) - unpackExp(bSe, bSig) + BIAS;
        divideSignificands(sign, exp, a, b);
    }

    /** Rounds a / b for normalized a and b, quotient bits produced one by one with the remainder as sticky bit. */
    void divideSignificands(int sign, int exp, long a, long b) {
        long rem;
        long q0 = 0;
        if (Long.compareUnsigned(a, b) >= 0) {
            rem = a - b;
            q0 = 1;
        } else {
            exp--;
            rem = (a << 1) - b; // 2a - b is below b, so the wrapped difference is exact
            q0 = 1;
        }
        for (int k = 0; k < 63; k++) {
            boolean carry = rem < 0;
            rem <<= 1;
            q0 <<= 1;
            if (carry || Long.compareUnsigned(rem, b) >= 0) {
                rem -= b;
                q0 |= 1;
            }
        }
        long q1 = 0;
        for (int k = 0; k < 2; k++) {
            boolean carry = rem < 0;
            rem <<= 1;
            q1 = (q1 << 1);
            if (carry || Long.compareUnsigned(rem, b) >= 0) {
                rem -= b;
                q1 |= 1;
            }
        }
        q1 <<= 62;
        if (rem != 0) {
            q1 |= 1;
        }
        round(sign, exp, q0, q1);
    }

    // ------------------------------------------------------------------ square root

    public void sqrt(int aSe, long aSig) {
        int ca = Extended.classify(aSe, aSig);
        if (special1(aSe, aSig, ca)) {
            return;
        }
        int sign = aSe >>> 15 & 1;
        if (ca == ZERO) {
            result(sign, 0, 0);
            return;
        }
        if (sign != 0) {
            if (ca == DENORMAL) {
                exc |= DE;
            }
            invalid();
            return;
        }
        if (ca == INF) {
            result(0, MAX_EXP, INT_BIT);
            return;
        }
        if (ca == DENORMAL) {
            exc |= DE;
        }
        int e = unpackExp(aSe, aSig) - BIAS - 63; // value = m * 2^e
        long m = unpackSig(aSig);
        int extra = 128 + (e & 1); // make the exponent even
        BigInteger n = BigInteger.valueOf(m >>> 1).shiftLeft(1).or(BigInteger.valueOf(m & 1))
                .shiftLeft(extra);
        BigInteger root = n.sqrt();
        boolean exact = root.multiply(root).equals(n);
        roundBig(0, root, (e - extra) / 2, !exact, precision);
    }

    /** Rounds {@code mag * 2^scale} (with extra sticky when {@code inexact}) at {@code bits} of precision. */
    public void roundBig(int sign, BigInteger mag, int scale, boolean inexact, int bits) {
        if (mag.signum() == 0) {
            if (inexact) {
                round(sign, -20000, 0, 1); // a nonzero value far below the denormal range
                return;
            }
            result(sign, 0, 0);
            return;
        }
        int len = mag.bitLength();
        int shift = len - 128;
        BigInteger top = shift > 0 ? mag.shiftRight(shift) : mag.shiftLeft(-shift);
        boolean sticky = inexact || (shift > 0 && mag.getLowestSetBit() < shift);
        long s0 = top.shiftRight(64).longValue();
        long s1 = top.longValue();
        if (sticky) {
            s1 |= 1;
        }
        int exp = scale + len - 1 + BIAS;
        roundTo(sign, exp, s0, s1, bits);
    }

    // ------------------------------------------------------------------ compare

    public static final int LESS = -1, EQUAL = 0, GREATER = 1, UNORDERED = 2;

    /**
     * Compares a with b: LESS, EQUAL, GREATER or UNORDERED. Any NaN raises IE for an ordered compare (FCOM), only
     * an SNaN for an unordered one (FUCOM); unsupported encodings always do; denormals raise DE.
     */
    public int compare(int aSe, long aSig, int bSe, long bSig, boolean quietNanOk) {
        int ca = Extended.classify(aSe, aSig), cb = Extended.classify(bSe, bSig);
        if (ca == UNSUPPORTED || cb == UNSUPPORTED) {
            exc |= IE;
            return UNORDERED;
        }
        if (Extended.isNan(ca) || Extended.isNan(cb)) {
            if (!quietNanOk || ca == SNAN || cb == SNAN) {
                exc |= IE;
            }
            return UNORDERED;
        }
        if (ca == DENORMAL || cb == DENORMAL) {
            exc |= DE;
        }
        if (ca == ZERO && cb == ZERO) {
            return EQUAL;
        }
        int aSign = ca == ZERO ? 0 : aSe >>> 15 & 1;
        int bSign = cb == ZERO ? 0 : bSe >>> 15 & 1;
        int mag;
        if (ca == ZERO) {
            mag = -1;
        } else if (cb == ZERO) {
            mag = 1;
        } else {
            int ea = unpackExp(aSe, aSig), eb = unpackExp(bSe, bSig);
            mag = ea != eb ? Integer.compare(ea, eb) : Long.compareUnsigned(unpackSig(aSig), unpackSig(bSig));
        }
        if (ca == ZERO) {
            return bSign != 0 ? GREATER : LESS;
        }
        if (cb == ZERO) {
            return aSign != 0 ? LESS : GREATER;
        }
        if (aSign != bSign) {
            return aSign != 0 ? LESS : GREATER;
        }
        return aSign != 0 ? -mag : mag;
    }
}
