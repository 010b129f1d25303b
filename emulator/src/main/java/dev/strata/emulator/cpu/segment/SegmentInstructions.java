package dev.strata.emulator.cpu.segment;

import static dev.strata.emulator.cpu.decode.OpSpec.NO_IMM;
import static dev.strata.emulator.cpu.decode.OpSpec.VAR;
import static dev.strata.emulator.cpu.decode.OpSpec.WORD;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.decode.Exec;
import dev.strata.emulator.cpu.decode.Insn;
import dev.strata.emulator.cpu.decode.OpTable;
import dev.strata.emulator.cpu.exception.CpuFault;

/** Segment register loads and stores: MOV Sreg, PUSH/POP Sreg, LDS/LES/LSS/LFS/LGS. */
public final class SegmentInstructions {

    private SegmentInstructions() {
    }

    /** Loads a segment register; SS loads open the one-instruction interrupt shadow. */
    private static void load(Cpu c, int s, int selector) {
        c.loadSegment(s, selector);
        if (s == Cpu.SS) {
            c.shadowNextInstruction();
        }
    }

    static final Exec MOV_E_SREG = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            if (i.reg() > 5) {
                throw CpuFault.undefined();
            }
            int sel = c.seg[i.reg()].selector;
            if (i.mem()) {
                c.write16(i.seg(), c.ea(i), sel);
            } else {
                c.setReg(i.size(), i.rm(), sel);
            }
        }
    };

    static final Exec MOV_SREG_E = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            if (i.reg() > 5 || i.reg() == Cpu.CS) {
                throw CpuFault.undefined();
            }
            load(c, i.reg(), c.readRm(i, 1));
        }
    };

    private static int segOf(int opcode) {
        switch (opcode) {
            case 0x06: case 0x07: return Cpu.ES;
            case 0x0E: return Cpu.CS;
            case 0x16: case 0x17: return Cpu.SS;
            case 0x1E: case 0x1F: return Cpu.DS;
            case 0x1A0: case 0x1A1: return Cpu.FS;
            default: return Cpu.GS;
        }
    }

    static final Exec PUSH_SREG = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            int sel = c.seg[segOf(i.opcode())].selector;
            if (i.size() != 2) {
                c.push16(sel);
                return;
            }
            // a 32-bit push of a segment register writes only the selector's word, as P6 and later do
            int sp = (c.r[Cpu.ESP] - 4) & c.spMask();
            c.write16(Cpu.SS, sp, sel);
            c.r[Cpu.ESP] = c.spMask() == -1 ? sp : (c.r[Cpu.ESP] & 0xFFFF0000) | sp;
        }
    };

    static final Exec POP_SREG = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            int s = segOf(i.opcode());
            int v = c.peek(i.size(), 0) & 0xFFFF;
            // the stack pointer moves by the size of the stack the selector came from, not of the one POP SS loads
            int esp = c.r[Cpu.ESP];
            int moved = esp + (i.size() == 2 ? 4 : 2);
            int next = c.spMask() == -1 ? moved : (esp & 0xFFFF0000) | (moved & 0xFFFF);
            load(c, s, v);
            c.r[Cpu.ESP] = next;
        }
    };

    private static void loadFar(Cpu c, Insn i, int s) {
        int off = c.ea(i);
        int v = c.read(i.size(), i.seg(), off);
        int sel = c.read16(i.seg(), (off + (i.size() == 2 ? 4 : 2)) & i.addrMask());
        load(c, s, sel);
        c.setReg(i.size(), i.reg(), v);
    }

    static final Exec LES = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            loadFar(c, i, Cpu.ES);
        }
    };
    static final Exec LDS = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            loadFar(c, i, Cpu.DS);
        }
    };
    static final Exec LSS = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            loadFar(c, i, Cpu.SS);
        }
    };
    static final Exec LFS = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            loadFar(c, i, Cpu.FS);
        }
    };
    static final Exec LGS = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            loadFar(c, i, Cpu.GS);
        }
    };

    public static void register(OpTable t) {
        t.op(0x8C, true, VAR, NO_IMM, MOV_E_SREG);
        t.op(0x8E, true, WORD, NO_IMM, MOV_SREG_E).ends();
        for (int op : new int[] {0x06, 0x0E, 0x16, 0x1E, 0x1A0, 0x1A8}) {
            t.op(op, false, VAR, NO_IMM, PUSH_SREG);
        }
        t.op(0x07, false, VAR, NO_IMM, POP_SREG);
        t.op(0x17, false, VAR, NO_IMM, POP_SREG).ends();
        t.op(0x1F, false, VAR, NO_IMM, POP_SREG);
        t.op(0x1A1, false, VAR, NO_IMM, POP_SREG);
        t.op(0x1A9, false, VAR, NO_IMM, POP_SREG);
        t.op(0xC4, true, VAR, NO_IMM, LES).memOnly();
        t.op(0xC5, true, VAR, NO_IMM, LDS).memOnly();
        t.op(0x1B2, true, VAR, NO_IMM, LSS).memOnly().ends();
        t.op(0x1B4, true, VAR, NO_IMM, LFS).memOnly();
        t.op(0x1B5, true, VAR, NO_IMM, LGS).memOnly();
    }
}
