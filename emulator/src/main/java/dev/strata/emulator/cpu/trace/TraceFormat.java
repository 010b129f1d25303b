package dev.strata.emulator.cpu.trace;

import dev.strata.emulator.cpu.Flags;
import dev.strata.emulator.cpu.disasm.Disassembler;

/**
 * Writes a {@link TraceEntry} as one line of text: instruction count, mode, CS:EIP, bytes, disassembly and the
 * registers it changed (old->new, EFLAGS with the flags that flipped), e.g.
 * <pre>
 *        812 R16 0700:0105  01 D8               add ax,bx                     eax=00000003-&gt;00000005 eflags=00000046-&gt;00000006 (-ZF)
 *        813 R16 0700:0107  ** INT 21h (software)                                esp=00008000-&gt;00007FFA ...
 * </pre>
 */
public final class TraceFormat {

    private static final String[] MODES = {"R16", "R32", "P16", "P32", "V86"};
    private static final String[] EXCEPTIONS = {"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF",
        "#MP", "#TS", "#NP", "#SS", "#GP", "#PF", "#15", "#MF", "#AC", "#MC", "#XM"};
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
    private static final int BYTES_COLUMN = 24;
    private static final int TEXT_COLUMN = 30;
    /** EFLAGS bits named when they flip (IOPL is shown as a number). */
    private static final int[] FLAG_BITS = {Flags.CF, Flags.PF, Flags.AF, Flags.ZF, Flags.SF, Flags.TF, Flags.IF,
        Flags.DF, Flags.OF, Flags.NT, Flags.RF, Flags.VM, Flags.AC, 1 << 19, 1 << 20, Flags.ID};
    private static final String[] FLAG_NAMES = {"CF", "PF", "AF", "ZF", "SF", "TF", "IF", "DF", "OF", "NT", "RF",
        "VM", "AC", "VIF", "VIP", "ID"};

    private TraceFormat() {
    }

    /** Appends the entry's line (without a line end) to {@code out}. */
    public static void append(TraceEntry e, StringBuilder out) {
        int start = out.length();
        padLeft(out, Long.toString(e.count), 10);
        out.append(' ').append(MODES[e.mode]).append(' ');
        hex(out, e.cs, 4);
        out.append(':');
        boolean wide = e.code32() || (e.eip & 0xFFFF0000) != 0;
        hex(out, e.eip, wide ? 8 : 4);
        if (!wide) {
            out.append("    ");
        }
        out.append("  ");
        int column = out.length();
        if (e.isInstruction()) {
            instruction(e, out, column);
        } else {
            out.append("** ");
            event(e, out);
            pad(out, column + BYTES_COLUMN + TEXT_COLUMN);
        }
        changes(e, out);
        trimEnd(out, start);
    }

    /** The entry's line as a string. */
    public static String line(TraceEntry e) {
        StringBuilder sb = new StringBuilder(160);
        append(e, sb);
        return sb.toString();
    }

    private static void instruction(TraceEntry e, StringBuilder out, int column) {
        String text;
        int length;
        byte[] code = null;
        if (e.codeLength == 0) {
            text = "(code not present)";
            length = 0;
        } else {
            code = e.code();
            var insn = Disassembler.disassemble(code, 0, e.code32(), e.eip & 0xFFFFFFFFL);
            text = insn.text();
            length = Math.min(insn.length(), e.codeLength);
        }
        for (int k = 0; k < length; k++) {
            if (k > 0) {
                out.append(' ');
            }
            hex(out, code[k], 2);
        }
        pad(out, column + BYTES_COLUMN);
        out.append(text);
        pad(out, column + BYTES_COLUMN + TEXT_COLUMN);
    }

    private static void event(TraceEntry e, StringBuilder out) {
        switch (e.kind) {
            case TraceEntry.EXCEPTION -> {
                out.append("exception ");
                hex(out, e.vector, 2);
                out.append('h');
                if (e.vector < EXCEPTIONS.length) {
                    out.append(' ').append(EXCEPTIONS[e.vector]);
                }
            }
            case TraceEntry.HARDWARE -> {
                out.append("interrupt ");
                hex(out, e.vector, 2);
                out.append("h (hardware)");
            }
            case TraceEntry.NMI -> out.append("NMI (vector 02h)");
            case TraceEntry.SOFTWARE -> {
                out.append("INT ");
                hex(out, e.vector, 2);
                out.append("h (software)");
            }
            default -> out.append("triple fault: the processor shuts down and resets");
        }
        if (e.errorCode >= 0) {
            out.append(" error ");
            hex(out, e.errorCode, 4);
        }
        if (e.kind == TraceEntry.EXCEPTION && e.vector == 14) {
            out.append(" cr2=");
            hex(out, e.cr2, 8);
        }
    }

    private static void changes(TraceEntry e, StringBuilder out) {
        int mask = e.changed;
        while (mask != 0) {
            int k = Integer.numberOfTrailingZeros(mask);
            mask &= mask - 1;
            int digits = TracedRegisters.isSelector(k) ? 4 : 8;
            out.append(' ').append(TracedRegisters.name(k)).append('=');
            hex(out, e.before[k], digits);
            out.append("->");
            hex(out, e.after[k], digits);
            if (k == TracedRegisters.EFLAGS) {
                flags(e.before[k], e.after[k], out);
            }
        }
    }

    /** The flags that flipped, e.g. {@code (+ZF -CF)}, and IOPL when it changed. */
    static void flags(int before, int after, StringBuilder out) {
        int diff = before ^ after;
        String sep = " (";
        for (int k = 0; k < FLAG_BITS.length; k++) {
            if ((diff & FLAG_BITS[k]) != 0) {
                out.append(sep).append((after & FLAG_BITS[k]) != 0 ? '+' : '-').append(FLAG_NAMES[k]);
                sep = " ";
            }
        }
        if ((diff & Flags.IOPL) != 0) {
            out.append(sep).append("IOPL=").append((before >>> 12) & 3).append("->").append((after >>> 12) & 3);
            sep = " ";
        }
        if (!sep.equals(" (")) {
            out.append(')');
        }
    }

    private static void hex(StringBuilder out, int value, int digits) {
        for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
            out.append(HEX[(value >>> shift) & 0xF]);
        }
    }

    private static void pad(StringBuilder out, int column) {
        out.append(" ".repeat(Math.max(1, column - out.length())));
    }

    private static void padLeft(StringBuilder out, String s, int width) {
        for (int k = s.length(); k < width; k++) {
            out.append(' ');
        }
        out.append(s);
    }

    private static void trimEnd(StringBuilder out, int start) {
        int end = out.length();
        while (end > start && out.charAt(end - 1) == ' ') {
            end--;
        }
        out.setLength(end);
    }
}
