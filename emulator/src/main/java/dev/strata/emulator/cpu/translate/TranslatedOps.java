package dev.strata.emulator.cpu.translate;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.Flags;
import dev.strata.emulator.cpu.alu.Alu;

/**
 * What translated code calls for the instructions it runs itself ({@link InstructionEmitter}): small static
 * methods on values held in the translation's locals, mostly with constant operation and size arguments, so the
 * JIT compiler inlines them and folds their switches away. Each computes exactly what the interpreter's handler
 * computes (the {@code alu} package, {@link Flags}, {@link Cpu}'s stack helpers).
 */
public final class TranslatedOps {

    private static final int[] MASK = {0xFF, 0xFFFF, -1};

    private TranslatedOps() {
    }

    /** The result of {@code op} ({@link Alu#ADD} .. {@link Alu#CMP}) on operands masked to {@code size}, masked. */
    public static int alu(int op, int size, int a, int b, int carry) {
        int res;
        switch (op) {
            case Alu.ADD: res = a + b; break;
            case Alu.OR: res = a | b; break;
            case Alu.ADC: res = a + b + carry; break;
            case Alu.SBB: res = a - b - carry; break;
            case Alu.AND: res = a & b; break;
            case Alu.XOR: res = a ^ b; break;
            default: res = a - b; break;
        }
        return res & MASK[size];
    }

    /** The lazy-flags kind ({@link Flags#ADD}, {@link Flags#SUB}, {@link Flags#LOGIC}) an ALU operation records. */
    public static int flagKind(int op) {
        switch (op) {
            case Alu.ADD:
            case Alu.ADC:
                return Flags.ADD;
            case Alu.OR:
            case Alu.AND:
            case Alu.XOR:
                return Flags.LOGIC;
            default:
                return Flags.SUB;
        }
    }

    private static boolean msb(int size, int v) {
        return (v & (size == 0 ? 0x80 : size == 1 ? 0x8000 : 0x80000000)) != 0;
    }

    /**
     * Condition code {@code cc} (as Jcc's low nibble) from lazy flags of a known {@code kind} ({@link Flags#ADD},
     * {@link Flags#SUB}, {@link Flags#LOGIC}, {@link Flags#INC}, {@link Flags#DEC}) held in locals; {@code eflags}
     * supplies CF after INC/DEC. The same answer as {@code Conditions.test} on a CPU holding those lazy flags.
     */
    public static boolean condition(int cc, int kind, int size, int dst, int src, int res, int eflags) {
        boolean v;
        switch (cc >>> 1) {
            case 0: v = of(kind, size, dst, src, res); break;
            case 1: v = cf(kind, size, dst, src, res, eflags); break;
            case 2: v = res == 0; break;
            case 3: v = cf(kind, size, dst, src, res, eflags) || res == 0; break;
            case 4: v = msb(size, res); break;
            case 5: v = Flags.parity(res); break;
            case 6: v = msb(size, res) != of(kind, size, dst, src, res); break;
            default: v = res == 0 || msb(size, res) != of(kind, size, dst, src, res); break;
        }
        return v != ((cc & 1) != 0);
    }

    /** CF of lazy flags of a known kind (see {@link #condition}), as 0 or 1. */
    public static int carry(int kind, int size, int dst, int src, int res, int eflags) {
        return cf(kind, size, dst, src, res, eflags) ? 1 : 0;
    }

    private static boolean cf(int kind, int size, int dst, int src, int res, int eflags) {
        switch (kind) {
            case Flags.ADD: return msb(size, (dst & src) | ((dst | src) & ~res));
            case Flags.SUB: return msb(size, (~dst & src) | ((~dst | src) & res));
            case Flags.LOGIC: return false;
            default: return (eflags & Flags.CF) != 0;
        }
    }

    private static boolean of(int kind, int size, int dst, int src, int res) {
        switch (kind) {
            case Flags.ADD:
            case Flags.INC:
                return msb(size, (dst ^ res) & (src ^ res));
            case Flags.SUB:
            case Flags.DEC:
                return msb(size, (dst ^ src) & (dst ^ res));
            default:
                return false;
        }
    }

    /** PUSH of a word: writes it below ESP (#SS/#PF before anything changes) and returns ESP after the push. */
    public static int push16(Cpu c, int esp, int v) {
        int mask = c.spMask();
        int sp = (esp - 2) & mask;
        c.write16(Cpu.SS, sp, v);
        return mask == -1 ? sp : (esp & 0xFFFF0000) | sp;
    }

    /** PUSH of a dword (see {@link #push16}). */
    public static int push32(Cpu c, int esp, int v) {
        int mask = c.spMask();
        int sp = (esp - 4) & mask;
        c.write32(Cpu.SS, sp, v);
        return mask == -1 ? sp : (esp & 0xFFFF0000) | sp;
    }

    /** The word or dword ({@code size} 1 or 2) on top of the stack. */
    public static int top(Cpu c, int esp, int size) {
        int sp = esp & c.spMask();
        return size == 2 ? c.read32(Cpu.SS, sp) : c.read16(Cpu.SS, sp);
    }

    /** ESP after {@code bytes} are released from the stack, in SS's stack-pointer size. */
    public static int release(Cpu c, int esp, int bytes) {
        int mask = c.spMask();
        int sp = ((esp & mask) + bytes) & mask;
        return mask == -1 ? sp : (esp & 0xFFFF0000) | sp;
    }
}
