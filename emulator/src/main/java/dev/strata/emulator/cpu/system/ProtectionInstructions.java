package dev.strata.emulator.cpu.system;

import static dev.strata.emulator.cpu.decode.OpSpec.NO_IMM;
import static dev.strata.emulator.cpu.decode.OpSpec.VAR;
import static dev.strata.emulator.cpu.decode.OpSpec.WORD;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.Flags;
import dev.strata.emulator.cpu.decode.Exec;
import dev.strata.emulator.cpu.decode.Insn;
import dev.strata.emulator.cpu.decode.OpTable;
import dev.strata.emulator.cpu.exception.CpuFault;
import dev.strata.emulator.cpu.segment.Descriptors;

/**
 * Protected-mode-only instructions (#UD in real and virtual-8086 mode): SLDT, STR, LLDT, LTR, VERR, VERW (0F 00),
 * LAR, LSL and ARPL.
 */
public final class ProtectionInstructions {

    /** System descriptor types LAR reports (TSSs, LDT, gates but interrupt and trap gates). */
    private static final int LAR_SYSTEM = (1 << 1) | (1 << 2) | (1 << 3) | (1 << 4) | (1 << 5) | (1 << 9)
            | (1 << 11) | (1 << 12);
    /** System descriptor types LSL reports (those with a limit: TSSs and LDT). */
    private static final int LSL_SYSTEM = (1 << 1) | (1 << 2) | (1 << 3) | (1 << 9) | (1 << 11);

    private ProtectionInstructions() {
    }

    private static void requireProtected(Cpu c) {
        if (!c.protectedMode()) {
            throw CpuFault.undefined();
        }
    }

    private static void setZf(Cpu c, boolean on) {
        Flags.get(c);
        c.eflags = on ? c.eflags | Flags.ZF : c.eflags & ~Flags.ZF;
    }

    /** A selector register store: zero-extended into a register, a word into memory. */
    private static void storeSelector(Cpu c, Insn i, int sel) {
        if (i.mem()) {
            c.write16(i.seg(), c.ea(i), sel);
        } else {
            c.setReg(i.size(), i.rm(), sel);
        }
    }

    /**
     * The descriptor a selector names if the current privilege level may see it (null selector, outside the
     * table, or DPL below CPL or RPL for anything but conforming code), else 0.
     */
    private static long visible(Cpu c, int sel) {
        if ((sel & 0xFFFC) == 0) {
            return 0;
        }
        long d = Descriptors.probe(c, sel);
        if (d == 0) {
            return 0;
        }
        int dpl = Descriptors.dpl(d);
        if (!Descriptors.isConforming(Descriptors.type(d)) && (dpl < c.cpl || dpl < (sel & 3))) {
            return 0;
        }
        return d;
    }

    static final Exec SLDT = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            requireProtected(c);
            storeSelector(c, i, c.ldt.selector);
        }
    };

    static final Exec STR = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            requireProtected(c);
            storeSelector(c, i, c.task.selector);
        }
    };

    static final Exec LLDT = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            requireProtected(c);
            SystemInstructions.requireRing0(c);
            int sel = c.readRm(i, 1);
            if ((sel & 0xFFFC) == 0) {
                c.ldt.loadNull(sel);
                return;
            }
            if ((sel & 4) != 0) {
                throw CpuFault.general(sel & 0xFFFC);
            }
            long d = Descriptors.read(c, sel);
            if (Descriptors.type(d) != Descriptors.LDT) {
                throw CpuFault.general(sel & 0xFFFC);
            }
            if (!Descriptors.present(d)) {
                throw CpuFault.notPresent(sel & 0xFFFC);
            }
            c.ldt.loadDescriptor(sel, Descriptors.low(d), Descriptors.high(d));
        }
    };

    static final Exec LTR = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            requireProtected(c);
            SystemInstructions.requireRing0(c);
            int sel = c.readRm(i, 1);
            if ((sel & 0xFFFC) == 0) {
                throw CpuFault.general(0);
            }
            if ((sel & 4) != 0) {
                throw CpuFault.general(sel & 0xFFFC);
            }
            long d = Descriptors.read(c, sel);
            int type = Descriptors.type(d);
            if (type != Descriptors.TSS16_AVAILABLE && type != Descriptors.TSS32_AVAILABLE) {
                throw CpuFault.general(sel & 0xFFFC);
            }
            if (!Descriptors.present(d)) {
                throw CpuFault.notPresent(sel & 0xFFFC);
            }
            int busy = Descriptors.address(c, sel) + 5;
            c.writeLinear8(busy, c.readLinear8(busy) | 2);
            c.task.loadDescriptor(sel, Descriptors.low(d), Descriptors.high(d) | 0x200);
        }
    };

    static final Exec VERR = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            requireProtected(c);
            long d = visible(c, c.readRm(i, 1));
            int type = Descriptors.type(d);
            // data, or readable code
            setZf(c, d != 0 && (type & 0x10) != 0 && (type & 0x0A) != 0x08);
        }
    };

    static final Exec VERW = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            requireProtected(c);
            long d = visible(c, c.readRm(i, 1));
            setZf(c, d != 0 && (Descriptors.type(d) & 0x1A) == 0x12); // writable data
        }
    };

    private static boolean reported(long d, int systemTypes) {
        int type = Descriptors.type(d);
        return d != 0 && ((type & 0x10) != 0 || (systemTypes & (1 << type)) != 0);
    }

    static final Exec LAR = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            requireProtected(c);
            long d = visible(c, c.readRm(i, 1));
            boolean ok = reported(d, LAR_SYSTEM);
            if (ok) {
                c.setReg(i.size(), i.reg(), Descriptors.high(d) & (i.size() == 2 ? 0x00FFFF00 : 0xFF00));
            }
            setZf(c, ok);
        }
    };

    static final Exec LSL = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            requireProtected(c);
            long d = visible(c, c.readRm(i, 1));
            boolean ok = reported(d, LSL_SYSTEM);
            if (ok) {
                c.setReg(i.size(), i.reg(), Descriptors.limit(d));
            }
            setZf(c, ok);
        }
    };

    static final Exec ARPL = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            requireProtected(c);
            int dst = c.readRm(i, 1);
            int src = c.r[i.reg()] & 3;
            boolean raise = (dst & 3) < src;
            if (raise) {
                c.writeRm(i, 1, (dst & ~3) | src);
            }
            setZf(c, raise);
        }
    };

    public static void register(OpTable t) {
        t.group(0x100, 0, VAR, NO_IMM, SLDT);
        t.group(0x100, 1, VAR, NO_IMM, STR);
        t.group(0x100, 2, WORD, NO_IMM, LLDT);
        t.group(0x100, 3, WORD, NO_IMM, LTR);
        t.group(0x100, 4, WORD, NO_IMM, VERR);
        t.group(0x100, 5, WORD, NO_IMM, VERW);
        t.op(0x102, true, VAR, NO_IMM, LAR);
        t.op(0x103, true, VAR, NO_IMM, LSL);
        t.op(0x63, true, WORD, NO_IMM, ARPL);
    }
}
