package dev.strata.emulator.cpu.conformance;

import dev.strata.emulator.cpu.conformance.ConformanceCpu.Reg;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The documented places where Strata's i686 must differ from the 80286 the vectors were recorded on, read from
 * {@code 286-differences.txt} (shipped by the CPU): tests to skip, or flags, registers or memory not to compare.
 *
 * <p>One entry per line, fields separated by spaces, tabs, commas or {@code |}; {@code #} starts a comment line:
 * <pre>
 *   KEY  skip                 REASON...   every test the key selects is skipped
 *   KEY  skip-exception       REASON...   only the selected tests that expect an exception are skipped
 *   KEY  mask=0xNNNN          REASON...   AND this into the metadata flags mask (the FLAGS bits compared)
 *   KEY  mask WHAT [WHAT...]  REASON...   leave WHAT out of the comparison
 * </pre>
 * KEY is a file key ({@code D6}, {@code D1.6}, {@code 0F01.4}; a plain opcode also covers its group entries),
 * {@code prefix-XX} (every test whose prefix bytes include XX), {@code exception-NN} (every test whose expected
 * exception is NN, decimal), or a class key recognised from the instruction bytes by {@link I386Differences}:
 * {@code lock-invalid-386} (LOCK where a 386+ raises #UD) and {@code overrun-differs-386} (an INT 13 segment
 * overrun that a 386+ reports or performs differently). WHAT is any of: a flag name ({@code OF CF AF ZF SF PF TF IF DF IOPL NT}, upper case),
 * {@code flags=OF+AF} or {@code flags=0xF000} (FLAGS bits not to compare), {@code flags-mask=0x0FFF} (bits to
 * compare), a register name ({@code sp}, {@code regs=sp+bp}), or {@code ram} (do not compare memory). Flag masks
 * also apply to the FLAGS word an exception pushes.
 */
public final class CpuDifferences {
    /** The resource the CPU ships, beside this class. */
    public static final String RESOURCE = "286-differences.txt";

    private static final Pattern SEP = Pattern.compile("[\\s,|]+");
    private static final Pattern OPCODE = Pattern.compile("(?:0x)?((?:0F)?[0-9A-Fa-f]{2})(?:\\.([0-7]))?");
    private static final Pattern PREFIX = Pattern.compile("(?i)prefix-(?:0x)?([0-9A-F]{2})");
    private static final Pattern EXCEPTION = Pattern.compile("(?i)exception-([0-9]{1,3})");
    /** The bytes an 80286 reads as prefixes. */
    private static final int[] PREFIX_BYTES = {0x26, 0x2E, 0x36, 0x3E, 0xF0, 0xF2, 0xF3};

    private final List<Entry> entries;
    private final List<String> warnings;

    private CpuDifferences(List<Entry> entries, List<String> warnings) {
        this.entries = List.copyOf(entries);
        this.warnings = List.copyOf(warnings);
    }

    /** What to do about the tests a key selects: skip them, skip those expecting an exception, or mask state. */
    public enum Action { SKIP, SKIP_EXCEPTION, MASK }

    /** What a key selects: an opcode file, tests with a prefix byte, or tests expecting an exception. */
    public enum Scope { OPCODE, PREFIX, EXCEPTION, CLASS }

    /** Class keys: tests recognised by {@link I386Differences} from their bytes (and expected exception). */
    static final String LOCK_INVALID = "lock-invalid-386";
    static final String OVERRUN_DIFFERS = "overrun-differs-386";

    /**
     * One line of the file.
     *
     * @param scope       what kind of key the line has
     * @param opcode      the key as written, normalised: {@code D1.6}, {@code prefix-F0}, {@code exception-13}
     * @param value       the prefix byte or exception number of a PREFIX or EXCEPTION key, else -1
     * @param action      skip or mask
     * @param ignoreFlags FLAGS bits not compared
     * @param ignoreRegs  registers not compared
     * @param ignoreRam   true when memory is not compared
     * @param reason      why the i686 differs here
     */
    public record Entry(Scope scope, String opcode, int value, Action action, int ignoreFlags, Set<Reg> ignoreRegs,
                        boolean ignoreRam, String reason) {
        /** True when this is an opcode entry covering the file key {@code key} ({@code D1} covers {@code D1.6}). */
        public boolean covers(String key) {
            return scope == Scope.OPCODE && (key.equals(opcode) || key.startsWith(opcode + "."));
        }

        /** True when this is a prefix or exception entry that selects test {@code t}. */
        public boolean selects(TestVector t) {
            return switch (scope) {
                case PREFIX -> hasPrefix(t.bytes(), value);
                case EXCEPTION -> t.exceptionNumber() == value;
                case CLASS -> opcode.equals(LOCK_INVALID) ? I386Differences.lockInvalid(t.bytes())
                        : t.exceptionNumber() == 13 && I386Differences.overrunDiffers(t.bytes());
                case OPCODE -> false;
            };
        }

        /** A short description of what is masked, for the report. */
        public String describeMask() {
            StringBuilder sb = new StringBuilder();
            if (ignoreFlags != 0) {
                sb.append("flags ").append(String.format("%04X", ignoreFlags)).append(' ');
            }
            for (Reg r : ignoreRegs) {
                sb.append(r.name().toLowerCase(Locale.ROOT)).append(' ');
            }
            if (ignoreRam) {
                sb.append("ram ");
            }
            return sb.toString().strip();
        }
    }

    /** No differences at all. */
    public static CpuDifferences none() {
        return new CpuDifferences(List.of(), List.of());
    }

    /**
     * The list shipped with the CPU on the class path, or {@link #none()} with a warning when the CPU does not ship
     * one yet.
     */
    public static CpuDifferences loadDefault() {
        try (InputStream in = CpuDifferences.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return new CpuDifferences(List.of(), List.of("no " + RESOURCE + " on the class path: "
                        + "comparing every opcode exactly as a 286"));
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), RESOURCE);
        } catch (IOException e) {
            return new CpuDifferences(List.of(), List.of(RESOURCE + ": unreadable (" + e.getMessage() + ")"));
        }
    }

    /** Parses the text of a differences file; {@code source} names it in warnings about lines it cannot read. */
    public static CpuDifferences parse(String text, String source) {
        List<Entry> entries = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new StringReader(text))) {
            String line;
            int lineNo = 0;
            while ((line = r.readLine()) != null) {
                lineNo++;
                String s = line.strip();
                if (s.isEmpty() || s.startsWith("#") || s.startsWith("//")) {
                    continue;
                }
                Entry e = parseLine(s, source + ":" + lineNo, warnings);
                if (e != null) {
                    entries.add(e);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e); // reading a String cannot fail
        }
        return new CpuDifferences(entries, warnings);
    }

    private static Entry parseLine(String line, String where, List<String> warnings) {
        Cursor c = new Cursor(line);
        String opTok = c.next();
        opTok = opTok == null ? "" : opTok;
        Matcher m = OPCODE.matcher(opTok);
        Matcher pm = PREFIX.matcher(opTok);
        Matcher em = EXCEPTION.matcher(opTok);
        Scope scope;
        String opcode;
        int value = -1;
        if (m.matches()) {
            scope = Scope.OPCODE;
            opcode = m.group(1).toUpperCase(Locale.ROOT) + (m.group(2) == null ? "" : "." + m.group(2));
        } else if (pm.matches()) {
            scope = Scope.PREFIX;
            value = Integer.parseInt(pm.group(1), 16);
            opcode = String.format("prefix-%02X", value);
        } else if (opTok.equalsIgnoreCase(LOCK_INVALID) || opTok.equalsIgnoreCase(OVERRUN_DIFFERS)) {
            scope = Scope.CLASS;
            opcode = opTok.toLowerCase(Locale.ROOT);
        } else if (em.matches()) {
            scope = Scope.EXCEPTION;
            value = Integer.parseInt(em.group(1));
            opcode = "exception-" + value;
        } else {
            warnings.add(where + ": ignored, \"" + opTok + "\" is not a key like D1, D1.6, prefix-F0 or "
                    + "exception-13: " + line);
            return null;
        }
        String actTok = c.next();
        String act = actTok == null ? "" : actTok.toLowerCase(Locale.ROOT);
        Action action;
        int ignoreFlags = 0;
        if (act.equals("skip")) {
            action = Action.SKIP;
        } else if (act.equals("skip-exception")) {
            action = Action.SKIP_EXCEPTION;
        } else if (act.equals("mask")) {
            action = Action.MASK;
        } else if (act.startsWith("mask=") || act.startsWith("mask:")) {
            Integer keep = number(act.substring(5));
            if (keep == null) {
                warnings.add(where + ": ignored, \"" + actTok + "\" needs a number (mask=0x0FFF): " + line);
                return null;
            }
            action = Action.MASK;
            ignoreFlags = ~keep & 0xFFFF;
        } else {
            warnings.add(where + ": ignored, action must be skip, skip-exception, mask or mask=0xNNNN, found \""
                    + actTok + "\": " + line);
            return null;
        }
        Set<Reg> regs = EnumSet.noneOf(Reg.class);
        boolean ram = false;
        if (action == Action.MASK && act.equals("mask")) {
            while (true) {
                String tok = c.peek();
                if (tok == null) {
                    break;
                }
                Mask what = maskOf(tok);
                if (what == null) {
                    break;
                }
                c.next();
                ignoreFlags |= what.flags;
                regs.addAll(what.regs);
                ram |= what.ram;
            }
            if (ignoreFlags == 0 && regs.isEmpty() && !ram) {
                warnings.add(where + ": mask entry for " + opcode + " names nothing to mask: " + line);
            }
        }
        String reason = c.rest().replaceFirst("^[-:#,|\"'\\s]+", "").replaceFirst("[\"'\\s]+$", "");
        return new Entry(scope, opcode, value, action, ignoreFlags & 0xFFFF, regs, ram,
                reason.isEmpty() ? "(no reason given)" : reason);
    }

    /** What one WHAT token masks. */
    private record Mask(int flags, Set<Reg> regs, boolean ram) {
    }

    private static Mask maskOf(String tok) {
        String lower = tok.toLowerCase(Locale.ROOT);
        if (lower.equals("ram") || lower.equals("mem") || lower.equals("memory")) {
            return new Mask(0, Set.of(), true);
        }
        int eq = lower.indexOf('=') >= 0 ? lower.indexOf('=') : lower.indexOf(':');
        if (eq > 0) {
            String key = lower.substring(0, eq);
            String val = tok.substring(eq + 1);
            switch (key) {
                case "flags", "ignore-flags" -> {
                    Integer f = flagList(val);
                    return f == null ? null : new Mask(f, Set.of(), false);
                }
                case "flags-mask" -> {
                    Integer n = number(val);
                    return n == null ? null : new Mask(~n & 0xFFFF, Set.of(), false);
                }
                case "regs", "reg", "registers" -> {
                    Set<Reg> set = EnumSet.noneOf(Reg.class);
                    for (String r : val.split("[+/;]")) {
                        Reg reg = TestVectorReader.regNamed(r.toLowerCase(Locale.ROOT));
                        if (reg == null) {
                            return null;
                        }
                        set.add(reg);
                    }
                    return new Mask(0, set, false);
                }
                default -> {
                    return null;
                }
            }
        }
        Integer bit = flagBit(tok, false);
        if (bit != null) {
            return new Mask(bit, Set.of(), false);
        }
        if (lower.startsWith("0x")) {
            Integer n = number(tok);
            if (n != null) {
                return new Mask(Integer.bitCount(n) > 8 ? ~n & 0xFFFF : n, Set.of(), false);
            }
        }
        Reg reg = TestVectorReader.regNamed(lower);
        return reg == null ? null : new Mask(0, Set.of(reg), false);
    }

    private static Integer flagList(String val) {
        Integer n = number(val);
        if (n != null) {
            return n;
        }
        int bits = 0;
        for (String f : val.split("[+/;]")) {
            Integer b = flagBit(f, true);
            if (b == null) {
                return null;
            }
            bits |= b;
        }
        return bits;
    }

    private static Integer number(String s) {
        try {
            String t = s.toLowerCase(Locale.ROOT);
            return t.startsWith("0x") ? Integer.parseInt(t.substring(2), 16) & 0xFFFF : Integer.parseInt(t) & 0xFFFF;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A flag name's bit; without {@code anyCase} only upper case counts, so the English word "if" is not IF. */
    static Integer flagBit(String name, boolean anyCase) {
        String n = anyCase ? name.toUpperCase(Locale.ROOT) : name;
        return switch (n) {
            case "CF" -> 0x0001;
            case "PF" -> 0x0004;
            case "AF" -> 0x0010;
            case "ZF" -> 0x0040;
            case "SF" -> 0x0080;
            case "TF" -> 0x0100;
            case "IF" -> 0x0200;
            case "DF" -> 0x0400;
            case "OF" -> 0x0800;
            case "IOPL" -> 0x3000;
            case "NT" -> 0x4000;
            default -> null;
        };
    }

    /** Every entry, in file order. */
    public List<Entry> entries() {
        return entries;
    }

    /** Lines that could not be read, for the report. */
    public List<String> warnings() {
        return warnings;
    }

    /** True when the leading prefix bytes of an instruction include {@code prefix}. */
    static boolean hasPrefix(byte[] bytes, int prefix) {
        for (byte b : bytes) {
            int v = b & 0xFF;
            boolean isPrefix = false;
            for (int p : PREFIX_BYTES) {
                isPrefix |= v == p;
            }
            if (!isPrefix) {
                return false;
            }
            if (v == prefix) {
                return true;
            }
        }
        return false;
    }

    /**
     * The entry that skips test {@code t} of opcode {@code key} on its own (a prefix or exception key, or the
     * opcode's skip-exception), or null when the test runs.
     */
    public Entry testSkipFor(String key, TestVector t) {
        for (Entry e : entries) {
            if (e.action == Action.MASK) {
                continue;
            }
            if (e.selects(t) || e.action == Action.SKIP_EXCEPTION && e.covers(key) && t.raisedException()) {
                return e;
            }
        }
        return null;
    }

    /** The mask entries with a prefix or exception key, which apply test by test. */
    public List<Entry> testMasks() {
        List<Entry> out = new ArrayList<>();
        for (Entry e : entries) {
            if (e.action == Action.MASK && e.scope != Scope.OPCODE) {
                out.add(e);
            }
        }
        return out;
    }

    /** The skip entry covering {@code key}, or null when the opcode runs. */
    public Entry skipFor(String key) {
        for (Entry e : entries) {
            if (e.action == Action.SKIP && e.covers(key)) {
                return e;
            }
        }
        return null;
    }

    /** The mask entries covering {@code key} (usually none or one). */
    public List<Entry> masksFor(String key) {
        List<Entry> out = new ArrayList<>(1);
        for (Entry e : entries) {
            if (e.action == Action.MASK && e.covers(key)) {
                out.add(e);
            }
        }
        return out;
    }

    /** Walks the fields of one line, keeping the rest of it intact for the free-text reason. */
    private static final class Cursor {
        private final String line;
        private int pos;

        Cursor(String line) {
            this.line = line;
        }

        String peek() {
            int save = pos;
            String t = next();
            pos = save;
            return t;
        }

        String next() {
            Matcher m = SEP.matcher(line);
            int start = pos;
            if (m.find(start) && m.start() == start) {
                start = m.end();
            }
            if (start >= line.length()) {
                pos = line.length();
                return null;
            }
            int end = m.find(start) ? m.start() : line.length();
            pos = end;
            return line.substring(start, end);
        }

        String rest() {
            return line.substring(Math.min(pos, line.length())).strip();
        }
    }
}
