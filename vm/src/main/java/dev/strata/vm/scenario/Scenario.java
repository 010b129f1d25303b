package dev.strata.vm.scenario;

import java.nio.file.Path;
import java.util.List;

/**
 * A guest test as a scenario file describes it: a machine and the steps to run on it.
 *
 * @param name    the scenario's name (the file's name without {@code .yaml} unless it gives one)
 * @param file    the file it was read from
 * @param machine what to boot
 * @param steps   what to do, in order
 */
public record Scenario(String name, Path file, MachineSource machine, List<Step> steps) {

    public Scenario {
        steps = List.copyOf(steps);
    }

    static String quote(String text) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '\r' -> b.append("\\r");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                case '"' -> b.append("\\\"");
                default -> b.append(c < 0x20 ? String.format("\\x%02x", (int) c) : String.valueOf(c));
            }
        }
        return b.append('"').toString();
    }

    static String seconds(long nanos) {
        return nanos % 1_000_000_000L == 0 ? Long.toString(nanos / 1_000_000_000L)
                : String.format(java.util.Locale.ROOT, "%.3f", nanos / 1e9);
    }
}
