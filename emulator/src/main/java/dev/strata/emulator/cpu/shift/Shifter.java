package dev.strata.emulator.cpu.shift;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.Flags;

/** Shift and rotate arithmetic with the flags a P6 core leaves (count already masked to 5 bits, non-zero). */
public final class Shifter {

    public static final int ROL = 0, ROR = 1, RCL = 2, RCR = 3, SHL = 4, SHR = 5, SAL = 6, SAR = 7;
    private static final int[] BITS = {8, 16, 32};

    private Shifter() {
    }

    public static int shift(Cpu c, int op, int size, int v, int count) {
        int bits = BITS[size];
        int mask = Cpu.MASK[size];
        int top = bits - 1;
        v &= mask;
        switch (op) {
            case ROL: {
                int n = count & top;
                int res = n == 0 ? v : ((v << n) | (v >>> (bits - n))) & mask;
                boolean cf = (res & 1) != 0;
                rotateFlags(c, cf, (((res >>> top) & 1) != 0) != cf);
                return res;
            }
            case ROR: {
                int n = count & top;
                int res = n == 0 ? v : ((v >>> n) | (v << (bits - n))) & mask;
                boolean msb = ((res >>> top) & 1) != 0;
                rotateFlags(c, msb, msb != (((res >>> (top - 1)) & 1) != 0));
                return res;
            }
            case RCL: {
                int n = size == 2 ? count : count % (bits + 1);
                long x = (v & 0xFFFFFFFFL) | ((Flags.cf(c) ? 1L : 0L) << bits);
                for (int k = 0; k < n; k++) {
                    x = ((x << 1) | (x >>> bits)) & ((1L << (bits + 1)) - 1);
                }
                int res = (int) x & mask;
                boolean cf = ((x >>> bits) & 1) != 0;
                rotateFlags(c, cf, (((res >>> top) & 1) != 0) != cf);
                return res;
            }
            case RCR: {
                int n = size == 2 ? count : count % (bits + 1);
                boolean oldCf = Flags.cf(c);
                long x = (v & 0xFFFFFFFFL) | ((oldCf ? 1L : 0L) << bits);
                for (int k = 0; k < n; k++) {
                    x = ((x >>> 1) | ((x & 1) << bits)) & ((1L << (bits + 1)) - 1);
                }
                int res = (int) x & mask;
                boolean cf = ((x >>> bits) & 1) != 0;
                rotateFlags(c, cf, (((res >>> top) & 1) != 0) != (((res >>> (top - 1)) & 1) != 0));
                return res;
            }
            case SHL:
            case SAL: {
                long wide = (v & 0xFFFFFFFFL) << count;
                int res = (int) wide & mask;
                boolean cf = ((wide >>> bits) & 1) != 0;
                Flags.setSzp(c, size, res, cf, (((res >>> top) & 1) != 0) != cf, false);
                return res;
            }
            case SHR: {
                boolean cf = count <= bits && ((v >>> (count - 1)) & 1) != 0;
                int res = count >= 32 ? 0 : v >>> count;
                // OF is the sign change of the last single-bit step: the original sign for count 1, else 0
                boolean of = count <= 32 && (((v >>> (count - 1)) >>> top) & 1) != 0;
                Flags.setSzp(c, size, res, cf, of, false);
                return res;
            }
            default: {
                int sv = (v << (32 - bits)) >> (32 - bits);
                boolean cf = ((sv >> Math.min(count - 1, 31)) & 1) != 0;
                int res = (sv >> Math.min(count, 31)) & mask;
                Flags.setSzp(c, size, res, cf, false, false);
                return res;
            }
        }
    }

    private static void rotateFlags(Cpu c, boolean cf, boolean of) {
        int f = Flags.get(c) & ~(Flags.CF | Flags.OF);
        if (cf) f |= Flags.CF;
        if (of) f |= Flags.OF;
        c.eflags = f;
    }

    /** SHLD/SHRD: {@code left} selects SHLD. Count is already masked and non-zero. */
    public static int doubleShift(Cpu c, boolean left, int size, int dst, int src, int count) {
        int bits = BITS[size];
        int mask = Cpu.MASK[size];
        dst &= mask;
        src &= mask;
        int res;
        boolean cf;
        if (left) {
            long x = ((long) dst << bits) | (src & 0xFFFFFFFFL);
            if (size == 1) {
                x = (x << 16) | dst; // 16-bit forms with counts above 16 shift dst:src:dst on P6 cores
            }
            int width = size == 1 ? 48 : 2 * bits;
            res = (int) (x >>> (width - bits - count)) & mask;
            cf = ((x >>> (width - count)) & 1) != 0;
        } else {
            long x = ((src & 0xFFFFFFFFL) << bits) | (dst & 0xFFFFFFFFL);
            if (size == 1) {
                x |= (long) dst << 32;
            }
            res = (int) (x >>> count) & mask;
            cf = ((x >>> (count - 1)) & 1) != 0;
        }
        boolean of = (((res ^ dst) >>> (bits - 1)) & 1) != 0;
        Flags.setSzp(c, size, res, cf, of, false);
        return res;
    }
}
