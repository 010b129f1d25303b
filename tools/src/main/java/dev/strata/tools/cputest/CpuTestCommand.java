package dev.strata.tools.cputest;

import dev.strata.emulator.cpu.conformance.ConformanceOptions;
import dev.strata.emulator.cpu.conformance.ConformanceReport;
import dev.strata.emulator.cpu.conformance.ConformanceRunner;
import dev.strata.emulator.cpu.conformance.ConformanceSuite;
import dev.strata.emulator.cpu.conformance.CpuDifferences;
import dev.strata.emulator.cpu.translate.JitMode;
import dev.strata.tools.StrataCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code strata cputest DIR}: runs recorded hardware test vectors on Strata's CPU and reports per opcode. */
@Command(name = "cputest", mixinStandardHelpOptions = true,
        description = {"Run SingleStepTests CPU vectors (e.g. ../shared/cpu-tests/80286-real) on Strata's CPU.",
            "Prints passed/failed/skipped per opcode and the first failing test of each opcode as a diff;",
            "exits 0 only when the overall pass rate reaches --min-pass."})
public final class CpuTestCommand extends StrataCommand {
    /** Exit code when the run completed below the required pass rate. */
    static final int BELOW_MIN_PASS = 1;

    private static final Pattern OPCODE = Pattern.compile("(?i)(0F)?[0-9A-F]{2}(\\.[0-7])?");

    @Parameters(index = "0", paramLabel = "DIR", description = "Folder of vectors with metadata.json.")
    Path dir;

    @Option(names = "--min-pass", paramLabel = "PERCENT", defaultValue = "100",
            description = "Overall pass rate needed to succeed (default: ${DEFAULT-VALUE}).")
    double minPass;

    @Option(names = "--opcode", paramLabel = "XX",
            description = "Only this opcode (D1 also selects D1.0-D1.7, or give D1.6); repeatable.")
    List<String> opcodes = new ArrayList<>();

    @Option(names = "--verbose", description = "Show every failing test, not only the first per opcode.")
    boolean verbose;

    @Option(names = "--jit", paramLabel = "off|all", defaultValue = "off",
            description = "off: the interpreter (default); all: every block translated to JVM bytecode first,"
                    + " to check the translating tier")
    JitMode jit = JitMode.OFF;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "0",
            description = "At most N tests per opcode (default: all).")
    int limit;

    @Override
    protected int execute() throws IOException {
        if (minPass < 0 || minPass > 100) {
            throw new IllegalArgumentException("--min-pass must be a percentage from 0 to 100, not " + minPass);
        }
        if (limit < 0) {
            throw new IllegalArgumentException("--limit must be 0 (all tests) or more, not " + limit);
        }
        for (String op : opcodes) {
            if (!OPCODE.matcher(op).matches()) {
                throw new IllegalArgumentException("--opcode " + op + ": give an opcode in hex like D1, D1.6 or "
                        + "0F01.2");
            }
        }
        ConformanceSuite suite = ConformanceSuite.open(dir);
        ConformanceOptions options = new ConformanceOptions(minPass, opcodes, limit, verbose,
                ConformanceOptions.DEFAULT_MAX_INSTRUCTIONS);
        PrintWriter out = out();
        if (jit == JitMode.ON) {
            throw new IllegalArgumentException("--jit on translates only blocks that ran thousands of times, which"
                    + " a test vector's single instruction never does: use --jit all");
        }
        ConformanceReport report = new ConformanceRunner(ConformanceCpus.create(jit), CpuDifferences.loadDefault(),
                options, out).run(suite);
        return report.meets(minPass) ? 0 : BELOW_MIN_PASS;
    }
}
