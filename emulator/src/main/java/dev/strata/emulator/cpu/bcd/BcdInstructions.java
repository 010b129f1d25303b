package dev.strata.emulator.cpu.bcd;

import static dev.strata.emulator.cpu.decode.OpSpec.BYTE;
import static dev.strata.emulator.cpu.decode.OpSpec.IB;
import static dev.strata.emulator.cpu.decode.OpSpec.NO_IMM;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.Flags;
import dev.strata.emulator.cpu.alu.Alu;
import dev.strata.emulator.cpu.decode.Exec;
import dev.strata.emulator.cpu.decode.Insn;
import dev.strata.emulator.cpu.decode.OpTable;
import dev.strata.emulator.cpu.exception.CpuFault;

/** Decimal adjust instructions: DAA, DAS, AAA, AAS, AAM (with #DE on a zero base), AAD. */
public final class BcdInstructions {

    private BcdInstructions() {
    }

    static final Exec DAA = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            int al = c.r[Cpu.EAX] & 0xFF;
            boolean cf = Flags.cf(c);
            boolean af = Flags.af(c);
            int res = al;
            boolean newAf = false;
            boolean newCf = false;
            if ((al & 0xF) > 9 || af) {
                res += 6;
                newCf = cf || res > 0xFF;
                newAf = true;
            }
            if (al > 0x99 || cf) {
                res += 0x60;
                newCf = true;
            }
            res &= 0xFF;
            c.setReg(0, Cpu.EAX, res);
            Flags.setSzp(c, 0, res, newCf, ((al ^ res) & ~al & 0x80) != 0, newAf);
        }
    };

    static final Exec DAS = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            int al = c.r[Cpu.EAX] & 0xFF;
            boolean cf = Flags.cf(c);
            boolean af = Flags.af(c);
            int res = al;
            boolean newAf = false;
            boolean newCf = false;
            if ((al & 0xF) > 9 || af) {
                res -= 6;
                newCf = cf || res < 0;
                newAf = true;
            }
            if (al > 0x99 || cf) {
                res -= 0x60;
                newCf = true;
            }
            res &= 0xFF;
            c.setReg(0, Cpu.EAX, res);
            Flags.setSzp(c, 0, res, newCf, ((al ^ res) & al & 0x80) != 0, newAf);
        }
    };

    static final Exec AAA = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            int ax = c.r[Cpu.EAX] & 0xFFFF;
            boolean adjust = (ax & 0xF) > 9 || Flags.af(c);
            if (adjust) {
                ax = (ax + 0x106) & 0xFFFF;
            }
            ax &= 0xFF0F;
            c.setReg(1, Cpu.EAX, ax);
            Flags.setSzp(c, 0, ax, adjust, false, adjust);
        }
    };

    static final Exec AAS = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            int ax = c.r[Cpu.EAX] & 0xFFFF;
            boolean adjust = (ax & 0xF) > 9 || Flags.af(c);
            if (adjust) {
                ax = (ax - 6) & 0xFFFF; // a 16-bit subtract: the borrow from AL reaches AH (286 and later)
                ax = (ax - 0x100) & 0xFFFF;
            }
            ax &= 0xFF0F;
            c.setReg(1, Cpu.EAX, ax);
            Flags.setSzp(c, 0, ax, adjust, false, adjust);
        }
    };

    static final Exec AAM = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            if (i.imm() == 0) {
                throw CpuFault.divide();
            }
            int al = c.r[Cpu.EAX] & 0xFF;
            int res = al % i.imm();
            c.setReg(1, Cpu.EAX, ((al / i.imm()) << 8) | res);
            Alu.logic(c, 0, res);
        }
    };

    static final Exec AAD = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            int ax = c.r[Cpu.EAX];
            int al = ax & 0xFF;
            int prod = (((ax >>> 8) & 0xFF) * i.imm()) & 0xFF;
            int res = Alu.add(c, 0, al, prod, 0);
            c.setReg(1, Cpu.EAX, res);
        }
    };

    public static void register(OpTable t) {
        t.op(0x27, false, BYTE, NO_IMM, DAA);
        t.op(0x2F, false, BYTE, NO_IMM, DAS);
        t.op(0x37, false, BYTE, NO_IMM, AAA);
        t.op(0x3F, false, BYTE, NO_IMM, AAS);
        t.op(0xD4, false, BYTE, IB, AAM);
        t.op(0xD5, false, BYTE, IB, AAD);
    }
}
