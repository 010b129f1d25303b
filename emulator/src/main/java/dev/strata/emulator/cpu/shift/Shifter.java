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
        v &= Cpu.MASK[size];
        switch (op) {
            case ROL: return rol(c, size, v, count);
            case ROR: return ror(c, size, v, count);
            case RCL: return rcl(c, size, v, count);
            case RCR: return rcr(c, size, v, count);
            case SHR: return shr(c, size, v, count);
            case SAR: return sar(c, size, v, count);
            default: return shl(c, size, v, count);
        }
    }

    private static boolean bit(int v, int n) {
        return ((v >>> n) & 1) != 0;
    }

    private static int rol(Cpu c, int size, int v, int count) {
        int bits = BITS[size];
        int n = count & (bits - 1);
        int res = n == 0 ? v : ((v << n) | (v >>> (bits - n))) & Cpu.MASK[size];
        boolean cf = (res & 1) != 0;
        rotateFlags(c, cf, bit(res, bits - 1) != cf);
        return res;
    }

    private static int ror(Cpu c, int size, int v, int count) {
        int bits = BITS[size];
        int n = count & (bits - 1);
        int res = n == 0 ? v : ((v >>> n) | (v << (bits - n))) & Cpu.MASK[size];
        boolean msb = bit(res, bits - 1);
        rotateFlags(c, msb, msb != bit(res, bits - 2));
        return res;
    }

    /** Rotate through carry: a (bits + 1)-wide ring, so byte and word counts go modulo 9 and 17. */
    private static int rcl(Cpu c, int size, int v, int count) {
        int bits = BITS[size];
        int n = size == 2 ? count : count % (bits + 1);
        long ring = (1L << (bits + 1)) - 1;
        long x = (v & 0xFFFFFFFFL) | ((Flags.cf(c) ? 1L : 0L) << bits);
        if (n != 0) {
            x = ((x << n) | (x >>> (bits + 1 - n))) & ring;
        }
        int res = (int) x & Cpu.MASK[size];
        boolean cf = ((x >>> bits) & 1) != 0;
        rotateFlags(c, cf, bit(res, bits - 1) != cf);
        return res;
    }

    private static int rcr(Cpu c, int size, int v, int count) {
        int bits = BITS[size];
        int n = size == 2 ? count : count % (bits + 1);
        long ring = (1L << (bits + 1)) - 1;
        long x = (v & 0xFFFFFFFFL) | ((Flags.cf(c) ? 1L : 0L) << bits);
        if (n != 0) {
            x = ((x >>> n) | (x << (bits + 1 - n))) & ring;
        }
        int res = (int) x & Cpu.MASK[size];
        boolean cf = ((x >>> bits) & 1) != 0;
        rotateFlags(c, cf, bit(res, bits - 1) != bit(res, bits - 2));
        return res;
    }

    private static int shl(Cpu c, int size, int v, int count) {
        int bits = BITS[size];
        long wide = (v & 0xFFFFFFFFL) << count;
        int res = (int) wide & Cpu.MASK[size];
        boolean cf = ((wide >>> bits) & 1) != 0;
        Flags.setSzp(c, size, res, cf, bit(res, bits - 1) != cf, false);
        return res;
    }

    private static int shr(Cpu c, int size, int v, int count) {
        int bits = BITS[size];
        boolean cf = count <= bits && bit(v, count - 1);
        int res = count >= 32 ? 0 : v >>> count;
        // OF is the sign change of the last single-bit step: the original sign for count 1, else 0
        boolean of = count <= 32 && bit(v >>> (count - 1), bits - 1);
        Flags.setSzp(c, size, res, cf, of, false);
        return res;
    }

    private static int sar(Cpu c, int size, int v, int count) {
        int bits = BITS[size];
        int sv = (v << (32 - bits)) >> (32 - bits);
        boolean cf = ((sv >> Math.min(count - 1, 31)) & 1) != 0;
        int res = (sv >> Math.min(count, 31)) & Cpu.MASK[size];
        Flags.setSzp(c, size, res, cf, false, false);
        return res;
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
