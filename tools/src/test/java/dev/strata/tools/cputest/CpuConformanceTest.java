package dev.strata.tools.cputest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.cpu.conformance.ConformanceOptions;
import dev.strata.emulator.cpu.conformance.ConformanceReport;
import dev.strata.emulator.cpu.conformance.ConformanceRunner;
import dev.strata.emulator.cpu.conformance.ConformanceSuite;
import dev.strata.emulator.cpu.conformance.CpuDifferences;
import dev.strata.emulator.cpu.conformance.InterpreterConformanceCpu;
import dev.strata.emulator.cpu.conformance.OpcodeResult;
import dev.strata.emulator.cpu.translate.JitMode;
import dev.strata.guests.SharedData;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Runs every 80286 real-mode vector on Strata's CPU, interpreted and with every block translated: at least 99.5 %
 * overall and 98 % on every opcode that is not skipped, and the two tiers alike test for test.
 */
class CpuConformanceTest {
    @Test
    void theInterpreterAndTranslatedBlocksMatchThe80286Vectors() throws IOException {
        ConformanceReport interpreted = check(JitMode.OFF);
        ConformanceReport translated = check(JitMode.ALL);
        assertEquals(interpreted.passed(), translated.passed(), "tests passed interpreted and translated");
        assertEquals(interpreted.skipped(), translated.skipped(), "skips");
    }

    private static ConformanceReport check(JitMode jit) throws IOException {
        Optional<Path> dir = SharedData.find("cpu-tests/80286-real");
        Assumptions.assumeTrue(dir.isPresent(), "80286 vectors not available");
        StringWriter log = new StringWriter();
        InterpreterConformanceCpu cpu = new InterpreterConformanceCpu(jit);
        ConformanceReport report = new ConformanceRunner(cpu, CpuDifferences.loadDefault(),
                ConformanceOptions.defaults(), new PrintWriter(log)).run(ConformanceSuite.open(dir.get()));
        // a block the translator fails on runs interpreted: the counts would match without a translated run
        assertEquals(0, cpu.cpu().stats().untranslatable(), "blocks the translator failed on");
        List<String> weak = report.opcodes().stream()
                .filter(o -> o.passed() + o.failed() > 0 && o.passRate() < 98.0)
                .map(o -> String.format(Locale.ROOT, "%s %.1f %%", o.key(), o.passRate()))
                .toList();
        String summary = String.format(Locale.ROOT, "%d passed, %d failed, %d skipped: %.3f %%", report.passed(),
                report.failed(), report.skipped(), report.passRate());
        System.out.println("CPU conformance (80286 real mode, jit " + jit + "): " + summary);
        if (report.passRate() < 99.5 || !weak.isEmpty()) {
            System.out.println(log);
        }
        assertTrue(report.passRate() >= 99.5, "overall pass rate below 99.5 %: " + summary);
        assertTrue(weak.isEmpty(), "opcodes below 98 %: " + weak);
        assertTrue(report.opcodes().stream().mapToInt(OpcodeResult::passed).sum() > 100_000,
                "far fewer tests ran than the set holds: " + summary);
        return report;
    }
}
