package dev.strata.emulator.cpu.conformance;

import dev.strata.emulator.cpu.conformance.ConformanceCpu.Reg;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Runs SingleStepTests vectors on a {@link ConformanceCpu}: loads each test's registers and RAM, runs to the HLT,
 * compares registers and memory under the flag masks of {@code metadata.json} and of the CPU's documented
 * differences from the 80286, and tallies the results per opcode.
 */
public final class ConformanceRunner {
    /** FLAGS bits a real-mode 80286 can hold: IOPL and NT (bits 12-15) are always clear. */
    public static final int REAL_MODE_FLAGS = 0x0FFF;

    private static final Reg[] REGS = Reg.values();

    private final ConformanceCpu cpu;
    private final CpuDifferences differences;
    private final ConformanceOptions options;
    private final PrintWriter out;
    private final TestCheck check = new TestCheck();
    private final List<CpuDifferences.Entry> testMasks;
    private final Map<String, Integer> skipsByRule = new LinkedHashMap<>();

    /** A runner that drives {@code cpu} and prints progress and failures to {@code out}. */
    public ConformanceRunner(ConformanceCpu cpu, CpuDifferences differences, ConformanceOptions options,
                             PrintWriter out) {
        this.cpu = cpu;
        this.differences = differences;
        this.options = options;
        this.out = out;
        this.testMasks = differences.testMasks();
    }

    /** Runs every selected opcode of {@code suite}, printing one line per opcode and then the summary. */
    public ConformanceReport run(ConformanceSuite suite) throws IOException {
        out.println("CPU conformance: " + suite.dir() + " (" + suite.files().size() + " opcode files, "
                + suite.revocations().size() + " revoked tests)");
        printDifferences();
        skipsByRule.clear();
        ConformanceReport report = new ConformanceReport();
        int selected = 0;
        for (ConformanceSuite.OpcodeFile f : suite.files()) {
            if (!options.selects(f.key())) {
                continue;
            }
            selected++;
            OpcodeResult r = runFile(f, suite);
            report.add(r);
            printLine(r);
        }
        if (selected == 0) {
            out.println("No opcode file matches " + options.opcodes() + " in " + suite.dir());
        }
        skipsByRule.forEach((rule, n) -> report.note("skipped by " + CpuDifferences.RESOURCE + " " + rule + ": " + n
                + " tests"));
        report.printSummary(out, options.minPassPercent());
        return report;
    }

    private void printDifferences() {
        for (String w : differences.warnings()) {
            out.println("warning: " + w);
        }
        if (differences.entries().isEmpty()) {
            return;
        }
        out.println("Where this CPU differs from the 80286 (" + CpuDifferences.RESOURCE + "):");
        for (CpuDifferences.Entry e : differences.entries()) {
            if (e.action() == CpuDifferences.Action.SKIP) {
                out.printf(Locale.ROOT, "  skip %-7s %s%n", e.opcode(), e.reason());
            } else if (e.action() == CpuDifferences.Action.SKIP_EXCEPTION) {
                out.printf(Locale.ROOT, "  skip %-7s (tests expecting an exception) %s%n", e.opcode(), e.reason());
            } else {
                out.printf(Locale.ROOT, "  mask %-7s [not compared: %s] %s%n", e.opcode(), e.describeMask(), e.reason());
            }
        }
    }

    private void printLine(OpcodeResult r) {
        out.printf(Locale.ROOT, "  %-7s %5d passed %5d failed %5d skipped%s%n", r.key(), r.passed(), r.failed(),
                r.skipped(), r.skipReason() != null ? "  (" + r.skipReason() + ")"
                        : r.failed() > 0 ? "  FAIL" : "");
        out.flush();
    }

    /** Runs one opcode file. */
    public OpcodeResult runFile(ConformanceSuite.OpcodeFile f, ConformanceSuite suite) throws IOException {
        return runFile(f.key(), f, suite.metadata(), suite.revocations());
    }

    OpcodeResult runFile(String key, ConformanceSuite.OpcodeFile f, TestMetadata metadata,
                         RevocationList revocations) throws IOException {
        OpcodeResult result = new OpcodeResult(key);
        CpuDifferences.Entry skip = differences.skipFor(key);
        TestCheck.Masks masks = masksFor(key, metadata);
        int limit = options.limitPerOpcode() > 0 ? options.limitPerOpcode() : Integer.MAX_VALUE;
        try (TestVectorReader reader = new TestVectorReader(f.path())) {
            int seen = 0;
            for (TestVector t = reader.next(); t != null && seen < limit; t = reader.next()) {
                seen++;
                if (skip != null) {
                    result.skip(1, "skipped: " + skip.reason());
                } else if (revocations.isRevoked(t.hash())) {
                    result.skip(1, null);
                } else {
                    CpuDifferences.Entry rule = differences.testSkipFor(key, t);
                    if (rule != null) {
                        result.skip(1, null);
                        skipsByRule.merge(rule.opcode() + (rule.scope() == CpuDifferences.Scope.OPCODE
                                ? " (exception tests)" : ""), 1, Integer::sum);
                    } else {
                        runTest(key, t, testMasks.isEmpty() ? masks : withTestMasks(masks, t), result);
                    }
                }
            }
        }
        return result;
    }

    private TestCheck.Masks masksFor(String key, TestMetadata metadata) {
        int flagsMask = metadata.flagsMask(key);
        Set<Reg> regs = EnumSet.noneOf(Reg.class);
        boolean ram = false;
        for (CpuDifferences.Entry e : differences.masksFor(key)) {
            flagsMask &= ~e.ignoreFlags();
            regs.addAll(e.ignoreRegs());
            ram |= e.ignoreRam();
        }
        return new TestCheck.Masks(flagsMask & 0xFFFF, regs, ram);
    }

    private TestCheck.Masks withTestMasks(TestCheck.Masks masks, TestVector t) {
        int flags = masks.flagsMask();
        Set<Reg> regs = EnumSet.noneOf(Reg.class);
        regs.addAll(masks.ignoreRegs());
        boolean ram = masks.ignoreRam();
        for (CpuDifferences.Entry e : testMasks) {
            if (e.selects(t)) {
                flags &= ~e.ignoreFlags();
                regs.addAll(e.ignoreRegs());
                ram |= e.ignoreRam();
            }
        }
        return new TestCheck.Masks(flags, regs, ram);
    }

    /** Loads, runs, checks and cleans up one test; a CPU that throws or never halts fails the test, not the run. */
    void runTest(String key, TestVector t, TestCheck.Masks masks, OpcodeResult result) {
        String reason = null;
        try {
            load(t);
            if (!cpu.runUntilHalt(options.maxInstructions())) {
                reason = "did not halt within " + options.maxInstructions() + " instructions";
            }
        } catch (StackOverflowError | RuntimeException | AssertionError | LinkageError e) {
            reason = "CPU threw " + e;
        }
        boolean ok;
        String diff = null;
        try {
            ok = reason == null && check.matches(cpu, t, masks);
            if (!ok && (options.everyFailure() || result.failures().isEmpty())) {
                diff = check.diff(cpu, key, t, masks, reason);
            }
        } catch (RuntimeException e) {
            ok = false;
            diff = "FAIL " + key + " test #" + t.index() + " \"" + t.name() + "\": reading the CPU state threw " + e;
        }
        if (ok) {
            result.pass();
        } else {
            result.fail(diff, options.everyFailure());
        }
        clear(t);
    }

    private void load(TestVector t) {
        for (Reg r : REGS) {
            int v = t.initialRegs()[r.ordinal()];
            if (v != TestVector.ABSENT) {
                cpu.setReg(r, r == Reg.FLAGS ? v & REAL_MODE_FLAGS : v);
            }
        }
        int[] addr = t.initialRamAddr();
        int[] val = t.initialRamVal();
        for (int i = 0; i < addr.length; i++) {
            cpu.writeByte(addr[i], val[i]);
        }
    }

    /** Zeroes only the bytes this test named, so the next test starts clean without clearing 16 MiB. */
    private void clear(TestVector t) {
        try {
            for (int a : t.initialRamAddr()) {
                cpu.writeByte(a, 0);
            }
            for (int a : t.finalRamAddr()) {
                cpu.writeByte(a, 0);
            }
        } catch (RuntimeException e) {
            // a CPU that cannot even write RAM fails every test on its own; nothing more to clean
        }
    }
}
