package dev.strata.emulator.cpu.data;

import static dev.strata.emulator.cpu.decode.OpSpec.BYTE;
import static dev.strata.emulator.cpu.decode.OpSpec.IB;
import static dev.strata.emulator.cpu.decode.OpSpec.IV;
import static dev.strata.emulator.cpu.decode.OpSpec.MOFFS;
import static dev.strata.emulator.cpu.decode.OpSpec.NO_IMM;
import static dev.strata.emulator.cpu.decode.OpSpec.VAR;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.Flags;
import dev.strata.emulator.cpu.control.Conditions;
import dev.strata.emulator.cpu.decode.Exec;
import dev.strata.emulator.cpu.decode.Insn;
import dev.strata.emulator.cpu.decode.OpTable;

/** Data movement: MOV, XCHG, LEA, CBW/CWD, XLAT, MOVZX/MOVSX, BSWAP, SETcc, CMOVcc, LAHF/SAHF, SALC, NOP. */
public final class DataInstructions {

    private DataInstructions() {
    }

    static final Exec MOV_EG = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            if (i.mem()) {
                c.write(i.size(), i.seg(), c.ea(i), c.getReg(i.size(), i.reg()));
            } else {
                c.setReg(i.size(), i.rm(), c.getReg(i.size(), i.reg()));
            }
        }
    };

    static final Exec MOV_EG_R16 = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            int[] r = c.r;
            r[i.rm()] = (r[i.rm()] & 0xFFFF0000) | (r[i.reg()] & 0xFFFF);
        }
    };

    static final Exec MOV_GE_R16 = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            int[] r = c.r;
            r[i.reg()] = (r[i.reg()] & 0xFFFF0000) | (r[i.rm()] & 0xFFFF);
        }
    };

    static final Exec MOV_RI16 = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            int idx = i.opcode() & 7;
            c.r[idx] = (c.r[idx] & 0xFFFF0000) | i.imm();
        }
    };

    static final Exec MOV_EG_M16 = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            c.write16(i.seg(), c.ea(i), c.r[i.reg()]);
        }
    };

    static final Exec MOV_GE_M16 = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            int v = c.read16(i.seg(), c.ea(i));
            c.r[i.reg()] = (c.r[i.reg()] & 0xFFFF0000) | v;
        }
    };

    static final Exec MOV_GE = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            c.setReg(i.size(), i.reg(), c.readRm(i, i.size()));
        }
    };

    static final Exec MOV_EI = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            c.writeRm(i, i.size(), i.imm());
        }
    };

    static final Exec MOV_RI = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            c.setReg(i.size(), i.opcode() & 7, i.imm());
        }
    };

    static final Exec MOV_A_MOFFS = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            c.setReg(i.size(), Cpu.EAX, c.read(i.size(), i.seg(), i.disp() & i.addrMask()));
        }
    };

    static final Exec MOV_MOFFS_A = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            c.write(i.size(), i.seg(), i.disp() & i.addrMask(), c.getReg(i.size(), Cpu.EAX));
        }
    };

    static final Exec LEA = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            c.setReg(i.size(), i.reg(), c.ea(i));
        }
    };

    static final Exec XCHG_EG = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            int size = i.size();
            int g = c.getReg(size, i.reg());
            if (i.mem()) {
                int off = c.ea(i);
                int m = c.read(size, i.seg(), off);
                c.write(size, i.seg(), off, g);
                c.setReg(size, i.reg(), m);
            } else {
                c.setReg(size, i.reg(), c.getReg(size, i.rm()));
                c.setReg(size, i.rm(), g);
            }
        }
    };

    static final Exec XCHG_A = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            int r = i.opcode() & 7;
            int a = c.getReg(i.size(), Cpu.EAX);
            c.setReg(i.size(), Cpu.EAX, c.getReg(i.size(), r));
            c.setReg(i.size(), r, a);
        }
    };

    static final Exec NOP = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
        }
    };

    static final Exec CBW = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            if (i.size() == 2) {
                c.r[Cpu.EAX] = (short) c.r[Cpu.EAX];
            } else {
                c.setReg(1, Cpu.EAX, (byte) c.r[Cpu.EAX]);
            }
        }
    };

    static final Exec CWD = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            if (i.size() == 2) {
                c.r[Cpu.EDX] = c.r[Cpu.EAX] >> 31;
            } else {
                c.setReg(1, Cpu.EDX, ((short) c.r[Cpu.EAX]) >> 15);
            }
        }
    };

    static final Exec XLAT = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            int off = (c.r[Cpu.EBX] + (c.r[Cpu.EAX] & 0xFF)) & i.addrMask();
            c.setReg(0, Cpu.EAX, c.read8(i.seg(), off));
        }
    };

    static final Exec MOVZX8 = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            c.setReg(i.size(), i.reg(), c.readRm(i, 0));
        }
    };
    static final Exec MOVZX16 = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            c.setReg(i.size(), i.reg(), c.readRm(i, 1));
        }
    };
    static final Exec MOVSX8 = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            c.setReg(i.size(), i.reg(), (byte) c.readRm(i, 0));
        }
    };
    static final Exec MOVSX16 = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            c.setReg(i.size(), i.reg(), (short) c.readRm(i, 1));
        }
    };

    static final Exec BSWAP = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            int r = i.opcode() & 7;
            if (i.size() == 2) {
                c.r[r] = Integer.reverseBytes(c.r[r]);
            } else {
                c.setReg(1, r, 0); // BSWAP of a 16-bit register is undefined; P6-family cores clear it
            }
        }
    };

    static final Exec SETCC = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            c.writeRm(i, 0, Conditions.test(c, i.opcode() & 15) ? 1 : 0);
        }
    };

    static final Exec CMOVCC = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            int v = c.readRm(i, i.size()); // the source is read (and may fault) whether or not the move happens
            if (Conditions.test(c, i.opcode() & 15)) {
                c.setReg(i.size(), i.reg(), v);
            }
        }
    };

    static final Exec LAHF = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            c.setReg(0, 4, Flags.get(c) & 0xFF);
        }
    };

    static final Exec SAHF = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            Flags.set(c, c.getReg(0, 4), Flags.CF | Flags.PF | Flags.AF | Flags.ZF | Flags.SF);
        }
    };

    static final Exec SALC = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            c.setReg(0, Cpu.EAX, Flags.cf(c) ? 0xFF : 0);
        }
    };

    public static void register(OpTable t) {
        t.op(0x88, true, BYTE, NO_IMM, MOV_EG);
        t.op(0x89, true, VAR, NO_IMM, MOV_EG).reg16(MOV_EG_R16).mem16(MOV_EG_M16);
        t.op(0x8A, true, BYTE, NO_IMM, MOV_GE);
        t.op(0x8B, true, VAR, NO_IMM, MOV_GE).reg16(MOV_GE_R16).mem16(MOV_GE_M16);
        t.group(0xC6, 0, BYTE, IB, MOV_EI);
        t.group(0xC7, 0, VAR, IV, MOV_EI);
        for (int r = 0; r < 8; r++) {
            t.op(0xB0 + r, false, BYTE, IB, MOV_RI);
            t.op(0xB8 + r, false, VAR, IV, MOV_RI).reg16(MOV_RI16);
            if (r > 0) {
                t.op(0x90 + r, false, VAR, NO_IMM, XCHG_A);
            }
            t.op(0x1C8 + r, false, VAR, NO_IMM, BSWAP);
        }
        t.op(0x90, false, VAR, NO_IMM, NOP);
        t.op(0xA0, false, BYTE, MOFFS, MOV_A_MOFFS);
        t.op(0xA1, false, VAR, MOFFS, MOV_A_MOFFS);
        t.op(0xA2, false, BYTE, MOFFS, MOV_MOFFS_A);
        t.op(0xA3, false, VAR, MOFFS, MOV_MOFFS_A);
        t.op(0x8D, true, VAR, NO_IMM, LEA).memOnly();
        t.op(0x86, true, BYTE, NO_IMM, XCHG_EG).lockable();
        t.op(0x87, true, VAR, NO_IMM, XCHG_EG).lockable();
        t.op(0x98, false, VAR, NO_IMM, CBW);
        t.op(0x99, false, VAR, NO_IMM, CWD);
        t.op(0xD7, false, BYTE, NO_IMM, XLAT);
        t.op(0x1B6, true, VAR, NO_IMM, MOVZX8);
        t.op(0x1B7, true, VAR, NO_IMM, MOVZX16);
        t.op(0x1BE, true, VAR, NO_IMM, MOVSX8);
        t.op(0x1BF, true, VAR, NO_IMM, MOVSX16);
        for (int cc = 0; cc < 16; cc++) {
            t.op(0x190 + cc, true, BYTE, NO_IMM, SETCC);
            t.op(0x140 + cc, true, VAR, NO_IMM, CMOVCC);
        }
        t.op(0x9E, false, BYTE, NO_IMM, SAHF);
        t.op(0x9F, false, BYTE, NO_IMM, LAHF);
        t.op(0xD6, false, BYTE, NO_IMM, SALC);
        t.op(0x118, true, VAR, NO_IMM, NOP); // 0F 18-1F: hint NOPs (prefetch, NOP Ev)
        for (int op = 0x119; op <= 0x11F; op++) {
            t.op(op, true, VAR, NO_IMM, NOP);
        }
    }

}
