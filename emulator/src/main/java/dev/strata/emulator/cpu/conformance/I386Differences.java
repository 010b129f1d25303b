package dev.strata.emulator.cpu.conformance;

/**
 * Recognises, from an instruction's bytes, the 80286 vectors whose outcome a 386-class CPU documents differently,
 * so the differences file can skip exactly those tests rather than every test with a LOCK prefix or a #GP.
 *
 * <ul>
 *   <li>{@link #lockInvalid}: LOCK before an instruction that is not lockable, or whose destination is a register.
 *       The 286 ignores such a LOCK; a 386+ raises #UD (Intel SDM vol. 2, "LOCK").</li>
 *   <li>{@link #overrunDiffers}: a real-mode segment overrun the 286 reports as INT 13 where a 386+ does something
 *       else: an SS-relative access raises #SS (INT 12) on a 386+; an instruction over 10 bytes faults on the 286
 *       but not below 15 bytes on a 386+; word string instructions update SI/DI before the 286's fault.</li>
 * </ul>
 * Both work on 16-bit real-mode code as the vectors hold it (no 66h/67h prefixes on a 286).
 */
public final class I386Differences {
    private I386Differences() {
    }

    private static final int LOCK = 0xF0;

    /** True for a LOCK-prefixed instruction a 386+ rejects with #UD. */
    public static boolean lockInvalid(byte[] code) {
        Parsed p = parse(code);
        return p.lock && !lockable(p);
    }

    /** True for a test the 286 ended in INT 13 where a 386+ raises #SS, runs on, or leaves SI/DI alone. */
    public static boolean overrunDiffers(byte[] code) {
        Parsed p = parse(code);
        if (p.length() > 10) {
            return true;
        }
        int op = p.opcode;
        boolean string = op >= 0xA4 && op <= 0xA7 || op >= 0xAA && op <= 0xAF || op >= 0x6C && op <= 0x6F;
        return string || stackRelative(p);
    }

    private static boolean lockable(Parsed p) {
        if (!p.hasModrm || p.mod() == 3) {
            return false;
        }
        int op = p.opcode;
        if (p.twoByte) {
            return op == 0xAB || op == 0xB3 || op == 0xBB || op == 0xB0 || op == 0xB1 || op == 0xC0 || op == 0xC1
                    || op == 0xBA && p.reg() >= 5 || op == 0xC7 && p.reg() == 1;
        }
        if (op < 0x38 && (op & 7) <= 1) {
            return true; // ADD, OR, ADC, SBB, AND, SUB, XOR with a memory destination
        }
        return op >= 0x80 && op <= 0x83 && p.reg() != 7
                || op == 0x86 || op == 0x87
                || (op == 0xF6 || op == 0xF7) && (p.reg() == 2 || p.reg() == 3)
                || (op == 0xFE || op == 0xFF) && p.reg() <= 1;
    }

    /** True when the instruction touches memory through SS: stack operations or BP-based addressing. */
    private static boolean stackRelative(Parsed p) {
        int op = p.opcode;
        if (p.twoByte) {
            return op == 0xA0 || op == 0xA1 || op == 0xA8 || op == 0xA9;
        }
        boolean stackOp = op == 0x06 || op == 0x07 || op == 0x0E || op == 0x16 || op == 0x17 || op == 0x1E
                || op == 0x1F || op >= 0x50 && op <= 0x61 || op == 0x68 || op == 0x6A || op == 0x8F || op == 0x9A
                || op == 0x9C || op == 0x9D || op >= 0xC2 && op <= 0xC3 || op >= 0xC8 && op <= 0xCF || op == 0xE8
                || op == 0xFF && (p.reg() == 2 || p.reg() == 3 || p.reg() == 6);
        if (stackOp) {
            return true;
        }
        if (!p.hasModrm || p.mod() == 3) {
            return false;
        }
        int rm = p.rm();
        boolean bpBase = rm == 2 || rm == 3 || rm == 6 && p.mod() != 0;
        return p.segment == 0x36 || p.segment < 0 && bpBase;
    }

    /** The parts of an instruction these rules look at. */
    private record Parsed(boolean lock, int segment, boolean twoByte, int opcode, boolean hasModrm, int modrm,
                          int start, int immediateAndDisp) {
        int mod() {
            return modrm >>> 6;
        }

        int reg() {
            return (modrm >>> 3) & 7;
        }

        int rm() {
            return modrm & 7;
        }

        /** Prefixes, opcode, ModRM and displacement: enough to compare with the 10-byte limit. */
        int length() {
            return start + (twoByte ? 2 : 1) + (hasModrm ? 1 : 0) + immediateAndDisp;
        }
    }

    private static Parsed parse(byte[] code) {
        boolean lock = false;
        int segment = -1;
        int i = 0;
        while (i < code.length) {
            int b = code[i] & 0xFF;
            if (b == LOCK) {
                lock = true;
            } else if (b == 0x26 || b == 0x2E || b == 0x36 || b == 0x3E) {
                segment = b;
            } else if (b != 0xF2 && b != 0xF3) {
                break;
            }
            i++;
        }
        int start = i;
        int op = i < code.length ? code[i] & 0xFF : 0;
        boolean twoByte = op == 0x0F && i + 1 < code.length;
        if (twoByte) {
            op = code[i + 1] & 0xFF;
        }
        int at = start + (twoByte ? 2 : 1);
        boolean hasModrm = twoByte ? op >= 0xA3 || op <= 0x03 : hasModrm(op);
        int modrm = hasModrm && at < code.length ? code[at] & 0xFF : 0;
        int disp = 0;
        if (hasModrm) {
            int mod = modrm >>> 6;
            disp = mod == 1 ? 1 : mod == 2 ? 2 : mod == 0 && (modrm & 7) == 6 ? 2 : 0;
        }
        return new Parsed(lock, segment, twoByte, op, hasModrm, modrm, start, disp + (twoByte ? 0 : immediate(op, modrm)));
    }

    private static boolean hasModrm(int op) {
        return op < 0x40 && (op & 7) < 4 || op == 0x62 || op == 0x63 || op == 0x69 || op == 0x6B
                || op >= 0x80 && op <= 0x8F || op >= 0xC0 && op <= 0xC1 || op >= 0xC4 && op <= 0xC7
                || op >= 0xD0 && op <= 0xD3 || op >= 0xD8 && op <= 0xDF || op == 0xF6 || op == 0xF7
                || op == 0xFE || op == 0xFF;
    }

    private static int immediate(int op, int modrm) {
        int reg = (modrm >>> 3) & 7;
        if (op < 0x40 && (op & 7) == 4 || op == 0x6A || op == 0x6B || op == 0x80 || op == 0x82 || op == 0x83
                || op >= 0xB0 && op <= 0xB7 || op == 0xC0 || op == 0xC1 || op == 0xC6 || op == 0xCD
                || op >= 0xE0 && op <= 0xE7 || op == 0xEB || op == 0xD4 || op == 0xD5 || op >= 0x70 && op <= 0x7F
                || op == 0xA8 || op == 0xF6 && reg < 2) {
            return 1;
        }
        if (op < 0x40 && (op & 7) == 5 || op == 0x68 || op == 0x69 || op == 0x81 || op >= 0xB8 && op <= 0xBF
                || op == 0xC7 || op == 0xC2 || op == 0xCA || op == 0xE8 || op == 0xE9 || op == 0xA9
                || op >= 0xA0 && op <= 0xA3 || op == 0xF7 && reg < 2) {
            return 2;
        }
        if (op == 0xC8) {
            return 3;
        }
        return op == 0x9A || op == 0xEA ? 4 : 0;
    }
}
