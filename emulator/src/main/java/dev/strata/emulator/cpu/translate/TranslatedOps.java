package dev.strata.emulator.cpu.translate;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.Flags;
import dev.strata.emulator.cpu.alu.Alu;
import dev.strata.emulator.cpu.exception.CpuFault;

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
     * {@link Flags#SUB}, {@link Flags#LOGIC}, {@link Flags#INC}, {@link Flags#DEC}, {@link Flags#SZP}) held in
     * locals; {@code eflags} supplies CF after INC/DEC, CF and OF after a shift (SZP). The same answer as
     * {@code Conditions.test} on a CPU holding those lazy flags.
     */
    public static boolean condition(int cc, int kind, int size, int dst, int src, int res, int eflags) {
        boolean v;
        switch (cc >>> 1) {
            case 0: v = of(kind, size, dst, src, res, eflags); break;
            case 1: v = cf(kind, size, dst, src, res, eflags); break;
            case 2: v = res == 0; break;
            case 3: v = cf(kind, size, dst, src, res, eflags) || res == 0; break;
            case 4: v = msb(size, res); break;
            case 5: v = Flags.parity(res); break;
            case 6: v = msb(size, res) != of(kind, size, dst, src, res, eflags); break;
            default: v = res == 0 || msb(size, res) != of(kind, size, dst, src, res, eflags); break;
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

    private static boolean of(int kind, int size, int dst, int src, int res, int eflags) {
        switch (kind) {
            case Flags.SZP:
                return (eflags & Flags.OF) != 0;
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

    /**
     * Unsigned DIV of AX (size 0), DX:AX (1) or EDX:EAX (2) by {@code divisor} (masked to the size): the quotient
     * in the low and the remainder in the high 32 bits (size 0: AX's new value, AH = remainder, in the low 32 bits).
     * A zero divisor or a quotient too large raises #DE, before anything changes.
     */
    public static long divide(int size, int dx, int ax, int divisor) {
        if (divisor == 0) {
            throw CpuFault.divide();
        }
        switch (size) {
            case 0: {
                int n = ax & 0xFFFF;
                int q = n / divisor;
                if (q > 0xFF) {
                    throw CpuFault.divide();
                }
                return ((n % divisor) << 8) | q;
            }
            case 1: {
                long n = ((dx & 0xFFFFL) << 16) | (ax & 0xFFFF);
                long q = n / divisor;
                if (q > 0xFFFF) {
                    throw CpuFault.divide();
                }
                return ((n % divisor) << 32) | q;
            }
            default: {
                long n = ((long) dx << 32) | (ax & 0xFFFFFFFFL);
                long d = divisor & 0xFFFFFFFFL;
                long q = Long.divideUnsigned(n, d);
                if ((q >>> 32) != 0) {
                    throw CpuFault.divide();
                }
                return (Long.remainderUnsigned(n, d) << 32) | q;
            }
        }
    }

    /**
     * SHL/SAL, SHR or SAR ({@code op} 4-7, as the group's reg field) of {@code v} (masked to {@code size}) by a
     * count already masked to 5 bits and not zero: the result in the low 32 bits, the CF and OF bits the shift
     * leaves in EFLAGS in the high 32 (what {@code Shifter} records with {@code Flags.setSzp}).
     */
    public static long shift(int op, int size, int v, int count) {
        int bits = size == 0 ? 8 : size == 1 ? 16 : 32;
        int res;
        boolean cf;
        boolean of;
        switch (op) {
            case 5: // SHR
                cf = count <= bits && ((v >>> (count - 1)) & 1) != 0;
                res = count >= 32 ? 0 : v >>> count;
                of = count <= 32 && ((v >>> (count - 1) >>> (bits - 1)) & 1) != 0;
                break;
            case 7: { // SAR
                int sv = (v << (32 - bits)) >> (32 - bits);
                cf = ((sv >> Math.min(count - 1, 31)) & 1) != 0;
                res = (sv >> Math.min(count, 31)) & MASK[size];
                of = false;
                break;
            }
            default: { // SHL, SAL
                long wide = (v & 0xFFFFFFFFL) << count;
                res = (int) wide & MASK[size];
                cf = ((wide >>> bits) & 1) != 0;
                of = ((res >>> (bits - 1)) & 1) != 0 != cf;
                break;
            }
        }
        long flags = (cf ? Flags.CF : 0) | (of ? Flags.OF : 0);
        return flags << 32 | (res & 0xFFFFFFFFL);
    }

    /**
     * The lazy flags a translation kept in locals, written to the CPU on its way out: one call instead of five
     * field stores on each of a translation's exits (the JIT compiler inlines it where the exit is hot).
     */
    public static void putFlags(Cpu c, int kind, int size, int dst, int src, int res) {
        c.fOp = kind;
        c.fSize = size;
        c.fDst = dst;
        c.fSrc = src;
        c.fRes = res;
    }

    /** {@link #putFlags} after an operation that leaves {@code fDst} and {@code fSrc} alone (logic, shifts). */
    public static void putFlagsResult(Cpu c, int kind, int size, int res) {
        c.fOp = kind;
        c.fSize = size;
        c.fRes = res;
    }

    /**
     * A translation leaving after an instruction that asked to leave the block (a write beside code): clears the
     * request, sets EIP and returns {@code done}, the instructions run.
     */
    public static int leave(Cpu c, int eip, int done) {
        c.blockExit = false;
        c.eip = eip;
        return done;
    }

    /**
     * Where a translation leaves between two of its instructions, {@code done} of them run and the next at
     * {@code eip}. On a fault in that next instruction ({@code fault} not null) the fault is recorded as the
     * interpreter records it (the faulting EIP, the instructions before it counted) and thrown on; otherwise the
     * instruction before asked to leave the block (a write beside code) and EIP is set for the run loop. The two
     * share one exit in the translation, as they leave the registers and flags in the same state.
     */
    public static int exit(CpuFault fault, Cpu c, int eip, int done) {
        if (fault != null) {
            c.curEip = eip;
            c.instructions += done;
            throw fault;
        }
        c.blockExit = false;
        c.eip = eip;
        return done;
    }

    /** A fault in an interpreter's handler (which has set the faulting EIP) after {@code done} instructions. */
    public static CpuFault counted(CpuFault fault, Cpu c, int done) {
        c.instructions += done;
        return fault;
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

    /**
     * ESP after LEAVE: {@code bytes} (the saved EBP's size) past where EBP points, in SS's stack-pointer size (a
     * 16-bit stack keeps ESP's upper half).
     */
    public static int stackAfterLeave(Cpu c, int esp, int ebp, int bytes) {
        int mask = c.spMask();
        int bp = ebp & mask;
        return mask == -1 ? bp + bytes : (esp & 0xFFFF0000) | ((bp + bytes) & 0xFFFF);
    }

    /** ESP after {@code bytes} are released from the stack, in SS's stack-pointer size. */
    public static int release(Cpu c, int esp, int bytes) {
        int mask = c.spMask();
        int sp = ((esp & mask) + bytes) & mask;
        return mask == -1 ? sp : (esp & 0xFFFF0000) | sp;
    }
}
