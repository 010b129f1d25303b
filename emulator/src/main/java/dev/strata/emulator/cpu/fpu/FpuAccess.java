package dev.strata.emulator.cpu.fpu;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.decode.Insn;
import dev.strata.emulator.cpu.exception.CpuFault;
import dev.strata.emulator.cpu.exception.Vectors;

/**
 * What every x87 handler does first: the device-not-available check (CR0.EM, CR0.TS), delivery of a pending
 * unmasked exception (#MF with CR0.NE, else FERR# to IRQ 13), the last-instruction and operand pointers, and the
 * memory operand accesses of the x87's sizes.
 */
public final class FpuAccess {

    /** #MF, the x87 floating-point error vector. */
    public static final int MF = 16;

    private FpuAccess() {
    }

    /**
     * Enters a waiting x87 instruction that is not a control instruction: checks, then records FIP/FCS/FOP.
     * Returns null when no FPU is fitted (the instruction then does nothing).
     */
    public static Fpu enter(Cpu c, Insn i) {
        Fpu f = enterControl(c, i);
        if (f != null) {
            f.fip = c.curEip;
            f.fcs = c.cs.selector;
            f.fipBase = c.cs.base;
            f.fop = ((i.opcode() & 7) << 8) | i.modrm();
        }
        return f;
    }

    /** Enters a waiting control instruction (FLDCW, FLDENV, FRSTOR): the pointers stay as they are. */
    public static Fpu enterControl(Cpu c, Insn i) {
        Fpu f = enterNoWait(c, i);
        if (f != null && (f.sw & Fpu.ES) != 0) {
            pending(c, f);
        }
        return f;
    }

    /** Enters a non-waiting instruction (FNINIT, FNCLEX, FNSTSW, FNSTCW, FNSTENV, FNSAVE). */
    public static Fpu enterNoWait(Cpu c, Insn i) {
        if ((c.cr0 & 0xC) != 0) { // EM or TS
            throw new CpuFault(Vectors.NM, -1);
        }
        Fpu f = c.fpu;
        if (!f.present) {
            if (i.mem()) {
                c.linear(i.seg(), c.ea(i), 2); // the operand is still addressed: offset 0xFFFF faults
            }
            return null;
        }
        return f;
    }

    /** WAIT/FWAIT: #NM only when both CR0.MP and CR0.TS are set; then any pending exception is delivered. */
    public static void waitInstruction(Cpu c) {
        if ((c.cr0 & 0xA) == 0xA) {
            throw new CpuFault(Vectors.NM, -1);
        }
        Fpu f = c.fpu;
        if (f.present && (f.sw & Fpu.ES) != 0) {
            pending(c, f);
        }
    }

    /**
     * A pending unmasked exception found by a waiting instruction: #MF when CR0.NE is set; otherwise FERR# raises
     * IRQ 13 (taken after this instruction, as the block ends here) and the instruction goes on.
     */
    private static void pending(Cpu c, Fpu f) {
        if ((c.cr0 & 0x20) != 0) {
            throw new CpuFault(MF, -1);
        }
        if (!f.ignne) {
            f.signalFerr();
            c.blockExit = true;
        }
    }

    /** The memory operand's offset, recorded as the last operand pointer. */
    public static int operand(Cpu c, Insn i, Fpu f) {
        int off = c.ea(i);
        f.fdp = off;
        f.fds = c.seg[i.seg()].selector;
        f.fdpBase = c.seg[i.seg()].base;
        return off;
    }

    public static long read64(Cpu c, Insn i, int off) {
        long lo = c.read32(i.seg(), off) & 0xFFFFFFFFL;
        long hi = c.read32(i.seg(), (off + 4) & i.addrMask());
        return lo | hi << 32;
    }

    /**
     * Checks that {@code bytes} at {@code off} can be written (segment limit, and every page when paging), so a
     * store that faults leaves memory untouched.
     */
    public static void checkWrite(Cpu c, Insn i, int off, int bytes) {
        int lin = c.linearWrite(i.seg(), off, bytes);
        if (c.paging) {
            c.translateWrite(lin);
            c.translateWrite(lin + bytes - 1);
        }
    }

    public static void write64(Cpu c, Insn i, int off, long v) {
        checkWrite(c, i, off, 8);
        c.write32(i.seg(), off, (int) v);
        c.write32(i.seg(), (off + 4) & i.addrMask(), (int) (v >>> 32));
    }

    public static void write80(Cpu c, Insn i, int off, int se, long sig) {
        checkWrite(c, i, off, 10);
        c.write32(i.seg(), off, (int) sig);
        c.write32(i.seg(), (off + 4) & i.addrMask(), (int) (sig >>> 32));
        c.write16(i.seg(), (off + 8) & i.addrMask(), se);
    }
}
