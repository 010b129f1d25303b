package dev.strata.emulator.cpu.fpu;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.decode.Exec;
import dev.strata.emulator.cpu.decode.Insn;

/**
 * x87 control instructions: FLDCW/FNSTCW, FNSTSW (memory and AX), FNCLEX, FNINIT, FLDENV/FNSTENV,
 * FRSTOR/FNSAVE, FNOP, WAIT, and FENI/FDISI/FSETPM (no operation on a 387 or later).
 */
final class FpuControl {

    private FpuControl() {
    }

    static final Exec LOAD_CONTROL = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            Fpu f = FpuAccess.enterControl(c, i);
            if (f == null) {
                return;
            }
            f.setControl(c.read16(i.seg(), c.ea(i)));
        }
    };

    static final Exec STORE_CONTROL = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            Fpu f = FpuAccess.enterNoWait(c, i);
            if (f == null) {
                return;
            }
            c.write16(i.seg(), c.ea(i), f.cw);
        }
    };

    static final Exec STORE_STATUS = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            Fpu f = FpuAccess.enterNoWait(c, i);
            if (f == null) {
                return;
            }
            c.write16(i.seg(), c.ea(i), f.status());
        }
    };

    static final Exec STORE_STATUS_AX = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            Fpu f = FpuAccess.enterNoWait(c, i);
            if (f == null) {
                return;
            }
            c.r[Cpu.EAX] = (c.r[Cpu.EAX] & 0xFFFF0000) | f.status();
        }
    };

    static final Exec CLEAR_EXCEPTIONS = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            Fpu f = FpuAccess.enterNoWait(c, i);
            if (f == null) {
                return;
            }
            f.sw &= ~0x80FF;
            f.updateSummary();
        }
    };

    static final Exec INIT = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            Fpu f = FpuAccess.enterNoWait(c, i);
            if (f != null) {
                f.init();
            }
        }
    };

    /** FENI, FDISI, FSETPM: the 8087/287 interrupt and mode controls, ignored by a 387 and later. */
    static final Exec IGNORED = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            FpuAccess.enterNoWait(c, i);
        }
    };

    static final Exec NOP = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            FpuAccess.enter(c, i);
        }
    };

    static final Exec WAIT = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            FpuAccess.waitInstruction(c);
        }
    };

    /** FNSTENV: stores the environment, then masks every exception. */
    static final Exec STORE_ENVIRONMENT = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            Fpu f = FpuAccess.enterNoWait(c, i);
            if (f == null) {
                return;
            }
            int off = c.ea(i);
            FpuAccess.checkWrite(c, i, off, FpuEnvironment.size(i));
            FpuEnvironment.store(c, i, f, off);
            f.cw |= 0x3F;
            f.x.control(f.cw);
        }
    };

    static final Exec LOAD_ENVIRONMENT = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            Fpu f = FpuAccess.enterControl(c, i);
            if (f == null) {
                return;
            }
            FpuEnvironment.load(c, i, f, FpuEnvironment.read(c, i, c.ea(i)));
        }
    };

    /** FNSAVE: environment and the eight registers in stack order, then FNINIT. */
    static final Exec SAVE = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            Fpu f = FpuAccess.enterNoWait(c, i);
            if (f == null) {
                return;
            }
            int off = c.ea(i);
            int env = FpuEnvironment.size(i);
            FpuAccess.checkWrite(c, i, off, env + 80);
            FpuEnvironment.store(c, i, f, off);
            for (int k = 0; k < 8; k++) {
                int at = (off + env + 10 * k) & i.addrMask();
                int p = f.phys(k);
                FpuAccess.write80(c, i, at, f.se[p], f.sig[p]);
            }
            f.init();
        }
    };

    static final Exec RESTORE = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            Fpu f = FpuAccess.enterControl(c, i);
            if (f == null) {
                return;
            }
            int off = c.ea(i);
            int env = FpuEnvironment.size(i);
            int[] w = FpuEnvironment.read(c, i, off);
            long[] sigs = new long[8];
            int[] ses = new int[8];
            for (int k = 0; k < 8; k++) {
                int at = (off + env + 10 * k) & i.addrMask();
                sigs[k] = FpuAccess.read64(c, i, at);
                ses[k] = c.read16(i.seg(), (at + 8) & i.addrMask());
            }
            FpuEnvironment.load(c, i, f, w);
            for (int k = 0; k < 8; k++) {
                int p = f.phys(k);
                f.se[p] = ses[k];
                f.sig[p] = sigs[k];
            }
        }
    };
}
