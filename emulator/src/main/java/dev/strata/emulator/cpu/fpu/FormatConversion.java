package dev.strata.emulator.cpu.fpu;

import static dev.strata.emulator.cpu.fpu.Extended.BIAS;
import static dev.strata.emulator.cpu.fpu.Extended.DENORMAL;
import static dev.strata.emulator.cpu.fpu.Extended.INF;
import static dev.strata.emulator.cpu.fpu.Extended.INT_BIT;
import static dev.strata.emulator.cpu.fpu.Extended.MAX_EXP;
import static dev.strata.emulator.cpu.fpu.Extended.QNAN;
import static dev.strata.emulator.cpu.fpu.Extended.QUIET_BIT;
import static dev.strata.emulator.cpu.fpu.Extended.SNAN;
import static dev.strata.emulator.cpu.fpu.Extended.UNSUPPORTED;
import static dev.strata.emulator.cpu.fpu.Extended.ZERO;
import static dev.strata.emulator.cpu.fpu.ExtendedArithmetic.DE;
import static dev.strata.emulator.cpu.fpu.ExtendedArithmetic.IE;
import static dev.strata.emulator.cpu.fpu.ExtendedArithmetic.OE;
import static dev.strata.emulator.cpu.fpu.ExtendedArithmetic.PE;
import static dev.strata.emulator.cpu.fpu.ExtendedArithmetic.RC_DOWN;
import static dev.strata.emulator.cpu.fpu.ExtendedArithmetic.RC_NEAREST;
import static dev.strata.emulator.cpu.fpu.ExtendedArithmetic.RC_UP;
import static dev.strata.emulator.cpu.fpu.ExtendedArithmetic.UE;

/**
 * Conversions between the extended format and the memory formats: single and double reals (with their own
 * exponent ranges, denormals and rounding), 16/32/64-bit integers, and rounding to an integral value. Results and
 * flags go through the {@link ExtendedArithmetic} scratch fields, so nothing is allocated.
 */
public final class FormatConversion {

    private FormatConversion() {
    }

    /** Loads a single real: exact; DE for a denormal; with {@code quiet}, IE and quieting for an SNaN. */
    public static void fromSingle(ExtendedArithmetic x, int bits, boolean quiet) {
        fromBinary(x, bits & 0xFFFFFFFFL, 23, 8, 127, quiet);
    }

    /**
     * Loads a double real; with {@code quiet} false an SNaN stays signaling (for arithmetic operands, whose
     * operation raises IE itself).
     */
    public static void fromDouble(ExtendedArithmetic x, long bits, boolean quiet) {
        fromBinary(x, bits, 52, 11, 1023, quiet);
    }

    private static void fromBinary(ExtendedArithmetic x, long bits, int fracBits, int expBits, int bias,
            boolean quiet) {
        int sign = (int) (bits >>> (fracBits + expBits)) & 1;
        int exp = (int) (bits >>> fracBits) & ((1 << expBits) - 1);
        long frac = bits & ((1L << fracBits) - 1);
        int maxExp = (1 << expBits) - 1;
        if (exp == maxExp) {
            long s = INT_BIT | (frac << (63 - fracBits));
            if (quiet && frac != 0 && (frac >>> (fracBits - 1)) == 0) {
                x.exc |= IE;
                s |= QUIET_BIT;
            }
            x.result(sign, MAX_EXP, s);
            return;
        }
        if (exp == 0) {
            if (frac == 0) {
                x.result(sign, 0, 0);
                return;
            }
            x.exc |= DE;
            int n = Long.numberOfLeadingZeros(frac);
            x.result(sign, 1 - bias + BIAS - (n - (63 - fracBits)), frac << n);
            return;
        }
        x.result(sign, exp - bias + BIAS, INT_BIT | (frac << (63 - fracBits)));
    }

    /** Loads a signed integer: always exact. */
    public static void fromInteger(ExtendedArithmetic x, long v) {
        if (v == 0) {
            x.result(0, 0, 0);
            return;
        }
        int sign = v < 0 ? 1 : 0;
        long m = v < 0 ? -v : v; // -2^63 stays 0x8000..., which is its magnitude read unsigned
        int n = Long.numberOfLeadingZeros(m);
        x.result(sign, BIAS + 63 - n, m << n);
    }

    public static int toSingle(ExtendedArithmetic x, int se, long sig) {
        return (int) toBinary(x, se, sig, 23, 8, 127);
    }

    public static long toDouble(ExtendedArithmetic x, int se, long sig) {
        return toBinary(x, se, sig, 52, 11, 1023);
    }

    /**
     * Rounds to a binary format (rounding control applies, precision control does not). Masked overflow and
     * underflow give the format's default results; with them unmasked the caller stores nothing.
     */
    private static long toBinary(ExtendedArithmetic x, int se, long sig, int fracBits, int expBits, int bias) {
        int cls = Extended.classify(se, sig);
        long sign = (long) ((se >>> 15) & 1) << (fracBits + expBits);
        long maxExp = (1L << expBits) - 1;
        long infinity = sign | (maxExp << fracBits);
        switch (cls) {
            case ZERO: return sign;
            case INF: return infinity;
            case UNSUPPORTED:
                x.exc |= IE;
                return (1L << (fracBits + expBits)) | infinity | (1L << (fracBits - 1));
            case SNAN:
                x.exc |= IE;
                // fall through: stored quieted
            case QNAN:
                return infinity | (1L << (fracBits - 1)) | ((sig << 1) >>> (64 - fracBits));
            default:
                break;
        }
        int s = (se >>> 15) & 1;
        long m = ExtendedArithmetic.unpackSig(sig);
        long t = (long) ExtendedArithmetic.unpackExp(se, sig) - BIAS + bias;
        boolean tiny = t <= 0;
        long drop = 63 - fracBits + (tiny ? 1 - t : 0);
        long kept;
        boolean half, rest;
        if (drop >= 65) {
            kept = 0;
            half = false;
            rest = true;
        } else if (drop == 64) {
            kept = 0;
            half = m < 0;
            rest = (m << 1) != 0;
        } else {
            kept = m >>> drop;
            half = ((m >>> (drop - 1)) & 1) != 0;
            rest = (m & ((1L << (drop - 1)) - 1)) != 0;
        }
        boolean inexact = half || rest;
        if (increments(x.rc, s, half, rest, (kept & 1) != 0)) {
            kept++;
            x.up = true;
        }
        if (inexact) {
            x.exc |= PE;
        }
        if (tiny) {
            if ((x.masks & UE) == 0) {
                x.exc |= UE;
            } else if (inexact) {
                x.exc |= UE;
            }
            return sign | kept; // a carry into bit fracBits is exactly the smallest normal's encoding
        }
        if (kept == 1L << (fracBits + 1)) {
            kept >>>= 1;
            t++;
        }
        if (t >= maxExp) {
            if ((x.masks & OE) == 0) {
                x.exc |= OE;
                return infinity;
            }
            x.exc |= OE | PE;
            boolean toInf = x.rc == RC_NEAREST || (x.rc == RC_UP && s == 0) || (x.rc == RC_DOWN && s != 0);
            x.up = toInf;
            return toInf ? infinity : sign | ((maxExp - 1) << fracBits) | ((1L << fracBits) - 1);
        }
        return sign | (t << fracBits) | (kept & ((1L << fracBits) - 1));
    }

    static boolean increments(int rc, int sign, boolean half, boolean rest, boolean lsb) {
        switch (rc) {
            case RC_NEAREST: return half && (rest || lsb);
            case RC_DOWN: return sign != 0 && (half || rest);
            case RC_UP: return sign == 0 && (half || rest);
            default: return false;
        }
    }

    /**
     * Rounds to a signed integer of {@code bits} (16, 32, 64) by the rounding control; NaNs, infinities,
     * unsupported encodings and values out of range raise IE and give the integer indefinite (the most negative
     * value).
     */
    public static long toInteger(ExtendedArithmetic x, int se, long sig, int bits) {
        long indefinite = -1L << (bits - 1);
        int cls = Extended.classify(se, sig);
        if (cls == ZERO) {
            return 0;
        }
        if (cls >= INF) {
            x.exc |= IE;
            return indefinite;
        }
        int s = (se >>> 15) & 1;
        int e = ExtendedArithmetic.unpackExp(se, sig) - BIAS;
        long m = ExtendedArithmetic.unpackSig(sig);
        if (e > 63) {
            x.exc |= IE;
            return indefinite;
        }
        int shift = 63 - e;
        long kept;
        boolean half, rest;
        if (shift == 0) {
            kept = m;
            half = false;
            rest = false;
        } else if (shift < 64) {
            kept = m >>> shift;
            half = ((m >>> (shift - 1)) & 1) != 0;
            rest = (m & ((1L << (shift - 1)) - 1)) != 0;
        } else {
            kept = 0;
            half = shift == 64 && m < 0;
            rest = shift > 64 || (m << 1) != 0;
        }
        boolean inc = increments(x.rc, s, half, rest, (kept & 1) != 0);
        if (inc) {
            kept++;
        }
        long limit = 1L << (bits - 1); // magnitude allowed for negatives; positives one less
        boolean overflow = bits == 64
                ? (kept < 0 && !(s == 1 && kept == Long.MIN_VALUE)) || (inc && kept == 0 && shift == 0)
                : Long.compareUnsigned(kept, s == 1 ? limit : limit - 1) > 0;
        if (overflow) {
            x.exc |= IE;
            return indefinite;
        }
        if (half || rest) {
            x.exc |= PE;
            x.up = inc;
        }
        return s == 1 ? -kept : kept;
    }

    /** FRNDINT: rounds to an integral value in extended format by the rounding control. */
    public static void roundToIntegral(ExtendedArithmetic x, int se, long sig) {
        int cls = Extended.classify(se, sig);
        if (x.special1(se, sig, cls)) {
            return;
        }
        if (cls == ZERO || cls == INF) {
            x.se = se;
            x.sig = sig;
            return;
        }
        if (cls == DENORMAL) {
            x.exc |= DE;
        }
        int s = (se >>> 15) & 1;
        int e = ExtendedArithmetic.unpackExp(se, sig) - BIAS;
        long m = ExtendedArithmetic.unpackSig(sig);
        if (e >= 63) {
            x.se = se;
            x.sig = sig;
            return;
        }
        int shift = 63 - e;
        long kept;
        boolean half, rest;
        if (shift < 64) {
            kept = m >>> shift;
            half = ((m >>> (shift - 1)) & 1) != 0;
            rest = (m & ((1L << (shift - 1)) - 1)) != 0;
        } else {
            kept = 0;
            half = shift == 64 && m < 0;
            rest = shift > 64 || (m << 1) != 0;
        }
        if (half || rest) {
            x.exc |= PE;
        }
        if (increments(x.rc, s, half, rest, (kept & 1) != 0)) {
            kept++;
            x.up = true;
        }
        if (kept == 0) {
            x.result(s, 0, 0);
            return;
        }
        int n = Long.numberOfLeadingZeros(kept);
        x.result(s, BIAS + 63 - n, kept << n);
    }
}
