package dev.strata.emulator.cpu.alu;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.Flags;

/** The eight classic ALU operations (ADD OR ADC SBB AND SUB XOR CMP), recording lazy flags. */
public final class Alu {

    public static final int ADD = 0, OR = 1, ADC = 2, SBB = 3, AND = 4, SUB = 5, XOR = 6, CMP = 7;

    private Alu() {
    }

    /** Applies {@code op} to operands already masked to {@code size}; returns the masked result. */
    public static int apply(Cpu c, int op, int size, int a, int b) {
        switch (op) {
            case ADD: return add(c, size, a, b, 0);
            case OR: return logic(c, size, a | b);
            case ADC: return add(c, size, a, b, Flags.cf(c) ? 1 : 0);
            case SBB: return sub(c, size, a, b, Flags.cf(c) ? 1 : 0);
            case AND: return logic(c, size, a & b);
            case XOR: return logic(c, size, a ^ b);
            default: return sub(c, size, a, b, 0);
        }
    }

    public static int add(Cpu c, int size, int a, int b, int carry) {
        int res = (a + b + carry) & Cpu.MASK[size];
        c.fOp = Flags.ADD;
        c.fSize = size;
        c.fDst = a;
        c.fSrc = b;
        c.fRes = res;
        return res;
    }

    public static int sub(Cpu c, int size, int a, int b, int borrow) {
        int res = (a - b - borrow) & Cpu.MASK[size];
        c.fOp = Flags.SUB;
        c.fSize = size;
        c.fDst = a;
        c.fSrc = b;
        c.fRes = res;
        return res;
    }

    public static int logic(Cpu c, int size, int res) {
        c.fOp = Flags.LOGIC;
        c.fSize = size;
        c.fRes = res;
        return res;
    }

    public static int inc(Cpu c, int size, int a) {
        Flags.saveCarry(c);
        int res = (a + 1) & Cpu.MASK[size];
        c.fOp = Flags.INC;
        c.fSize = size;
        c.fDst = a;
        c.fSrc = 1;
        c.fRes = res;
        return res;
    }

    public static int dec(Cpu c, int size, int a) {
        Flags.saveCarry(c);
        int res = (a - 1) & Cpu.MASK[size];
        c.fOp = Flags.DEC;
        c.fSize = size;
        c.fDst = a;
        c.fSrc = 1;
        c.fRes = res;
        return res;
    }
}
