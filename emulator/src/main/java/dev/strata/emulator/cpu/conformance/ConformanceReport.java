package dev.strata.emulator.cpu.conformance;

import java.io.PrintWriter;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The outcome of a conformance run: one tally per opcode and the overall pass rate. */
public final class ConformanceReport {
    private final List<OpcodeResult> opcodes = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    void add(OpcodeResult r) {
        opcodes.add(r);
    }

    void note(String line) {
        notes.add(line);
    }

    /** Remarks for the summary, such as how many tests each skip rule removed. */
    public List<String> notes() {
        return notes;
    }

    /** Every opcode run or skipped, in order. */
    public List<OpcodeResult> opcodes() {
        return opcodes;
    }

    /** The tally of one opcode key, or null. */
    public OpcodeResult opcode(String key) {
        for (OpcodeResult r : opcodes) {
            if (r.key().equals(key)) {
                return r;
            }
        }
        return null;
    }

    /** Tests passed, over all opcodes. */
    public long passed() {
        return opcodes.stream().mapToLong(OpcodeResult::passed).sum();
    }

    /** Tests failed, over all opcodes. */
    public long failed() {
        return opcodes.stream().mapToLong(OpcodeResult::failed).sum();
    }

    /** Tests skipped, over all opcodes. */
    public long skipped() {
        return opcodes.stream().mapToLong(OpcodeResult::skipped).sum();
    }

    /** Passed / (passed + failed) in percent; 0 when nothing ran, so an empty run never succeeds. */
    public double passRate() {
        long run = passed() + failed();
        return run == 0 ? 0.0 : 100.0 * passed() / run;
    }

    /** True when the run reached {@code minPassPercent} (and ran at least one test). */
    public boolean meets(double minPassPercent) {
        return passed() + failed() > 0 && passRate() >= minPassPercent;
    }

    /** Prints every kept failure, then the totals and the verdict against {@code minPassPercent}. */
    public void printSummary(PrintWriter out, double minPassPercent) {
        boolean any = false;
        for (OpcodeResult r : opcodes) {
            for (String f : r.failures()) {
                if (!any) {
                    out.println();
                    out.println("Failures" + (opcodes.stream().anyMatch(o -> o.failures().size() > 1) ? ""
                            : " (first per opcode; --verbose shows all)") + ":");
                    any = true;
                }
                out.println(f);
            }
        }
        out.println();
        List<String> failing = opcodes.stream().filter(o -> o.failed() > 0).map(OpcodeResult::key).toList();
        notes.forEach(out::println);
        if (!failing.isEmpty()) {
            out.println("Failing opcodes (" + failing.size() + "): " + String.join(" ", failing));
        }
        out.printf(Locale.ROOT, "Total: %d passed, %d failed, %d skipped; pass rate %s %% (required %s %%): %s%n",
                passed(), failed(), skipped(), percent(passRate()), percent(minPassPercent),
                meets(minPassPercent) ? "PASS" : passed() + failed() == 0 ? "FAIL (no tests ran)" : "FAIL");
        out.flush();
    }

    /** A percentage with no more digits than it needs, never rounded up to 100. */
    static String percent(double p) {
        if (p == Math.rint(p)) {
            return String.format(Locale.ROOT, "%.0f", p);
        }
        double floored = Math.floor(p * 1000) / 1000;
        return new BigDecimal(String.format(Locale.ROOT, "%.3f", floored)).stripTrailingZeros()
                .toPlainString();
    }
}
