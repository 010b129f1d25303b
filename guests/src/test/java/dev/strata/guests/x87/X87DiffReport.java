package dev.strata.guests.x87;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Compares Strata's output of the x87 differential guest with QEMU's, line by line, and summarises the result per
 * operation: how many tests matched, and the first few differences decoded (inputs, expected, actual, the status
 * bits that differ).
 */
final class X87DiffReport {

    private static final int SHOWN_PER_OPERATION = 3;

    private final Map<String, int[]> counts = new TreeMap<>();      // operation -> {tests, matched}
    private final Map<String, List<String>> examples = new TreeMap<>();
    private final List<String> other = new ArrayList<>();
    private int tests;
    private int matched;
    private int inexactMatches;                                     // tests matched within a tolerance, not byte for byte

    /** Compares {@code actual} with {@code expected}; lines starting with '#' in expected are comments. */
    static X87DiffReport compare(List<String> expected, List<String> actual) {
        X87DiffReport report = new X87DiffReport();
        List<String> wanted = expected.stream().filter(l -> !l.startsWith("#")).toList();
        for (int i = 0; i < wanted.size(); i++) {
            X87ResultLine e = X87ResultLine.parse(wanted.get(i));
            String got = i < actual.size() ? actual.get(i) : null;
            if (!e.isTest()) {
                if (!wanted.get(i).equals(got) && !sameChecksumLineWithinTolerance(wanted.get(i), got, report)) {
                    report.other.add("line " + (i + 1) + ": expected \"" + wanted.get(i) + "\", got "
                            + (got == null ? "nothing" : "\"" + got + "\""));
                }
                continue;
            }
            report.tests++;
            int[] c = report.counts.computeIfAbsent(e.operation(), k -> new int[2]);
            c[0]++;
            List<String> diffs = got == null ? List.of("missing: the guest printed only " + actual.size() + " lines")
                    : X87LineComparison.differences(e, X87ResultLine.parse(got));
            if (diffs.isEmpty()) {
                c[1]++;
                report.matched++;
                if (!e.text().equals(got)) {
                    report.inexactMatches++;
                }
            } else {
                report.example(e, got, diffs);
            }
        }
        if (actual.size() > wanted.size()) {
            report.other.add((actual.size() - wanted.size()) + " extra lines, the first: \"" + actual.get(wanted.size())
                    + "\"");
        }
        return report;
    }

    /**
     * The guest's last line is a checksum of every byte before it. Transcendental results may differ from QEMU's
     * within their tolerance, which changes the checksum, so its value counts only when every test line was
     * byte-identical; otherwise the line just has to be there.
     */
    private static boolean sameChecksumLineWithinTolerance(String expected, String actual, X87DiffReport report) {
        String pattern = "checksum [0-9A-F]{8} x87 differential done";
        return actual != null && expected.matches(pattern) && actual.matches(pattern) && report.matched == report.tests
                && report.inexactMatches > 0;
    }

    private void example(X87ResultLine expected, String actual, List<String> diffs) {
        List<String> list = examples.computeIfAbsent(expected.operation(), k -> new ArrayList<>());
        if (list.size() >= SHOWN_PER_OPERATION) {
            return;
        }
        StringBuilder sb = new StringBuilder();
        sb.append("    expected ").append(expected.text()).append('\n');
        sb.append("    actual   ").append(actual == null ? "(none)" : actual).append('\n');
        for (String input : List.of("a", "b")) {
            String v = expected.field(input);
            if (v.length() == 20) {
                sb.append("      ").append(input).append(" = ").append(X87Value.parse(v).describe()).append('\n');
            }
        }
        for (String d : diffs) {
            sb.append("      ").append(d).append('\n');
        }
        list.add(sb.toString());
    }

    boolean allMatch() {
        return tests > 0 && matched == tests && other.isEmpty();
    }

    int tests() {
        return tests;
    }

    int matched() {
        return matched;
    }

    /** Matched and total tests for each operation, in name order. */
    Map<String, int[]> perOperation() {
        return counts;
    }

    /** The report for people: per-operation counts, then decoded examples of each failing operation. */
    String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("x87 differential: %d of %d tests match QEMU%n", matched, tests));
        for (String s : other) {
            sb.append("  ").append(s).append('\n');
        }
        sb.append(String.format("  %-12s %7s %7s%n", "operation", "match", "tests"));
        counts.forEach((op, c) -> sb.append(String.format("  %-12s %7d %7d%s%n", op, c[1], c[0],
                c[1] == c[0] ? "" : "   <-- " + (c[0] - c[1]) + " differ")));
        examples.forEach((op, list) -> {
            sb.append(op).append(": first differences\n");
            list.forEach(sb::append);
        });
        return sb.toString();
    }
}
