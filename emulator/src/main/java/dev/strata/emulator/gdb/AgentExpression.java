package dev.strata.emulator.gdb;

import java.util.Arrays;

/**
 * A breakpoint condition as gdb sends it in a Z packet ({@code ;X LEN,BYTECODE}): an agent expression, gdb's stack
 * bytecode, evaluated at the breakpoint by the stub, so a condition holds wherever the breakpoint is (in real mode
 * with any CS, where gdb could not tell the stop was its breakpoint, and without a round trip per hit). Integers
 * only: the floating-point, trace and state-variable bytecodes are refused when the condition arrives, and gdb then
 * evaluates the condition itself.
 */
final class AgentExpression {

    /** What the expression reads: gdb's numbered registers and linear memory (empty when a page is not present). */
    interface Machine {
        long register(int number);

        byte[] memory(long linear, int length);
    }

    private static final int ADD = 0x02, SUB = 0x03, MUL = 0x04, DIV_SIGNED = 0x05, DIV_UNSIGNED = 0x06,
            REM_SIGNED = 0x07, REM_UNSIGNED = 0x08, LSH = 0x09, RSH_SIGNED = 0x0a, RSH_UNSIGNED = 0x0b,
            LOG_NOT = 0x0e, BIT_AND = 0x0f, BIT_OR = 0x10, BIT_XOR = 0x11, BIT_NOT = 0x12, EQUAL = 0x13,
            LESS_SIGNED = 0x14, LESS_UNSIGNED = 0x15, EXT = 0x16, REF8 = 0x17, REF16 = 0x18, REF32 = 0x19,
            REF64 = 0x1a, IF_GOTO = 0x20, GOTO = 0x21, CONST8 = 0x22, CONST16 = 0x23, CONST32 = 0x24,
            CONST64 = 0x25, REG = 0x26, END = 0x27, DUP = 0x28, POP = 0x29, ZERO_EXT = 0x2a, SWAP = 0x2b,
            PICK = 0x32, ROT = 0x33;
    /** How deep the stack may grow; gdb's conditions stay far below it. */
    private static final int STACK = 64;
    /** How many bytecodes one evaluation may run: a condition that loops is an error, not a hung CPU thread. */
    private static final int STEPS = 100_000;

    private final byte[] code;

    private AgentExpression(byte[] code) {
        this.code = code;
    }

    /**
     * Reads an expression and checks that every bytecode is one the stub evaluates and every operand is there.
     *
     * @throws IllegalArgumentException naming the offset of the first bytecode it cannot take
     */
    static AgentExpression of(byte[] code) {
        for (int pc = 0; pc < code.length; pc += 1 + operandBytes(code, pc)) {
            if (pc + 1 + operandBytes(code, pc) > code.length) {
                throw new IllegalArgumentException("agent expression: bytecode " + hex(code[pc]) + " at " + pc
                        + " lacks its operand");
            }
        }
        return new AgentExpression(code.clone());
    }

    private static int operandBytes(byte[] code, int pc) {
        int op = code[pc] & 0xFF;
        return switch (op) {
            case ADD, SUB, MUL, DIV_SIGNED, DIV_UNSIGNED, REM_SIGNED, REM_UNSIGNED, LSH, RSH_SIGNED, RSH_UNSIGNED,
                    LOG_NOT, BIT_AND, BIT_OR, BIT_XOR, BIT_NOT, EQUAL, LESS_SIGNED, LESS_UNSIGNED, REF8, REF16,
                    REF32, REF64, END, DUP, POP, SWAP, ROT -> 0;
            case EXT, ZERO_EXT, CONST8, PICK -> 1;
            case IF_GOTO, GOTO, CONST16, REG -> 2;
            case CONST32 -> 4;
            case CONST64 -> 8;
            default -> throw new IllegalArgumentException("agent expression: bytecode " + hex(code[pc]) + " at " + pc
                    + " is not one the stub evaluates");
        };
    }

    /**
     * The value left on the stack at {@code end}.
     *
     * @throws IllegalStateException when the expression cannot be evaluated (a page not present, division by zero,
     *                               the stack over- or underflowing, running too long): gdb stops at such a condition
     */
    long evaluate(Machine m) {
        long[] stack = new long[STACK];
        int sp = 0;
        int pc = 0;
        for (int steps = 0; steps < STEPS; steps++) {
            if (pc < 0 || pc >= code.length) {
                throw new IllegalStateException("agent expression ran off its end at " + pc);
            }
            int op = code[pc] & 0xFF;
            int at = pc;
            pc += 1 + operandBytes(code, at);
            if (op == END) {
                if (sp < 1) {
                    throw new IllegalStateException("agent expression ended with an empty stack");
                }
                return stack[sp - 1];
            }
            int pops = switch (op) {
                case ADD, SUB, MUL, DIV_SIGNED, DIV_UNSIGNED, REM_SIGNED, REM_UNSIGNED, LSH, RSH_SIGNED, RSH_UNSIGNED,
                        BIT_AND, BIT_OR, BIT_XOR, EQUAL, LESS_SIGNED, LESS_UNSIGNED, SWAP -> 2;
                case ROT -> 3;
                case LOG_NOT, BIT_NOT, EXT, ZERO_EXT, REF8, REF16, REF32, REF64, IF_GOTO, DUP, POP -> 1;
                case PICK -> 1 + (code[at + 1] & 0xFF);
                default -> 0;
            };
            if (sp < pops) {
                throw new IllegalStateException("agent expression: stack underflow at " + at);
            }
            if (sp + 2 > STACK) {
                throw new IllegalStateException("agent expression: stack overflow at " + at);
            }
            switch (op) {
                case ADD, SUB, MUL, DIV_SIGNED, DIV_UNSIGNED, REM_SIGNED, REM_UNSIGNED, LSH, RSH_SIGNED, RSH_UNSIGNED,
                        BIT_AND, BIT_OR, BIT_XOR, EQUAL, LESS_SIGNED, LESS_UNSIGNED -> {
                    long b = stack[--sp];
                    long a = stack[--sp];
                    stack[sp++] = binary(op, a, b);
                }
                case LOG_NOT -> stack[sp - 1] = stack[sp - 1] == 0 ? 1 : 0;
                case BIT_NOT -> stack[sp - 1] = ~stack[sp - 1];
                case EXT -> {
                    int bits = code[at + 1] & 0xFF;
                    if (bits < 64) {
                        stack[sp - 1] = stack[sp - 1] << (64 - bits) >> (64 - bits);
                    }
                }
                case ZERO_EXT -> {
                    int bits = code[at + 1] & 0xFF;
                    if (bits < 64) {
                        stack[sp - 1] &= (1L << bits) - 1;
                    }
                }
                case REF8 -> stack[sp - 1] = read(m, stack[sp - 1], 1);
                case REF16 -> stack[sp - 1] = read(m, stack[sp - 1], 2);
                case REF32 -> stack[sp - 1] = read(m, stack[sp - 1], 4);
                case REF64 -> stack[sp - 1] = read(m, stack[sp - 1], 8);
                case IF_GOTO -> {
                    if (stack[--sp] != 0) {
                        pc = (int) operand(at, 2);
                    }
                }
                case GOTO -> pc = (int) operand(at, 2);
                case CONST8 -> stack[sp++] = operand(at, 1);
                case CONST16 -> stack[sp++] = operand(at, 2);
                case CONST32 -> stack[sp++] = operand(at, 4);
                case CONST64 -> stack[sp++] = operand(at, 8);
                case REG -> stack[sp++] = m.register((int) operand(at, 2));
                case DUP -> {
                    stack[sp] = stack[sp - 1];
                    sp++;
                }
                case POP -> sp--;
                case SWAP -> {
                    long t = stack[sp - 1];
                    stack[sp - 1] = stack[sp - 2];
                    stack[sp - 2] = t;
                }
                case PICK -> {
                    stack[sp] = stack[sp - 1 - (code[at + 1] & 0xFF)];
                    sp++;
                }
                case ROT -> { // a b c => c a b
                    long c = stack[sp - 1];
                    stack[sp - 1] = stack[sp - 2];
                    stack[sp - 2] = stack[sp - 3];
                    stack[sp - 3] = c;
                }
                default -> throw new IllegalStateException("agent expression: bytecode " + hex(code[at]) + " at "
                        + at);
            }
        }
        throw new IllegalStateException("agent expression ran " + STEPS + " bytecodes without ending");
    }

    private static long binary(int op, long a, long b) {
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV_SIGNED -> a / nonZero(b);
            case DIV_UNSIGNED -> Long.divideUnsigned(a, nonZero(b));
            case REM_SIGNED -> a % nonZero(b);
            case REM_UNSIGNED -> Long.remainderUnsigned(a, nonZero(b));
            case LSH -> a << b;
            case RSH_SIGNED -> a >> b;
            case RSH_UNSIGNED -> a >>> b;
            case BIT_AND -> a & b;
            case BIT_OR -> a | b;
            case BIT_XOR -> a ^ b;
            case EQUAL -> a == b ? 1 : 0;
            case LESS_SIGNED -> a < b ? 1 : 0;
            default -> Long.compareUnsigned(a, b) < 0 ? 1 : 0; // LESS_UNSIGNED
        };
    }

    private static long nonZero(long divisor) {
        if (divisor == 0) {
            throw new IllegalStateException("agent expression divides by zero");
        }
        return divisor;
    }

    /** A value of {@code length} bytes at {@code linear}, little-endian and zero-extended, as ref8-ref64 push it. */
    private static long read(Machine m, long linear, int length) {
        byte[] b = m.memory(linear, length);
        if (b.length < length) {
            throw new IllegalStateException("agent expression reads " + Long.toHexString(linear)
                    + ", which is not mapped");
        }
        long v = 0;
        for (int i = length - 1; i >= 0; i--) {
            v = v << 8 | (b[i] & 0xFF);
        }
        return v;
    }

    /** The operand of {@code bytes} bytes after the bytecode at {@code at}, most significant byte first. */
    private long operand(int at, int bytes) {
        long v = 0;
        for (int i = 1; i <= bytes; i++) {
            v = v << 8 | (code[at + i] & 0xFF);
        }
        return v;
    }

    private static String hex(byte b) {
        return String.format("%02Xh", b & 0xFF);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AgentExpression a && Arrays.equals(code, a.code);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(code);
    }
}
