package dev.strata.emulator.cpu;

/**
 * EFLAGS bits and the lazy evaluation of the arithmetic flags. An ALU operation records its kind, size,
 * operands and result in the {@link Cpu}; CF, PF, AF, ZF, SF and OF are computed from them only when read.
 */
public final class Flags {

    public static final int CF = 1, PF = 1 << 2, AF = 1 << 4, ZF = 1 << 6, SF = 1 << 7, TF = 1 << 8, IF = 1 << 9,
            DF = 1 << 10, OF = 1 << 11, IOPL = 3 << 12, NT = 1 << 14, RF = 1 << 16, VM = 1 << 17, AC = 1 << 18,
            ID = 1 << 21;
    public static final int ARITH = CF | PF | AF | ZF | SF | OF;

    /** Lazy kinds: NONE means all six arithmetic flags are in {@code eflags}. */
    public static final int NONE = 0, ADD = 1, SUB = 2, LOGIC = 3, INC = 4, DEC = 5, SZP = 6;

    private static final int[] SIGN_SHIFT = {7, 15, 31};
    private static final int[] MASK = {0xFF, 0xFFFF, -1};
    private static final boolean[] PARITY = new boolean[256];

    static {
        for (int i = 0; i < 256; i++) {
            PARITY[i] = (Integer.bitCount(i) & 1) == 0;
        }
    }

    private Flags() {
    }

    private static boolean msb(Cpu c, int v) {
        return ((v >>> SIGN_SHIFT[c.fSize]) & 1) != 0;
    }

    public static boolean cf(Cpu c) {
        switch (c.fOp) {
            case ADD:
                return msb(c, (c.fDst & c.fSrc) | ((c.fDst | c.fSrc) & ~c.fRes));
            case SUB:
                return msb(c, (~c.fDst & c.fSrc) | ((~c.fDst | c.fSrc) & c.fRes));
            case LOGIC:
                return false;
            default:
                return (c.eflags & CF) != 0;
        }
    }

    public static boolean zf(Cpu c) {
        return c.fOp == NONE ? (c.eflags & ZF) != 0 : (c.fRes & MASK[c.fSize]) == 0;
    }

    public static boolean sf(Cpu c) {
        return c.fOp == NONE ? (c.eflags & SF) != 0 : msb(c, c.fRes);
    }

    public static boolean pf(Cpu c) {
        return c.fOp == NONE ? (c.eflags & PF) != 0 : PARITY[c.fRes & 0xFF];
    }

    public static boolean of(Cpu c) {
        switch (c.fOp) {
            case ADD:
            case INC:
                return msb(c, (c.fDst ^ c.fRes) & (c.fSrc ^ c.fRes));
            case SUB:
            case DEC:
                return msb(c, (c.fDst ^ c.fSrc) & (c.fDst ^ c.fRes));
            case LOGIC:
                return false;
            default:
                return (c.eflags & OF) != 0;
        }
    }

    public static boolean af(Cpu c) {
        switch (c.fOp) {
            case ADD:
            case SUB:
            case INC:
            case DEC:
                return ((c.fDst ^ c.fSrc ^ c.fRes) & 0x10) != 0;
            case LOGIC:
                return false;
            default:
                return (c.eflags & AF) != 0;
        }
    }

    public static boolean parity(int v) {
        return PARITY[v & 0xFF];
    }

    /** Folds the lazy flags into {@code eflags} and returns it. */
    public static int get(Cpu c) {
        if (c.fOp != NONE) {
            int f = c.eflags & ~ARITH;
            if (cf(c)) f |= CF;
            if (pf(c)) f |= PF;
            if (af(c)) f |= AF;
            if (zf(c)) f |= ZF;
            if (sf(c)) f |= SF;
            if (of(c)) f |= OF;
            c.eflags = f;
            c.fOp = NONE;
        }
        return c.eflags;
    }

    /** Replaces the bits in {@code mask} (fixed bits forced: bit 1 set, bits 3, 5, 15 clear). */
    public static void set(Cpu c, int value, int mask) {
        int f = get(c);
        f = (f & ~mask) | (value & mask);
        c.eflags = (f | 2) & ~(0x8 | 0x20 | 0x8000);
    }

    /** Materialises only CF into {@code eflags} (INC/DEC keep it while the other flags go lazy). */
    public static void saveCarry(Cpu c) {
        if (c.fOp != NONE && c.fOp != INC && c.fOp != DEC && c.fOp != SZP) {
            c.eflags = cf(c) ? c.eflags | CF : c.eflags & ~CF;
        }
    }

    /** Records SZP-from-result with explicit CF, OF and AF (shifts, multiplies, BCD). */
    public static void setSzp(Cpu c, int size, int result, boolean cf, boolean of, boolean af) {
        int f = c.eflags & ~(CF | OF | AF);
        if (cf) f |= CF;
        if (of) f |= OF;
        if (af) f |= AF;
        c.eflags = f;
        c.fOp = SZP;
        c.fSize = size;
        c.fRes = result;
    }
}
