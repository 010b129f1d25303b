package dev.strata.emulator.cpu.fpu;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.decode.Insn;

/**
 * The x87 environment image of FNSTENV/FLDENV (and the head of FNSAVE/FRSTOR) in its four layouts: 14 bytes for a
 * 16-bit operand size, 28 for 32-bit, and in real or virtual-8086 mode the instruction and data pointers as 20-bit
 * (32-bit form: 32-bit) linear addresses with the opcode beside them, in protected mode as selector and offset.
 */
final class FpuEnvironment {

    private FpuEnvironment() {
    }

    /** The size in bytes of the environment image for this instruction's operand size. */
    static int size(Insn i) {
        return i.o32() ? 28 : 14;
    }

    /** The full tag word computed from the register contents, as FNSTENV and FNSAVE store it. */
    static int tagWord(Fpu f) {
        int tw = 0;
        for (int p = 0; p < 8; p++) {
            int t = (f.empty & (1 << p)) != 0 ? 3 : Extended.tag(f.se[p], f.sig[p]);
            tw |= t << (2 * p);
        }
        return tw;
    }

    static void store(Cpu c, Insn i, Fpu f, int off) {
        int[] w = image(c, i, f);
        int step = i.o32() ? 4 : 2;
        for (int k = 0; k < 7; k++) {
            int at = (off + k * step) & i.addrMask();
            if (i.o32()) {
                c.write32(i.seg(), at, w[k]);
            } else {
                c.write16(i.seg(), at, w[k]);
            }
        }
    }

    /** The seven words or dwords of the image. */
    static int[] image(Cpu c, Insn i, Fpu f) {
        boolean real = !c.protectedMode();
        int ip = real ? f.fipBase + f.fip : f.fip;
        int dp = real ? f.fdpBase + f.fdp : f.fdp;
        int[] w = new int[7];
        if (i.o32()) {
            w[0] = 0xFFFF0000 | f.cw;
            w[1] = 0xFFFF0000 | f.status();
            w[2] = 0xFFFF0000 | tagWord(f);
            if (real) {
                w[3] = 0xFFFF0000 | (ip & 0xFFFF);
                w[4] = ((ip >>> 16) << 12) | f.fop;
                w[5] = 0xFFFF0000 | (dp & 0xFFFF);
                w[6] = (dp >>> 16) << 12;
            } else {
                w[3] = ip;
                w[4] = (f.fcs & 0xFFFF) | (f.fop << 16);
                w[5] = dp;
                w[6] = 0xFFFF0000 | (f.fds & 0xFFFF);
            }
        } else {
            w[0] = f.cw;
            w[1] = f.status();
            w[2] = tagWord(f);
            if (real) {
                w[3] = ip & 0xFFFF;
                w[4] = ((ip >>> 16) & 0xF) << 12 | f.fop;
                w[5] = dp & 0xFFFF;
                w[6] = ((dp >>> 16) & 0xF) << 12;
            } else {
                w[3] = ip & 0xFFFF;
                w[4] = f.fcs;
                w[5] = dp & 0xFFFF;
                w[6] = f.fds;
            }
        }
        return w;
    }

    /** Reads an image (all memory accesses first, so a fault changes nothing). */
    static int[] read(Cpu c, Insn i, int off) {
        int[] w = new int[7];
        int step = i.o32() ? 4 : 2;
        for (int k = 0; k < 7; k++) {
            int at = (off + k * step) & i.addrMask();
            w[k] = i.o32() ? c.read32(i.seg(), at) : c.read16(i.seg(), at);
        }
        return w;
    }

    /** Installs an image read by {@link #read}. */
    static void load(Cpu c, Insn i, Fpu f, int[] w) {
        boolean real = !c.protectedMode();
        f.cw = (w[0] & 0x1F3F) | 0x40;
        f.x.control(f.cw);
        int tw = w[2] & 0xFFFF;
        int empty = 0;
        for (int p = 0; p < 8; p++) {
            if (((tw >>> (2 * p)) & 3) == 3) {
                empty |= 1 << p;
            }
        }
        f.empty = empty;
        if (i.o32()) {
            if (real) {
                f.fip = (w[3] & 0xFFFF) | ((w[4] >>> 12) & 0xFFFF) << 16;
                f.fop = w[4] & 0x7FF;
                f.fdp = (w[5] & 0xFFFF) | ((w[6] >>> 12) & 0xFFFF) << 16;
                f.fcs = 0;
                f.fds = 0;
            } else {
                f.fip = w[3];
                f.fcs = w[4] & 0xFFFF;
                f.fop = (w[4] >>> 16) & 0x7FF;
                f.fdp = w[5];
                f.fds = w[6] & 0xFFFF;
            }
        } else {
            if (real) {
                f.fip = (w[3] & 0xFFFF) | ((w[4] >>> 12) & 0xF) << 16;
                f.fop = w[4] & 0x7FF;
                f.fdp = (w[5] & 0xFFFF) | ((w[6] >>> 12) & 0xF) << 16;
                f.fcs = 0;
                f.fds = 0;
            } else {
                f.fip = w[3] & 0xFFFF;
                f.fcs = w[4] & 0xFFFF;
                f.fdp = w[5] & 0xFFFF;
                f.fds = w[6] & 0xFFFF;
            }
        }
        f.fipBase = 0;
        f.fdpBase = 0;
        f.setStatus(w[1] & 0xFFFF);
    }
}
