package dev.strata.emulator.cpu.conformance;

import java.util.ArrayList;
import java.util.List;

/** The tally of one opcode file: tests passed, failed and skipped, and the failures worth showing. */
public final class OpcodeResult {
    private final String key;
    private int passed;
    private int failed;
    private int skipped;
    private String skipReason;
    private final List<String> failures = new ArrayList<>();

    /** An empty tally for the opcode key {@code key}. */
    public OpcodeResult(String key) {
        this.key = key;
    }

    void pass() {
        passed++;
    }

    void fail(String diff, boolean keepAll) {
        failed++;
        if (keepAll || failures.isEmpty()) {
            failures.add(diff);
        }
    }

    void skip(int count, String reason) {
        skipped += count;
        if (reason != null && skipReason == null) {
            skipReason = reason;
        }
    }

    /** The opcode key, e.g. {@code D1.6}. */
    public String key() {
        return key;
    }

    /** Tests that matched the vectors. */
    public int passed() {
        return passed;
    }

    /** Tests that did not. */
    public int failed() {
        return failed;
    }

    /** Tests not run (revoked, or the whole opcode skipped). */
    public int skipped() {
        return skipped;
    }

    /** Why the opcode was skipped, or null. */
    public String skipReason() {
        return skipReason;
    }

    /** Readable diffs of the failures kept (the first one, or all with {@code everyFailure}). */
    public List<String> failures() {
        return failures;
    }

    /** Pass rate of the tests run, in percent (100 when none ran). */
    public double passRate() {
        int run = passed + failed;
        return run == 0 ? 100.0 : 100.0 * passed / run;
    }
}
