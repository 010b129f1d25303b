package dev.strata.emulator.cpu.shift;

import static dev.strata.emulator.cpu.decode.OpSpec.BYTE;
import static dev.strata.emulator.cpu.decode.OpSpec.IB;
import static dev.strata.emulator.cpu.decode.OpSpec.NO_IMM;
import static dev.strata.emulator.cpu.decode.OpSpec.VAR;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.decode.Exec;
import dev.strata.emulator.cpu.decode.Insn;
import dev.strata.emulator.cpu.decode.OpTable;

/** Shift and rotate opcodes C0, C1, D0-D3 and SHLD/SHRD (0F A4, A5, AC, AD). */
public final class ShiftInstructions {

    private ShiftInstructions() {
    }

    private static void shiftRm(Cpu c, Insn i, int count) {
        count &= 0x1F;
        if (i.mem()) {
            int off = c.ea(i);
            int v = c.read(i.size(), i.seg(), off);
            if (count != 0) {
                c.write(i.size(), i.seg(), off, Shifter.shift(c, i.sub(), i.size(), v, count));
            }
        } else if (count != 0) {
            c.setReg(i.size(), i.rm(), Shifter.shift(c, i.sub(), i.size(), c.getReg(i.size(), i.rm()), count));
        }
    }

    static final Exec BY_IMM = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            shiftRm(c, i, i.imm());
        }
    };
    static final Exec BY_ONE = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            shiftRm(c, i, 1);
        }
    };
    static final Exec BY_CL = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            shiftRm(c, i, c.r[Cpu.ECX]);
        }
    };

    private static void doubleShift(Cpu c, Insn i, boolean left, int count) {
        count &= 0x1F;
        int src = c.getReg(i.size(), i.reg());
        if (i.mem()) {
            int off = c.ea(i);
            int v = c.read(i.size(), i.seg(), off);
            if (count != 0) {
                c.write(i.size(), i.seg(), off, Shifter.doubleShift(c, left, i.size(), v, src, count));
            }
        } else if (count != 0) {
            c.setReg(i.size(), i.rm(), Shifter.doubleShift(c, left, i.size(), c.getReg(i.size(), i.rm()), src, count));
        }
    }

    static final Exec SHLD_IMM = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            doubleShift(c, i, true, i.imm());
        }
    };
    static final Exec SHLD_CL = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            doubleShift(c, i, true, c.r[Cpu.ECX]);
        }
    };
    static final Exec SHRD_IMM = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            doubleShift(c, i, false, i.imm());
        }
    };
    static final Exec SHRD_CL = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            doubleShift(c, i, false, c.r[Cpu.ECX]);
        }
    };

    public static void register(OpTable t) {
        for (int op = 0; op < 8; op++) {
            t.group(0xC0, op, BYTE, IB, BY_IMM);
            t.group(0xC1, op, VAR, IB, BY_IMM);
            t.group(0xD0, op, BYTE, NO_IMM, BY_ONE);
            t.group(0xD1, op, VAR, NO_IMM, BY_ONE);
            t.group(0xD2, op, BYTE, NO_IMM, BY_CL);
            t.group(0xD3, op, VAR, NO_IMM, BY_CL);
        }
        t.op(0x1A4, true, VAR, IB, SHLD_IMM);
        t.op(0x1A5, true, VAR, NO_IMM, SHLD_CL);
        t.op(0x1AC, true, VAR, IB, SHRD_IMM);
        t.op(0x1AD, true, VAR, NO_IMM, SHRD_CL);
    }
}
