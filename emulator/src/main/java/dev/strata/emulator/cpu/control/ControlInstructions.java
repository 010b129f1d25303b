package dev.strata.emulator.cpu.control;

import static dev.strata.emulator.cpu.decode.OpSpec.FARPTR;
import static dev.strata.emulator.cpu.decode.OpSpec.IB;
import static dev.strata.emulator.cpu.decode.OpSpec.IW;
import static dev.strata.emulator.cpu.decode.OpSpec.NO_IMM;
import static dev.strata.emulator.cpu.decode.OpSpec.REL8;
import static dev.strata.emulator.cpu.decode.OpSpec.RELV;
import static dev.strata.emulator.cpu.decode.OpSpec.VAR;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.Flags;
import dev.strata.emulator.cpu.decode.Exec;
import dev.strata.emulator.cpu.decode.Insn;
import dev.strata.emulator.cpu.decode.OpTable;
import dev.strata.emulator.cpu.exception.CpuFault;
import dev.strata.emulator.cpu.exception.Vectors;

/** Control transfer: Jcc, JMP, CALL, RET (near and far), LOOP*, JCXZ, INT n, INT3, INTO, INT1, IRET, BOUND. */
public final class ControlInstructions {

    private ControlInstructions() {
    }

    static final Exec JCC = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            if (Conditions.test(c, i.opcode() & 15)) {
                c.jumpNear(c.eip + i.imm(), i.size());
            }
        }
    };

    static final Exec JMP_REL = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            c.jumpNear(c.eip + i.imm(), i.size());
        }
    };

    static final Exec CALL_REL = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            int target = c.nearTarget(c.eip + i.imm(), i.size());
            c.push(i.size(), c.eip);
            c.eip = target;
        }
    };

    static final Exec JMP_FAR = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            if (c.protectedMode()) {
                FarTransfer.jump(c, i.imm2(), i.imm(), i.size());
                return;
            }
            c.jumpFar(i.imm2(), i.imm(), i.size());
        }
    };

    static final Exec CALL_FAR = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            if (c.protectedMode()) {
                FarTransfer.call(c, i.imm2(), i.imm(), i.size());
                return;
            }
            c.push(i.size(), c.cs.selector);
            c.push(i.size(), c.eip);
            c.jumpFar(i.imm2(), i.imm(), i.size());
        }
    };

    static final Exec JMP_E = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            c.jumpNear(c.readRm(i, i.size()), i.size());
        }
    };

    static final Exec CALL_E = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            int target = c.nearTarget(c.readRm(i, i.size()), i.size());
            c.push(i.size(), c.eip);
            c.eip = target;
        }
    };

    private static int farOffset(Cpu c, Insn i) {
        return c.read(i.size(), i.seg(), c.ea(i));
    }

    private static int farSelector(Cpu c, Insn i) {
        return c.read16(i.seg(), (c.ea(i) + (i.size() == 2 ? 4 : 2)) & i.addrMask());
    }

    static final Exec JMP_M = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            if (c.protectedMode()) {
                FarTransfer.jump(c, farSelector(c, i), farOffset(c, i), i.size());
                return;
            }
            c.jumpFar(farSelector(c, i), farOffset(c, i), i.size());
        }
    };

    static final Exec CALL_M = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            int off = farOffset(c, i);
            int sel = farSelector(c, i);
            if (c.protectedMode()) {
                FarTransfer.call(c, sel, off, i.size());
                return;
            }
            c.push(i.size(), c.cs.selector);
            c.push(i.size(), c.eip);
            c.jumpFar(sel, off, i.size());
        }
    };

    private static void releaseStack(Cpu c, int bytes) {
        int mask = c.spMask();
        int sp = (c.r[Cpu.ESP] + bytes) & mask;
        c.r[Cpu.ESP] = mask == -1 ? sp : (c.r[Cpu.ESP] & 0xFFFF0000) | sp;
    }

    static final Exec RET = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            int target = c.peek(i.size(), 0);
            c.jumpNear(target, i.size());
            releaseStack(c, (i.size() == 2 ? 4 : 2) + i.imm());
        }
    };

    static final Exec RETF = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            if (c.protectedMode()) {
                FarTransfer.ret(c, i.size(), i.imm());
                return;
            }
            int off = c.peek(i.size(), 0);
            int sel = c.peek(i.size(), i.size() == 2 ? 4 : 2) & 0xFFFF;
            c.jumpFar(sel, off, i.size());
            releaseStack(c, (i.size() == 2 ? 8 : 4) + i.imm());
        }
    };

    static final Exec IRET = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            if (c.protectedMode()) {
                FarTransfer.iret(c, i.size());
                return;
            }
            boolean v86 = (c.eflags & Flags.VM) != 0;
            if (v86 && (c.eflags & Flags.IOPL) != Flags.IOPL) {
                throw CpuFault.general(0); // IOPL-sensitive in virtual-8086 mode
            }
            int bytes = i.size() == 2 ? 4 : 2;
            int off = c.peek(i.size(), 0);
            int sel = c.peek(i.size(), bytes) & 0xFFFF;
            int flags = c.peek(i.size(), 2 * bytes);
            c.jumpFar(sel, off, i.size());
            releaseStack(c, 3 * bytes);
            if (v86) {
                Flags.set(c, flags, (i.size() == 2 ? 0x257FD5 : 0x7FD5) & ~(Flags.VM | Flags.RF | Flags.IOPL));
            } else if (i.size() == 2) {
                Flags.set(c, flags, 0x257FD5 & ~(Flags.VM | Flags.RF));
            } else {
                Flags.set(c, flags, 0x7FD5);
            }
            c.iretDone();
        }
    };

    /** ECX (or CX) less one, cut to the address size: LOOP's count, written only once the branch cannot fault. */
    private static int loopCount(Cpu c, Insn i) {
        return (c.r[Cpu.ECX] - 1) & i.addrMask();
    }

    /**
     * Stores the count and takes the branch when {@code taken}: the target is checked first, so a #GP leaves ECX
     * as it was (faults are precise, as on hardware and in Bochs and QEMU).
     */
    private static void loopBranch(Cpu c, Insn i, int count, boolean taken) {
        if (taken) {
            c.jumpNear(c.eip + i.imm(), i.size());
        }
        c.r[Cpu.ECX] = i.addrMask() == -1 ? count : (c.r[Cpu.ECX] & 0xFFFF0000) | count;
    }

    static final Exec LOOP = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            int count = loopCount(c, i);
            loopBranch(c, i, count, count != 0);
        }
    };

    static final Exec LOOPE = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            int count = loopCount(c, i);
            loopBranch(c, i, count, count != 0 && Flags.zf(c));
        }
    };

    static final Exec LOOPNE = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            int count = loopCount(c, i);
            loopBranch(c, i, count, count != 0 && !Flags.zf(c));
        }
    };

    static final Exec JCXZ = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            if ((c.r[Cpu.ECX] & i.addrMask()) == 0) {
                c.jumpNear(c.eip + i.imm(), i.size());
            }
        }
    };

    static final Exec INT = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            if ((c.eflags & Flags.VM) != 0 && (c.eflags & Flags.IOPL) != Flags.IOPL) {
                throw CpuFault.general(0); // IOPL-sensitive in virtual-8086 mode
            }
            c.softwareInterrupt(i.imm());
        }
    };
    static final Exec INT3 = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            c.softwareInterrupt(Vectors.BP);
        }
    };
    static final Exec INT1 = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            c.interrupt(Vectors.DB);
        }
    };

    static final Exec INTO = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            if (Flags.of(c)) {
                c.softwareInterrupt(Vectors.OF);
            }
        }
    };

    static final Exec BOUND = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            int off = c.ea(i);
            int lo = c.read(i.size(), i.seg(), off);
            int hi = c.read(i.size(), i.seg(), (off + (i.size() == 2 ? 4 : 2)) & i.addrMask());
            int idx = c.getReg(i.size(), i.reg());
            if (i.size() == 1) {
                lo = (short) lo;
                hi = (short) hi;
                idx = (short) idx;
            }
            if (idx < lo || idx > hi) {
                throw new CpuFault(Vectors.BR, -1);
            }
        }
    };

    static final Exec HLT = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            if (c.cpl != 0) {
                throw CpuFault.general(0); // privileged
            }
            c.halt();
            c.blockExit = true;
        }
    };

    public static void register(OpTable t) {
        for (int cc = 0; cc < 16; cc++) {
            t.op(0x70 + cc, false, VAR, REL8, JCC).ends();
            t.op(0x180 + cc, false, VAR, RELV, JCC).ends();
        }
        t.op(0xEB, false, VAR, REL8, JMP_REL).ends();
        t.op(0xE9, false, VAR, RELV, JMP_REL).ends();
        t.op(0xE8, false, VAR, RELV, CALL_REL).ends();
        t.op(0xEA, false, VAR, FARPTR, JMP_FAR).ends();
        t.op(0x9A, false, VAR, FARPTR, CALL_FAR).ends();
        t.group(0xFF, 2, VAR, NO_IMM, CALL_E).ends();
        t.group(0xFF, 3, VAR, NO_IMM, CALL_M).memOnly().ends();
        t.group(0xFF, 4, VAR, NO_IMM, JMP_E).ends();
        t.group(0xFF, 5, VAR, NO_IMM, JMP_M).memOnly().ends();
        t.op(0xC3, false, VAR, NO_IMM, RET).ends();
        t.op(0xC2, false, VAR, IW, RET).ends();
        t.op(0xCB, false, VAR, NO_IMM, RETF).ends();
        t.op(0xCA, false, VAR, IW, RETF).ends();
        t.op(0xCF, false, VAR, NO_IMM, IRET).ends();
        t.op(0xE0, false, VAR, REL8, LOOPNE).ends();
        t.op(0xE1, false, VAR, REL8, LOOPE).ends();
        t.op(0xE2, false, VAR, REL8, LOOP).ends();
        t.op(0xE3, false, VAR, REL8, JCXZ).ends();
        t.op(0xCC, false, VAR, NO_IMM, INT3).ends();
        t.op(0xCD, false, VAR, IB, INT).ends();
        t.op(0xCE, false, VAR, NO_IMM, INTO).ends();
        t.op(0xF1, false, VAR, NO_IMM, INT1).ends();
        t.op(0x62, true, VAR, NO_IMM, BOUND).memOnly();
        t.op(0xF4, false, VAR, NO_IMM, HLT).ends();
    }
}
