package dev.strata.emulator.cpu.fpu;

import static dev.strata.emulator.cpu.fpu.Extended.INF;
import static dev.strata.emulator.cpu.fpu.Extended.ZERO;

/**
 * The 80-bit packed BCD format of FBLD/FBSTP: 18 digits in bytes 0-8 (two per byte, low digit first), sign in bit
 * 7 of byte 9.
 */
final class PackedBcd {

    private PackedBcd() {
    }

    private static final long LIMIT = 1_000_000_000_000_000_000L;

    /** FBLD: digits (invalid nibbles weigh as their binary value, as on hardware) to an exact extended value. */
    static void load(ExtendedArithmetic x, long low, int high) {
        long v = 0;
        for (int k = 17; k >= 0; k--) {
            int digit = k < 16 ? (int) (low >>> (4 * k)) & 0xF : (high >>> (4 * (k - 16))) & 0xF;
            v = v * 10 + digit;
        }
        FormatConversion.fromInteger(x, v);
        if ((high & 0x8000) != 0) {
            x.se |= 0x8000; // -0 included
        }
    }

    /**
     * FBSTP: rounds by RC to an integer of at most 18 digits; returns bytes 0-7 and leaves bytes 8-9 in
     * {@code x.se}. Out of range, NaN, infinity or unsupported: IE and the BCD indefinite.
     */
    static long store(ExtendedArithmetic x, int se, long sig) {
        int cls = Extended.classify(se, sig);
        int sign = se & 0x8000;
        if (cls == ZERO) {
            x.se = sign;
            return 0;
        }
        long v = cls >= INF ? Long.MIN_VALUE : FormatConversion.toInteger(x, se, sig, 64);
        long mag = Math.abs(v);
        if (cls >= INF || v == Long.MIN_VALUE || mag >= LIMIT) {
            x.exc = (x.exc & ~(ExtendedArithmetic.PE)) | ExtendedArithmetic.IE;
            x.up = false;
            x.se = 0xFFFF;
            return 0xC000000000000000L;
        }
        long low = 0;
        for (int k = 0; k < 16; k++) {
            low |= (mag % 10) << (4 * k);
            mag /= 10;
        }
        int high = (int) (mag % 10) | (int) ((mag / 10) % 10) << 4;
        x.se = sign | high;
        return low;
    }
}
