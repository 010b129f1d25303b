package dev.strata.vm.scenario;

import dev.strata.emulator.cpu.trace.RingTraceLog;
import dev.strata.emulator.cpu.trace.TraceFilter;
import dev.strata.emulator.cpu.trace.TraceRecorder;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs a scenario's steps on a {@link ScenarioMachine} of its own, so a scenario passes or fails the same way on every
 * run and every host, and the images it names are only read. What a run leaves in its output folder:
 * {@code serial.log} and {@code screen.txt}; after a failure also {@code failed.sav}, the machine's state at that
 * point ({@code strata run --restore-state} resumes it), and {@code trace.txt}, the last instructions before it.
 *
 * <p>The trace costs a passing run nothing: a failed scenario is run a second time up to its failing step with the
 * CPU traced into a ring from shortly before the instruction the failure came at. Runs are deterministic, so the
 * second run takes the same path; the trace's last line says at which instruction it ended, to compare.
 */
public final class ScenarioRunner {

    /** The files a run leaves in its output folder. */
    public static final String SERIAL = "serial.log";
    public static final String SCREEN = "screen.txt";
    public static final String FAILED_STATE = "failed.sav";
    public static final String TRACE = "trace.txt";
    /** How many of the last instructions before a failure {@link #TRACE} shows. */
    static final int TRACED_INSTRUCTIONS = 20_000;

    private final Scenario scenario;
    private final Path out;
    private ScenarioMachine machine;

    private ScenarioRunner(Scenario scenario, Path out) {
        this.scenario = scenario;
        this.out = out;
    }

    /** Runs {@code scenario}, leaving its files in {@code out} (created, emptied of an earlier run's files). */
    public static ScenarioResult run(Scenario scenario, Path out) throws IOException {
        return new ScenarioRunner(scenario, out).run();
    }

    private ScenarioResult run() throws IOException {
        Files.createDirectories(out);
        for (String f : List.of(SERIAL, SCREEN, FAILED_STATE, TRACE)) {
            Files.deleteIfExists(out.resolve(f));
        }
        long start = System.nanoTime();
        int failed = -1;
        String why = null;
        ScenarioResult result;
        try (ScenarioMachine m = ScenarioMachine.powerOn(scenario.machine(), out)) {
            machine = m;
            List<Step> steps = scenario.steps();
            for (int i = 0; i < steps.size() && why == null; i++) {
                why = perform(steps.get(i), out);
                if (why != null) {
                    failed = i;
                } else if (steps.get(i) instanceof Step.PowerOff || steps.get(i) instanceof Step.ExpectExit) {
                    break;
                }
            }
            String screen = m.screen();
            String serial = m.serial();
            Files.writeString(out.resolve(SCREEN), screen);
            Files.write(out.resolve(SERIAL), serial.getBytes(StandardCharsets.ISO_8859_1));
            if (failed >= 0 && !m.poweredOff()) {
                m.saveState(out.resolve(FAILED_STATE));
            }
            result = new ScenarioResult(scenario, failed, why, out, serial, screen, m.instructions(), m.guestNanos(),
                    System.nanoTime() - start);
        }
        if (failed >= 0) {
            traceUpTo(failed, result.instructions());
        }
        return result;
    }

    /**
     * Runs the scenario again up to its failing step {@code failed}, tracing the last {@link #TRACED_INSTRUCTIONS}
     * before {@code instructions} into {@link #TRACE}; its save-state steps are not done again.
     */
    private void traceUpTo(int failed, long instructions) throws IOException {
        Path scratch = Files.createTempDirectory(out, ".trace-");
        try (BufferedWriter w = Files.newBufferedWriter(out.resolve(TRACE), StandardCharsets.UTF_8);
             ScenarioMachine m = ScenarioMachine.powerOn(scenario.machine(), scratch)) {
            machine = m;
            TraceFilter from = TraceFilter.ALL.from(Math.max(0, instructions - TRACED_INSTRUCTIONS));
            try (TraceRecorder recorder = new TraceRecorder(from, new RingTraceLog(TRACED_INSTRUCTIONS, w))
                    .attach(m.machine().cpu())) {
                for (int i = 0; i <= failed; i++) {
                    Step step = scenario.steps().get(i);
                    // states were saved and host commands run once already; neither changes what the guest does
                    if (!(step instanceof Step.SaveState) && !(step instanceof Step.Host)) {
                        perform(step, scratch);
                    }
                }
            }
        } finally {
            try (var walk = Files.walk(scratch)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private String fileContains(Step.FileContains f) {
        try {
            java.util.Optional<byte[]> content = machine.readFile(f.disk(), f.path());
            if (content.isEmpty()) {
                return "there is no such file";
            }
            return new String(content.get(), StandardCharsets.ISO_8859_1).contains(f.text()) ? null
                    : "the file does not hold it";
        } catch (IOException e) {
            return e.getMessage();
        }
    }

    /** Does {@code step}, saving states in {@code states}; returns why it failed, or null. */
    private String perform(Step step, Path states) throws IOException {
        if (step instanceof Step.Wait w) {
            return machine.waitFor(w.text(), w.timeoutNanos());
        }
        if (step instanceof Step.Type t) {
            machine.type(t.text());
            return null;
        }
        if (step instanceof Step.ScreenContains c) {
            return machine.screen().contains(c.text()) ? null : "the screen does not show it";
        }
        if (step instanceof Step.SerialContains c) {
            return machine.serial().contains(c.text()) ? null : "COM1 has not sent it";
        }
        if (step instanceof Step.Sleep sl) {
            return machine.sleep(sl.nanos());
        }
        if (step instanceof Step.SaveState ss) {
            machine.saveState(states.resolve(ss.file()));
            return null;
        }
        if (step instanceof Step.FileContains f) {
            return fileContains(f);
        }
        if (step instanceof Step.Host h) {
            // what the guest said and shows so far, for the command to look at
            Files.write(out.resolve(SERIAL), machine.serial().getBytes(StandardCharsets.ISO_8859_1));
            Files.writeString(out.resolve(SCREEN), machine.screen());
            return HostCommand.run(h, out);
        }
        if (step instanceof Step.ExpectExit x) {
            return machine.expectExit(x.end(), x.timeoutNanos());
        }
        if (step instanceof Step.PowerOff) {
            return machine.powerOff();
        }
        throw new IllegalStateException("a step the runner does not know: " + step);
    }
}
