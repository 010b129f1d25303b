package dev.strata.emulator.cpu.trace;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.Flags;

/**
 * Reads the registers a trace compares before and after each instruction, by index: the eight general registers,
 * EFLAGS, the six segment selectors, CR0, CR2, CR3, CR4, LDTR and TR. EIP is left out: the next line shows it.
 * EFLAGS is computed from the CPU's lazy flags only when their recorded operation changed since the last reading.
 */
public final class TracedRegisters {

    public static final int EFLAGS = 8;
    public static final int SEGMENTS = 9;
    public static final int CR0 = 15, CR2 = 16, CR3 = 17, CR4 = 18, LDTR = 19, TR = 20;
    public static final int COUNT = 21;

    private static final String[] NAMES = {"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi", "eflags",
        "es", "cs", "ss", "ds", "fs", "gs", "cr0", "cr2", "cr3", "cr4", "ldtr", "tr"};

    /** The lazy-flag state (operation, size, operands, result, stored flags) EFLAGS was last computed from. */
    private int op = -1, size, dst, src, res, stored, flags;

    /** The register's name as a trace line shows it, e.g. {@code eax}. */
    public static String name(int index) {
        return NAMES[index];
    }

    /** True for the 16-bit selectors (segment registers, LDTR, TR). */
    public static boolean isSelector(int index) {
        return (index >= SEGMENTS && index < CR0) || index >= LDTR;
    }

    /** Reads the CPU's registers into {@code into} (without folding its lazy flags, which would change it). */
    public void read(Cpu c, int[] into) {
        int[] r = c.r;
        into[0] = r[0];
        into[1] = r[1];
        into[2] = r[2];
        into[3] = r[3];
        into[4] = r[4];
        into[5] = r[5];
        into[6] = r[6];
        into[7] = r[7];
        if (c.fOp != op || c.fRes != res || c.fDst != dst || c.fSrc != src || c.eflags != stored
                || c.fSize != size) {
            op = c.fOp;
            size = c.fSize;
            dst = c.fDst;
            src = c.fSrc;
            res = c.fRes;
            stored = c.eflags;
            flags = eflags(c);
        }
        into[EFLAGS] = flags;
        for (int s = 0; s < 6; s++) {
            into[SEGMENTS + s] = c.seg[s].selector;
        }
        into[CR0] = c.cr0;
        into[CR2] = c.cr2;
        into[CR3] = c.cr3;
        into[CR4] = c.cr4;
        into[LDTR] = c.ldt.selector;
        into[TR] = c.task.selector;
    }

    /** EFLAGS as the guest would read it, computed from the lazy flags without storing them. */
    public static int eflags(Cpu c) {
        if (c.fOp == Flags.NONE) {
            return c.eflags;
        }
        int f = c.eflags & ~Flags.ARITH;
        if (Flags.cf(c)) f |= Flags.CF;
        if (Flags.pf(c)) f |= Flags.PF;
        if (Flags.af(c)) f |= Flags.AF;
        if (Flags.zf(c)) f |= Flags.ZF;
        if (Flags.sf(c)) f |= Flags.SF;
        if (Flags.of(c)) f |= Flags.OF;
        return f;
    }

    /** A bit per register that differs between the two readings. */
    public static int changed(int[] before, int[] after) {
        int mask = 0;
        for (int k = 0; k < COUNT; k++) {
            if (before[k] != after[k]) {
                mask |= 1 << k;
            }
        }
        return mask;
    }
}
