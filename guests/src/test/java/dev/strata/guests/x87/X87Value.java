package dev.strata.guests.x87;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;

/** An 80-bit extended-precision value as the x87 guest prints it (20 hex digits), decoded for people and for ulps. */
record X87Value(boolean negative, int exponent, long significand) {

    private static final MathContext SHOWN = new MathContext(21);

    /** Parses 20 hex digits: sign and exponent (4 digits), then the 64-bit significand. */
    static X87Value parse(String hex) {
        if (hex.length() != 20) {
            throw new IllegalArgumentException("not an 80-bit value: " + hex);
        }
        int se = Integer.parseInt(hex.substring(0, 4), 16);
        long significand = Long.parseUnsignedLong(hex.substring(4), 16);
        return new X87Value((se & 0x8000) != 0, se & 0x7FFF, significand);
    }

    boolean integerBit() {
        return significand < 0;
    }

    /** True for zeros, denormals, pseudo-denormals and normals: values the ulp distance is defined for. */
    boolean finite() {
        if (exponent == 0x7FFF) {
            return false;
        }
        return exponent == 0 || integerBit();
    }

    boolean zero() {
        return exponent == 0 && significand == 0;
    }

    /** The class FXAM would report, plus the encodings the 387 and later reject. */
    String kind() {
        if (exponent == 0x7FFF) {
            if (!integerBit()) {
                return significand == 0 ? "pseudo-infinity" : "pseudo-NaN";
            }
            if (significand << 1 == 0) {
                return "infinity";
            }
            String nan = (significand & 0x4000_0000_0000_0000L) != 0 ? "QNaN" : "SNaN";
            return negative && significand == 0xC000_0000_0000_0000L ? "real indefinite" : nan;
        }
        if (exponent == 0) {
            if (significand == 0) {
                return "zero";
            }
            return integerBit() ? "pseudo-denormal" : "denormal";
        }
        return integerBit() ? "normal" : "unnormal";
    }

    /**
     * The value's position on the grid of extended-precision numbers: consecutive finite values of one sign differ
     * by one, across binade boundaries and into the denormals, so the difference of two keys counts ulps.
     */
    BigInteger gridKey() {
        BigInteger magnitude = new BigInteger(Long.toUnsignedString(significand));
        if (exponent != 0) {
            magnitude = magnitude.add(BigInteger.valueOf(exponent - 1L).shiftLeft(63));
        }
        return negative ? magnitude.negate() : magnitude;
    }

    /** Units in the last place between two finite values (same or opposite sign). */
    static BigInteger ulpsBetween(X87Value a, X87Value b) {
        return a.gridKey().subtract(b.gridKey()).abs();
    }

    /** Approximate decimal value for reports, e.g. "-1.2500000000000000000 (normal)". */
    String describe() {
        String kind = kind();
        if (!finite() && !kind.equals("unnormal")) {
            return (negative ? "-" : "+") + kind;
        }
        if (zero()) {
            return (negative ? "-0" : "+0");
        }
        int unbiased = Math.max(exponent, 1) - 16383 - 63;
        BigDecimal magnitude = new BigDecimal(new BigInteger(Long.toUnsignedString(significand)))
                .multiply(BigDecimal.valueOf(2).pow(unbiased, SHOWN), SHOWN);
        String text = magnitude.round(SHOWN).toString();
        return (negative ? "-" : "+") + text + (kind.equals("normal") ? "" : " (" + kind + ")");
    }
}
