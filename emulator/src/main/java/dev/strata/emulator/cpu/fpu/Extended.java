package dev.strata.emulator.cpu.fpu;

/**
 * The 80-bit extended-precision format as two primitives: {@code se} (sign in bit 15, biased exponent in bits
 * 0-14) and {@code sig} (64-bit significand with its explicit integer bit in bit 63). Classification and the
 * constants every x87 operation shares.
 */
public final class Extended {

    private Extended() {
    }

    public static final int BIAS = 0x3FFF;
    public static final int MAX_EXP = 0x7FFF;
    public static final long INT_BIT = 0x8000000000000000L;
    public static final long QUIET_BIT = 0x4000000000000000L;

    /** The real indefinite: the default QNaN of every masked invalid operation. */
    public static final int INDEFINITE_SE = 0xFFFF;
    public static final long INDEFINITE_SIG = 0xC000000000000000L;

    /** Operand classes, ordered so that {@code >= INF} means "special". */
    public static final int ZERO = 0, NORMAL = 1, DENORMAL = 2, INF = 3, QNAN = 4, SNAN = 5, UNSUPPORTED = 6;

    public static int classify(int se, long sig) {
        int exp = se & MAX_EXP;
        if (exp == 0) {
            return sig == 0 ? ZERO : DENORMAL; // pseudo-denormals (integer bit set) are denormal operands too
        }
        if (sig >= 0) {
            return UNSUPPORTED; // unnormals, pseudo-infinities and pseudo-NaNs
        }
        if (exp == MAX_EXP) {
            if ((sig << 1) == 0) {
                return INF;
            }
            return (sig & QUIET_BIT) != 0 ? QNAN : SNAN;
        }
        return NORMAL;
    }

    public static boolean isNan(int cls) {
        return cls == QNAN || cls == SNAN;
    }

    public static int sign(int se) {
        return (se >>> 15) & 1;
    }

    public static int exp(int se) {
        return se & MAX_EXP;
    }

    /** Tag of a non-empty register as FNSTENV reports it: 0 valid, 1 zero, 2 special. */
    public static int tag(int se, long sig) {
        int exp = se & MAX_EXP;
        if (exp == MAX_EXP) {
            return 2;
        }
        if (exp == 0) {
            return sig == 0 ? 1 : 2;
        }
        return sig < 0 ? 0 : 2;
    }
}
