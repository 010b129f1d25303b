package dev.strata.emulator.cpu.alu;

import static dev.strata.emulator.cpu.decode.OpSpec.BYTE;
import static dev.strata.emulator.cpu.decode.OpSpec.IB;
import static dev.strata.emulator.cpu.decode.OpSpec.IBS;
import static dev.strata.emulator.cpu.decode.OpSpec.IV;
import static dev.strata.emulator.cpu.decode.OpSpec.NO_IMM;
import static dev.strata.emulator.cpu.decode.OpSpec.VAR;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.Flags;
import dev.strata.emulator.cpu.decode.Exec;
import dev.strata.emulator.cpu.decode.Insn;
import dev.strata.emulator.cpu.decode.OpTable;

/** ALU opcodes: 00-3F arithmetic/logic, 80-83, TEST, INC/DEC, NOT/NEG, XADD, CMPXCHG, CMPXCHG8B. */
public final class AluInstructions {

    private AluInstructions() {
    }

    /** op E, G: register destination and memory destination forms. */
    static final Exec EG = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            int size = i.size();
            int src = c.getReg(size, i.reg());
            if (i.mem()) {
                int off = c.ea(i);
                int res = Alu.apply(c, i.sub(), size, c.read(size, i.seg(), off), src);
                if (i.sub() != Alu.CMP) {
                    c.write(size, i.seg(), off, res);
                }
            } else {
                int res = Alu.apply(c, i.sub(), size, c.getReg(size, i.rm()), src);
                if (i.sub() != Alu.CMP) {
                    c.setReg(size, i.rm(), res);
                }
            }
        }
    };

    /** op G, E. */
    static final Exec GE = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            int size = i.size();
            int res = Alu.apply(c, i.sub(), size, c.getReg(size, i.reg()), c.readRm(i, size));
            if (i.sub() != Alu.CMP) {
                c.setReg(size, i.reg(), res);
            }
        }
    };

    /** op AL/AX/EAX, imm. */
    static final Exec AI = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            int size = i.size();
            int res = Alu.apply(c, i.sub(), size, c.getReg(size, Cpu.EAX), i.imm());
            if (i.sub() != Alu.CMP) {
                c.setReg(size, Cpu.EAX, res);
            }
        }
    };

    /** op E, imm (80-83 groups). */
    static final Exec EI = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            int size = i.size();
            if (i.mem()) {
                int off = c.ea(i);
                int res = Alu.apply(c, i.sub(), size, c.read(size, i.seg(), off), i.imm());
                if (i.sub() != Alu.CMP) {
                    c.write(size, i.seg(), off, res);
                }
            } else {
                int res = Alu.apply(c, i.sub(), size, c.getReg(size, i.rm()), i.imm());
                if (i.sub() != Alu.CMP) {
                    c.setReg(size, i.rm(), res);
                }
            }
        }
    };

    /** op r16, r16 with the destination in ModRM r/m: the 16-bit register fast path of {@link #EG}. */
    static final Exec EG_R16 = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            int[] r = c.r;
            int dst = r[i.rm()];
            int res = Alu.apply(c, i.sub(), 1, dst & 0xFFFF, r[i.reg()] & 0xFFFF);
            if (i.sub() != Alu.CMP) {
                r[i.rm()] = (dst & 0xFFFF0000) | res;
            }
        }
    };

    static final Exec GE_R16 = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            int[] r = c.r;
            int dst = r[i.reg()];
            int res = Alu.apply(c, i.sub(), 1, dst & 0xFFFF, r[i.rm()] & 0xFFFF);
            if (i.sub() != Alu.CMP) {
                r[i.reg()] = (dst & 0xFFFF0000) | res;
            }
        }
    };

    static final Exec EI_R16 = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            int[] r = c.r;
            int dst = r[i.rm()];
            int res = Alu.apply(c, i.sub(), 1, dst & 0xFFFF, i.imm());
            if (i.sub() != Alu.CMP) {
                r[i.rm()] = (dst & 0xFFFF0000) | res;
            }
        }
    };

    /** op m16, r16: the 16-bit memory fast path of {@link #EG}. */
    static final Exec EG_M16 = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            int off = c.ea(i);
            int res = Alu.apply(c, i.sub(), 1, c.read16(i.seg(), off), c.r[i.reg()] & 0xFFFF);
            if (i.sub() != Alu.CMP) {
                c.write16(i.seg(), off, res);
            }
        }
    };

    static final Exec GE_M16 = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            int[] r = c.r;
            int dst = r[i.reg()];
            int res = Alu.apply(c, i.sub(), 1, dst & 0xFFFF, c.read16(i.seg(), c.ea(i)));
            if (i.sub() != Alu.CMP) {
                r[i.reg()] = (dst & 0xFFFF0000) | res;
            }
        }
    };

    static final Exec INC_R16 = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            int idx = i.opcode() & 7;
            int v = c.r[idx];
            c.r[idx] = (v & 0xFFFF0000) | Alu.inc(c, 1, v & 0xFFFF);
        }
    };

    static final Exec DEC_R16 = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            int idx = i.opcode() & 7;
            int v = c.r[idx];
            c.r[idx] = (v & 0xFFFF0000) | Alu.dec(c, 1, v & 0xFFFF);
        }
    };

    static final Exec TEST_EG = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            Alu.logic(c, i.size(), c.readRm(i, i.size()) & c.getReg(i.size(), i.reg()));
        }
    };
    static final Exec TEST_EI = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            Alu.logic(c, i.size(), c.readRm(i, i.size()) & i.imm());
        }
    };
    static final Exec TEST_AI = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            Alu.logic(c, i.size(), c.getReg(i.size(), Cpu.EAX) & i.imm());
        }
    };

    static final Exec INC_R = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            c.setReg(i.size(), i.opcode() & 7, Alu.inc(c, i.size(), c.getReg(i.size(), i.opcode() & 7)));
        }
    };
    static final Exec DEC_R = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            c.setReg(i.size(), i.opcode() & 7, Alu.dec(c, i.size(), c.getReg(i.size(), i.opcode() & 7)));
        }
    };

    static final Exec INC_E = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            if (i.mem()) {
                int off = c.ea(i);
                c.write(i.size(), i.seg(), off, Alu.inc(c, i.size(), c.read(i.size(), i.seg(), off)));
            } else {
                c.setReg(i.size(), i.rm(), Alu.inc(c, i.size(), c.getReg(i.size(), i.rm())));
            }
        }
    };

    static final Exec DEC_E = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            if (i.mem()) {
                int off = c.ea(i);
                c.write(i.size(), i.seg(), off, Alu.dec(c, i.size(), c.read(i.size(), i.seg(), off)));
            } else {
                c.setReg(i.size(), i.rm(), Alu.dec(c, i.size(), c.getReg(i.size(), i.rm())));
            }
        }
    };

    static final Exec NOT = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            if (i.mem()) {
                int off = c.ea(i);
                c.write(i.size(), i.seg(), off, ~c.read(i.size(), i.seg(), off));
            } else {
                c.setReg(i.size(), i.rm(), ~c.getReg(i.size(), i.rm()));
            }
        }
    };

    static final Exec NEG = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            if (i.mem()) {
                int off = c.ea(i);
                c.write(i.size(), i.seg(), off, Alu.sub(c, i.size(), 0, c.read(i.size(), i.seg(), off), 0));
            } else {
                c.setReg(i.size(), i.rm(), Alu.sub(c, i.size(), 0, c.getReg(i.size(), i.rm()), 0));
            }
        }
    };

    static final Exec XADD = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            int size = i.size();
            int src = c.getReg(size, i.reg());
            if (i.mem()) {
                int off = c.ea(i);
                int dst = c.read(size, i.seg(), off);
                int sum = Alu.add(c, size, dst, src, 0);
                c.write(size, i.seg(), off, sum);
                c.setReg(size, i.reg(), dst);
            } else {
                int dst = c.getReg(size, i.rm());
                int sum = Alu.add(c, size, dst, src, 0);
                c.setReg(size, i.reg(), dst);
                c.setReg(size, i.rm(), sum);
            }
        }
    };

    static final Exec CMPXCHG = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            int size = i.size();
            int acc = c.getReg(size, Cpu.EAX);
            if (i.mem()) {
                int off = c.ea(i);
                int dst = c.read(size, i.seg(), off);
                Alu.sub(c, size, acc, dst, 0);
                // the processor always writes the destination (the old value back on failure)
                c.write(size, i.seg(), off, acc == dst ? c.getReg(size, i.reg()) : dst);
                if (acc != dst) {
                    c.setReg(size, Cpu.EAX, dst);
                }
            } else {
                int dst = c.getReg(size, i.rm());
                Alu.sub(c, size, acc, dst, 0);
                if (acc == dst) {
                    c.setReg(size, i.rm(), c.getReg(size, i.reg()));
                } else {
                    c.setReg(size, Cpu.EAX, dst);
                }
            }
        }
    };

    static final Exec CMPXCHG8B = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            int off = c.ea(i);
            int lo = c.read32(i.seg(), off);
            int hi = c.read32(i.seg(), (off + 4) & i.addrMask());
            Flags.get(c);
            if (lo == c.r[Cpu.EAX] && hi == c.r[Cpu.EDX]) {
                c.write32(i.seg(), off, c.r[Cpu.EBX]);
                c.write32(i.seg(), (off + 4) & i.addrMask(), c.r[Cpu.ECX]);
                c.eflags |= Flags.ZF;
            } else {
                c.write32(i.seg(), off, lo);
                c.write32(i.seg(), (off + 4) & i.addrMask(), hi);
                c.r[Cpu.EAX] = lo;
                c.r[Cpu.EDX] = hi;
                c.eflags &= ~Flags.ZF;
            }
        }
    };

    public static void register(OpTable t) {
        for (int op = 0; op < 8; op++) {
            int b = op << 3;
            boolean lockable = op != Alu.CMP;
            t.op(b, true, BYTE, NO_IMM, EG).lockable = lockable;
            t.op(b + 1, true, VAR, NO_IMM, EG).reg16(EG_R16).mem16(EG_M16).lockable = lockable;
            t.op(b + 2, true, BYTE, NO_IMM, GE);
            t.op(b + 3, true, VAR, NO_IMM, GE).reg16(GE_R16).mem16(GE_M16);
            t.op(b + 4, false, BYTE, IB, AI);
            t.op(b + 5, false, VAR, IV, AI);
            t.group(0x80, op, BYTE, IB, EI).lockable = lockable;
            t.group(0x81, op, VAR, IV, EI).reg16(EI_R16).lockable = lockable;
            t.group(0x82, op, BYTE, IB, EI).lockable = lockable;
            t.group(0x83, op, VAR, IBS, EI).reg16(EI_R16).lockable = lockable;
        }
        t.op(0x84, true, BYTE, NO_IMM, TEST_EG);
        t.op(0x85, true, VAR, NO_IMM, TEST_EG);
        t.op(0xA8, false, BYTE, IB, TEST_AI);
        t.op(0xA9, false, VAR, IV, TEST_AI);
        for (int r = 0; r < 8; r++) {
            t.op(0x40 + r, false, VAR, NO_IMM, INC_R).reg16(INC_R16);
            t.op(0x48 + r, false, VAR, NO_IMM, DEC_R).reg16(DEC_R16);
        }
        t.group(0xFE, 0, BYTE, NO_IMM, INC_E).lockable();
        t.group(0xFE, 1, BYTE, NO_IMM, DEC_E).lockable();
        t.group(0xFF, 0, VAR, NO_IMM, INC_E).lockable();
        t.group(0xFF, 1, VAR, NO_IMM, DEC_E).lockable();
        t.group(0xF6, 0, BYTE, IB, TEST_EI);
        t.group(0xF6, 1, BYTE, IB, TEST_EI);
        t.group(0xF7, 0, VAR, IV, TEST_EI);
        t.group(0xF7, 1, VAR, IV, TEST_EI);
        t.group(0xF6, 2, BYTE, NO_IMM, NOT).lockable();
        t.group(0xF6, 3, BYTE, NO_IMM, NEG).lockable();
        t.group(0xF7, 2, VAR, NO_IMM, NOT).lockable();
        t.group(0xF7, 3, VAR, NO_IMM, NEG).lockable();
        t.op(0x1C0, true, BYTE, NO_IMM, XADD).lockable();
        t.op(0x1C1, true, VAR, NO_IMM, XADD).lockable();
        t.op(0x1B0, true, BYTE, NO_IMM, CMPXCHG).lockable();
        t.op(0x1B1, true, VAR, NO_IMM, CMPXCHG).lockable();
        t.group(0x1C7, 1, VAR, NO_IMM, CMPXCHG8B).memOnly().lockable();
    }
}
