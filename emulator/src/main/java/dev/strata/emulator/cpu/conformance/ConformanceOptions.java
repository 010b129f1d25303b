package dev.strata.emulator.cpu.conformance;

import java.util.List;
import java.util.Locale;

/**
 * How a conformance run is shaped.
 *
 * @param minPassPercent  the overall pass rate (passed / (passed + failed), in percent) a run needs to succeed
 * @param opcodes         opcode keys to run ({@code D1} also selects {@code D1.0..7}); empty runs all
 * @param limitPerOpcode  at most this many tests per opcode file, 0 for all
 * @param everyFailure    report every failing test, not only the first one per opcode
 * @param maxInstructions the instruction budget of one test before it counts as "did not halt"
 */
public record ConformanceOptions(double minPassPercent, List<String> opcodes, int limitPerOpcode,
                                 boolean everyFailure, long maxInstructions) {

    /** The instruction budget per test: room for a REP string op over 64 KiB plus an exception handler. */
    public static final long DEFAULT_MAX_INSTRUCTIONS = 300_000;

    /** Normalises the opcode filter to upper case. */
    public ConformanceOptions {
        opcodes = opcodes.stream().map(s -> s.strip().toUpperCase(Locale.ROOT)).toList();
    }

    /** Every test, 100 % required, first failure per opcode. */
    public static ConformanceOptions defaults() {
        return new ConformanceOptions(100.0, List.of(), 0, false, DEFAULT_MAX_INSTRUCTIONS);
    }

    /** True when the opcode key passes the filter. */
    public boolean selects(String key) {
        if (opcodes.isEmpty()) {
            return true;
        }
        for (String f : opcodes) {
            if (key.equals(f) || key.startsWith(f + ".")) {
                return true;
            }
        }
        return false;
    }
}
