package dev.strata.tools.scenario;

import dev.strata.vm.scenario.ScenarioResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Writes scenario results as a JUnit XML report, the format CI systems (Jenkins, GitLab, GitHub) read. */
final class JUnitReport {
    private JUnitReport() {
    }

    static void write(Path file, String suite, List<ScenarioResult> results) throws IOException {
        long failures = results.stream().filter(r -> !r.passed()).count();
        double total = results.stream().mapToLong(ScenarioResult::hostNanos).sum() / 1e9;
        StringBuilder b = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        b.append(String.format(Locale.ROOT, "<testsuite name=\"%s\" tests=\"%d\" failures=\"%d\" errors=\"0\""
                + " time=\"%.3f\">%n", xml(suite), results.size(), failures, total));
        for (ScenarioResult r : results) {
            b.append(String.format(Locale.ROOT, "  <testcase classname=\"%s\" name=\"%s\" time=\"%.3f\">%n",
                    xml(suite), xml(r.scenario().name()), r.hostNanos() / 1e9));
            if (!r.passed()) {
                b.append("    <failure message=\"").append(xml(r.summary())).append("\">")
                        .append(xml("screen:\n" + r.screen())).append("</failure>\n");
            }
            b.append("    <system-out>").append(xml(r.serial())).append("</system-out>\n");
            b.append("  </testcase>\n");
        }
        b.append("</testsuite>\n");
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, b, StandardCharsets.UTF_8);
    }

    /** Escapes text for XML 1.0, dropping the control characters it cannot hold (a guest may send any byte). */
    static String xml(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                default -> {
                    if (c >= 0x20 || c == '\n' || c == '\r' || c == '\t') {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }
}
