package dev.strata.emulator.cpu.stack;

import static dev.strata.emulator.cpu.decode.OpSpec.IBS;
import static dev.strata.emulator.cpu.decode.OpSpec.IV;
import static dev.strata.emulator.cpu.decode.OpSpec.IW_IB;
import static dev.strata.emulator.cpu.decode.OpSpec.NO_IMM;
import static dev.strata.emulator.cpu.decode.OpSpec.VAR;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.Flags;
import dev.strata.emulator.cpu.decode.Exec;
import dev.strata.emulator.cpu.decode.Insn;
import dev.strata.emulator.cpu.decode.OpTable;
import dev.strata.emulator.cpu.exception.CpuFault;

/** Stack instructions: PUSH/POP of registers, immediates and memory, PUSHA/POPA, PUSHF/POPF, ENTER, LEAVE. */
public final class StackInstructions {

    /** FLAGS bits POPF may change in real mode (CPL 0): everything but VM and RF. */
    private static final int POPF16 = 0x7FD5;
    private static final int POPF32 = POPF16 | Flags.AC | Flags.ID;

    private StackInstructions() {
    }

    static final Exec PUSH_R = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            c.push(i.size(), c.r[i.opcode() & 7]);
        }
    };

    static final Exec POP_R = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            c.setReg(i.size(), i.opcode() & 7, c.pop(i.size()));
        }
    };

    static final Exec PUSH_I = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            c.push(i.size(), i.imm());
        }
    };

    static final Exec PUSH_E = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            c.push(i.size(), c.readRm(i, i.size()));
        }
    };

    static final Exec POP_E = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            if (i.mem()) {
                // the address is computed after SP moves (matters for [esp]-based operands)
                int sp = c.r[Cpu.ESP];
                int v = c.pop(i.size());
                try {
                    c.writeRm(i, i.size(), v);
                } catch (RuntimeException fault) {
                    c.r[Cpu.ESP] = sp;
                    throw fault;
                }
            } else {
                c.setReg(i.size(), i.rm(), c.pop(i.size()));
            }
        }
    };

    static final Exec PUSHA = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            int sp = c.r[Cpu.ESP];
            int[] r = c.r;
            c.push(i.size(), r[Cpu.EAX]);
            c.push(i.size(), r[Cpu.ECX]);
            c.push(i.size(), r[Cpu.EDX]);
            c.push(i.size(), r[Cpu.EBX]);
            c.push(i.size(), sp);
            c.push(i.size(), r[Cpu.EBP]);
            c.push(i.size(), r[Cpu.ESI]);
            c.push(i.size(), r[Cpu.EDI]);
        }
    };

    static final Exec POPA = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            int size = i.size();
            c.setReg(size, Cpu.EDI, c.pop(size));
            c.setReg(size, Cpu.ESI, c.pop(size));
            c.setReg(size, Cpu.EBP, c.pop(size));
            c.pop(size);
            c.setReg(size, Cpu.EBX, c.pop(size));
            c.setReg(size, Cpu.EDX, c.pop(size));
            c.setReg(size, Cpu.ECX, c.pop(size));
            c.setReg(size, Cpu.EAX, c.pop(size));
        }
    };

    static final Exec PUSHF = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            int f = Flags.get(c);
            if ((f & Flags.VM) != 0 && (f & Flags.IOPL) != Flags.IOPL) {
                throw CpuFault.general(0); // IOPL-sensitive in virtual-8086 mode
            }
            c.push(i.size(), i.size() == 2 ? f & ~(Flags.VM | Flags.RF) : f);
        }
    };

    static final Exec POPF = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            if ((c.eflags & Flags.VM) != 0 && (c.eflags & Flags.IOPL) != Flags.IOPL) {
                throw CpuFault.general(0); // IOPL-sensitive in virtual-8086 mode
            }
            int v = c.pop(i.size());
            int mask = i.size() == 2 ? POPF32 : POPF16;
            if (c.cpl != 0) {
                // protected mode below ring 0: IOPL is kept, and IF too when CPL > IOPL (real mode has CPL 0)
                mask &= c.cpl > ((c.eflags >>> 12) & 3) ? ~(Flags.IOPL | Flags.IF) : ~Flags.IOPL;
            }
            Flags.set(c, v, mask);
        }
    };

    static final Exec ENTER = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            int esp = c.r[Cpu.ESP];
            try {
                enter(c, i);
            } catch (RuntimeException fault) {
                c.r[Cpu.ESP] = esp; // a fault leaves the stack pointer as it was before ENTER
                throw fault;
            }
        }
    };

    private static void enter(Cpu c, Insn i) {
        int size = i.size();
        int bytes = size == 2 ? 4 : 2;
        int level = i.imm2() & 31;
        c.push(size, c.r[Cpu.EBP]);
        // the whole ESP: on a 16-bit stack a 32-bit ENTER keeps ESP's upper half in EBP and the pushed frame
        int frame = c.r[Cpu.ESP];
        if (level > 0) {
            int bp = c.r[Cpu.EBP];
            for (int k = 1; k < level; k++) {
                bp = (bp - bytes) & c.spMask();
                c.push(size, c.read(size, Cpu.SS, bp));
            }
            c.push(size, frame);
        }
        int sp = (c.r[Cpu.ESP] - i.imm()) & c.spMask();
        // the processor checks that the final stack top is writable (limit and page) before it commits
        c.translateWrite(c.linearWrite(Cpu.SS, sp, 1));
        c.setReg(size, Cpu.EBP, frame);
        c.r[Cpu.ESP] = c.spMask() == -1 ? sp : (c.r[Cpu.ESP] & 0xFFFF0000) | sp;
    }

    static final Exec LEAVE = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            int mask = c.spMask();
            int bp = c.r[Cpu.EBP] & mask;
            int v = c.read(i.size(), Cpu.SS, bp); // read before SP moves, so a fault leaves SP intact
            c.r[Cpu.ESP] = mask == -1 ? bp + (i.size() == 2 ? 4 : 2)
                    : (c.r[Cpu.ESP] & 0xFFFF0000) | ((bp + (i.size() == 2 ? 4 : 2)) & 0xFFFF);
            c.setReg(i.size(), Cpu.EBP, v);
        }
    };

    public static void register(OpTable t) {
        for (int r = 0; r < 8; r++) {
            t.op(0x50 + r, false, VAR, NO_IMM, PUSH_R);
            t.op(0x58 + r, false, VAR, NO_IMM, POP_R);
        }
        t.op(0x68, false, VAR, IV, PUSH_I);
        t.op(0x6A, false, VAR, IBS, PUSH_I);
        t.group(0xFF, 6, VAR, NO_IMM, PUSH_E);
        t.group(0x8F, 0, VAR, NO_IMM, POP_E);
        t.op(0x60, false, VAR, NO_IMM, PUSHA);
        t.op(0x61, false, VAR, NO_IMM, POPA);
        t.op(0x9C, false, VAR, NO_IMM, PUSHF);
        t.op(0x9D, false, VAR, NO_IMM, POPF).ends();
        t.op(0xC8, false, VAR, IW_IB, ENTER);
        t.op(0xC9, false, VAR, NO_IMM, LEAVE);
    }
}
