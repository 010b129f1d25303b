package dev.strata.emulator.cpu.bits;

import static dev.strata.emulator.cpu.decode.OpSpec.IB;
import static dev.strata.emulator.cpu.decode.OpSpec.NO_IMM;
import static dev.strata.emulator.cpu.decode.OpSpec.VAR;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.Flags;
import dev.strata.emulator.cpu.decode.Exec;
import dev.strata.emulator.cpu.decode.Insn;
import dev.strata.emulator.cpu.decode.OpTable;

/** Bit tests and scans: BT, BTS, BTR, BTC (register and immediate bit offsets), BSF, BSR. */
public final class BitInstructions {

    /** Bit-test operations by group reg field. */
    private static final int BT = 4, BTS = 5, BTR = 6, BTC = 7;

    private BitInstructions() {
    }

    private static int modify(int op, int value, int bit) {
        switch (op) {
            case BTS: return value | (1 << bit);
            case BTR: return value & ~(1 << bit);
            case BTC: return value ^ (1 << bit);
            default: return value;
        }
    }

    private static void setCarry(Cpu c, boolean carry) {
        Flags.get(c);
        c.eflags = carry ? c.eflags | Flags.CF : c.eflags & ~Flags.CF;
    }

    private static void bitOp(Cpu c, Insn i, int op, int bitOffset, boolean fromRegister) {
        int size = i.size();
        int bits = size == 2 ? 32 : 16;
        if (!i.mem()) {
            int bit = bitOffset & (bits - 1);
            int v = c.getReg(size, i.rm());
            setCarry(c, ((v >>> bit) & 1) != 0);
            if (op != BT) {
                c.setReg(size, i.rm(), modify(op, v, bit));
            }
            return;
        }
        int off = c.ea(i);
        int bit;
        if (fromRegister) {
            int signed = size == 2 ? bitOffset : (short) bitOffset;
            off = (off + (signed >> (size == 2 ? 5 : 4)) * (bits / 8)) & i.addrMask();
            bit = signed & (bits - 1);
        } else {
            bit = bitOffset & (bits - 1);
        }
        int v = c.read(size, i.seg(), off);
        setCarry(c, ((v >>> bit) & 1) != 0);
        if (op != BT) {
            c.write(size, i.seg(), off, modify(op, v, bit));
        }
    }

    static final Exec BIT_REG = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            bitOp(c, i, BT + ((i.opcode() >>> 3) & 3), c.getReg(i.size(), i.reg()), true);
        }
    };
    static final Exec BIT_IMM = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            bitOp(c, i, i.sub(), i.imm(), false);
        }
    };

    static final Exec BSF = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            int v = c.readRm(i, i.size());
            Flags.get(c);
            if (v == 0) {
                c.eflags |= Flags.ZF;
            } else {
                c.eflags &= ~Flags.ZF;
                c.setReg(i.size(), i.reg(), Integer.numberOfTrailingZeros(v));
            }
        }
    };

    static final Exec BSR = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            int v = c.readRm(i, i.size());
            Flags.get(c);
            if (v == 0) {
                c.eflags |= Flags.ZF;
            } else {
                c.eflags &= ~Flags.ZF;
                c.setReg(i.size(), i.reg(), 31 - Integer.numberOfLeadingZeros(v));
            }
        }
    };

    public static void register(OpTable t) {
        t.op(0x1A3, true, VAR, NO_IMM, BIT_REG);
        t.op(0x1AB, true, VAR, NO_IMM, BIT_REG).lockable();
        t.op(0x1B3, true, VAR, NO_IMM, BIT_REG).lockable();
        t.op(0x1BB, true, VAR, NO_IMM, BIT_REG).lockable();
        t.group(0x1BA, BT, VAR, IB, BIT_IMM);
        t.group(0x1BA, BTS, VAR, IB, BIT_IMM).lockable();
        t.group(0x1BA, BTR, VAR, IB, BIT_IMM).lockable();
        t.group(0x1BA, BTC, VAR, IB, BIT_IMM).lockable();
        t.op(0x1BC, true, VAR, NO_IMM, BSF);
        t.op(0x1BD, true, VAR, NO_IMM, BSR);
    }
}
