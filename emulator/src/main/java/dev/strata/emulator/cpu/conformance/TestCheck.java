package dev.strata.emulator.cpu.conformance;

import dev.strata.emulator.cpu.conformance.ConformanceCpu.Reg;
import dev.strata.emulator.cpu.disasm.Disassembler;
import java.util.Locale;
import java.util.Set;

/**
 * Compares the CPU's state after one test with the vector's expectations, under the masks that apply, and
 * writes the readable diff of a mismatch.
 */
final class TestCheck {
    private static final Reg[] REGS = Reg.values();
    private static final String[] FLAG_NAMES = {"CF", "1", "PF", "3", "AF", "5", "ZF", "SF", "TF", "IF", "DF", "OF",
        "IOPL0", "IOPL1", "NT", "15"};

    private final int[] actualRegs = new int[REGS.length];

    /** The masks in force for one opcode. */
    record Masks(int flagsMask, Set<Reg> ignoreRegs, boolean ignoreRam) {
        boolean compares(Reg r) {
            return !ignoreRegs.contains(r);
        }

        int maskOf(Reg r) {
            return r == Reg.FLAGS ? flagsMask : 0xFFFF;
        }
    }

    /** True when every compared register and byte matches. Reads the CPU state into this object for {@link #diff}. */
    boolean matches(ConformanceCpu cpu, TestVector t, Masks m) {
        boolean ok = true;
        for (Reg r : REGS) {
            int a = cpu.getReg(r) & 0xFFFF;
            actualRegs[r.ordinal()] = a;
            if (m.compares(r) && ((t.expectedReg(r) ^ a) & m.maskOf(r)) != 0) {
                ok = false;
            }
        }
        if (!ok || m.ignoreRam) {
            return ok;
        }
        for (int i = 0; i < t.finalRamAddr().length; i++) {
            if (!byteMatches(cpu, t, m, t.finalRamAddr()[i], t.finalRamVal()[i])) {
                return false;
            }
        }
        for (int i = 0; i < t.initialRamAddr().length; i++) {
            int addr = t.initialRamAddr()[i];
            if (indexOf(t.finalRamAddr(), addr) < 0 && (cpu.readByte(addr) & 0xFF) != t.initialRamVal()[i]) {
                return false;
            }
        }
        return true;
    }

    /** The bits of the byte at {@code addr} to compare: all, unless it is half of an exception's pushed FLAGS. */
    private static int byteMask(TestVector t, Masks m, int addr) {
        if (!t.raisedException()) {
            return 0xFF;
        }
        int low = pushedFlagsAddress(t);
        if (addr == low) {
            return m.flagsMask & 0xFF;
        }
        if (addr == pushedFlagsHighAddress(t, low)) {
            return (m.flagsMask >> 8) & 0xFF;
        }
        return 0xFF;
    }

    /**
     * Where the exception's FLAGS word starts. The vectors record the bus address of that word write, which is
     * rounded down to even when SP is odd; the frame itself (IP, CS, FLAGS from SS:SP up) says exactly where it is.
     */
    static int pushedFlagsAddress(TestVector t) {
        int recorded = t.exceptionFlagAddress();
        int ss = t.expectedReg(Reg.SS);
        int sp = t.expectedReg(Reg.SP);
        int fromFrame = ((ss << 4) + ((sp + 4) & 0xFFFF)) & 0xFFFFFF;
        return (fromFrame & ~1) == (recorded & ~1) ? fromFrame : recorded;
    }

    /** The FLAGS word's high byte: the next byte of the stack segment (SP wraps at 64 KiB). */
    private static int pushedFlagsHighAddress(TestVector t, int low) {
        int ss = t.expectedReg(Reg.SS);
        int sp = t.expectedReg(Reg.SP);
        int fromFrame = ((ss << 4) + ((sp + 4) & 0xFFFF)) & 0xFFFFFF;
        if (fromFrame != low) {
            return low + 1;
        }
        return ((ss << 4) + ((sp + 5) & 0xFFFF)) & 0xFFFFFF;
    }

    private static boolean byteMatches(ConformanceCpu cpu, TestVector t, Masks m, int addr, int expected) {
        return (((cpu.readByte(addr) & 0xFF) ^ expected) & byteMask(t, m, addr)) == 0;
    }

    private static int indexOf(int[] a, int v) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == v) {
                return i;
            }
        }
        return -1;
    }

    /** A readable diff of the last compared test; {@code reason} explains a crash or a missing HLT, or is null. */
    String diff(ConformanceCpu cpu, String key, TestVector t, Masks m, String reason) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "FAIL %s test #%d \"%s\" (hash %s)%n", key, t.index(), t.name(),
                t.hash()));
        sb.append("  bytes:  ");
        for (byte b : t.bytes()) {
            sb.append(String.format("%02X ", b & 0xFF));
        }
        sb.append(String.format("%n  disasm: %s%n", disassemble(t)));
        if (t.raisedException()) {
            sb.append(String.format(Locale.ROOT, "  raises exception %d (FLAGS pushed at %06X)%n",
                    t.exceptionNumber(), pushedFlagsAddress(t)));
        }
        if (reason != null) {
            sb.append("  reason: ").append(reason).append(String.format("%n"));
        }
        sb.append(String.format("  registers     initial  expected  actual%n"));
        for (Reg r : REGS) {
            int e = t.expectedReg(r);
            int a = actualRegs[r.ordinal()];
            boolean compared = m.compares(r);
            boolean differs = compared && ((e ^ a) & m.maskOf(r)) != 0;
            sb.append(String.format(Locale.ROOT, "  %s %-6s      %04X     %04X    %04X", differs ? "*" : " ",
                    r.name().toLowerCase(Locale.ROOT), t.initialRegs()[r.ordinal()] & 0xFFFF, e, a));
            if (!compared) {
                sb.append("  (not compared)");
            } else if (r == Reg.FLAGS) {
                if (m.flagsMask != 0xFFFF) {
                    sb.append(String.format("  (mask %04X)", m.flagsMask));
                }
                if (differs) {
                    sb.append("  differs in ").append(flagNames((e ^ a) & m.flagsMask));
                }
            }
            sb.append(String.format("%n"));
        }
        sb.append(String.format("  memory        expected  actual%s%n", m.ignoreRam ? "  (not compared)" : ""));
        for (int i = 0; i < t.finalRamAddr().length; i++) {
            int addr = t.finalRamAddr()[i];
            appendByte(sb, cpu, t, m, addr, t.finalRamVal()[i], "");
        }
        for (int i = 0; i < t.initialRamAddr().length; i++) {
            int addr = t.initialRamAddr()[i];
            if (indexOf(t.finalRamAddr(), addr) < 0
                    && !byteMatches(cpu, t, m, addr, t.initialRamVal()[i])) {
                appendByte(sb, cpu, t, m, addr, t.initialRamVal()[i], "  (should be unchanged)");
            }
        }
        return sb.toString();
    }

    private static void appendByte(StringBuilder sb, ConformanceCpu cpu, TestVector t, Masks m, int addr,
                                   int expected, String note) {
        int actual = cpu.readByte(addr) & 0xFF;
        boolean differs = !m.ignoreRam && !byteMatches(cpu, t, m, addr, expected);
        int mask = byteMask(t, m, addr);
        sb.append(String.format(Locale.ROOT, "  %s %06X          %02X      %02X%s%s%n", differs ? "*" : " ", addr,
                expected, actual, mask != 0xFF ? String.format("  (pushed FLAGS, mask %02X)", mask) : "", note));
    }

    private static String disassemble(TestVector t) {
        try {
            return Disassembler.disassemble(t.bytes(), 0, false, t.initialRegs()[Reg.IP.ordinal()]).text();
        } catch (RuntimeException e) {
            return "(disassembler failed: " + e + ")";
        }
    }

    static String flagNames(int bits) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            if ((bits & (1 << i)) != 0) {
                if (sb.length() > 0) {
                    sb.append(' ');
                }
                sb.append(FLAG_NAMES[i]);
            }
        }
        return sb.toString();
    }
}
