package dev.strata.vm.scenario;

import dev.strata.emulator.cpu.trace.RingTraceLog;
import dev.strata.emulator.cpu.trace.TraceFilter;
import dev.strata.emulator.cpu.trace.TraceRecorder;
import dev.strata.emulator.display.Frame;
import dev.strata.emulator.display.FramePng;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a scenario's steps on a {@link ScenarioMachine} of its own, so a scenario passes or fails the same way on every
 * run and every host, and the images it names are only read. What a run leaves in its output folder:
 * {@code serial.log} and {@code screen.txt}; after a failure also {@code failed.sav}, the machine's state at that
 * point ({@code strata run --restore-state} resumes it), and {@code trace.txt}, the last instructions before it; after
 * a failed screen compare {@code actual.png} and {@code diff.png}.
 *
 * <p>The trace costs a passing run nothing: a failed scenario is run a second time up to its failing step with the
 * CPU traced into a ring from shortly before the instruction the failure came at. Runs are deterministic, so the
 * second run takes the same path; the trace's last line says at which instruction it ended, to compare. A persisting
 * VM run copies the files its guest may write before it starts, and is replayed on those copies, so the VM changes
 * only once.
 */
public final class ScenarioRunner {

    /** The files a run leaves in its output folder. */
    public static final String SERIAL = "serial.log";
    public static final String SCREEN = "screen.txt";
    public static final String FAILED_STATE = "failed.sav";
    public static final String TRACE = "trace.txt";
    /** What the screen showed when a screen compare failed, and its differences from the expected picture in red. */
    public static final String ACTUAL_PNG = "actual.png";
    public static final String DIFF_PNG = "diff.png";
    /** How many of the last instructions before a failure {@link #TRACE} shows. */
    static final int TRACED_INSTRUCTIONS = 20_000;

    private final Scenario scenario;
    private final Path out;
    private final ScenarioOptions options;
    private final List<String> screenUpdates = new ArrayList<>();
    private ScenarioMachine machine;
    /** True on the trace's second run, which must not write anything a user sees. */
    private boolean rerun;

    private ScenarioRunner(Scenario scenario, Path out, ScenarioOptions options) {
        this.scenario = scenario;
        this.out = out;
        this.options = options;
    }

    /** Runs {@code scenario}, leaving its files in {@code out} (created, emptied of an earlier run's files). */
    public static ScenarioResult run(Scenario scenario, Path out) throws IOException {
        return run(scenario, out, ScenarioOptions.defaults());
    }

    /** As {@link #run(Scenario, Path)}, with VMs from {@code options}' home and its screen updates. */
    public static ScenarioResult run(Scenario scenario, Path out, ScenarioOptions options) throws IOException {
        return new ScenarioRunner(scenario, out, options).run();
    }

    private ScenarioResult run() throws IOException {
        Files.createDirectories(out);
        for (String f : List.of(SERIAL, SCREEN, FAILED_STATE, TRACE, ACTUAL_PNG, DIFF_PNG)) {
            Files.deleteIfExists(out.resolve(f));
        }
        long start = System.nanoTime();
        ScenarioMachine powered;
        // a persisting run changes its VM's disks: copies of them as it found them let the trace replay it
        Path startCopies = persists() ? Files.createTempDirectory(out, ".start-") : null;
        try {
            powered = startCopies == null ? ScenarioMachine.powerOn(scenario.machine(), out, options.vms())
                    : ScenarioMachine.powerOnKeepingStart(scenario.machine(), out, options.vms(), startCopies);
        } catch (IOException e) {
            deleteTree(startCopies);
            return new ScenarioResult(scenario, ScenarioResult.MACHINE, e.getMessage(), out, "", "", 0, 0,
                    System.nanoTime() - start, List.of());
        }
        try {
            return runSteps(powered, start);
        } finally {
            deleteTree(startCopies);
        }
    }

    /** Runs the steps on {@code powered}, keeps what a run leaves, and on a failure the trace of a replay. */
    private ScenarioResult runSteps(ScenarioMachine powered, long start) throws IOException {
        int failed = -1;
        String why = null;
        ScenarioResult result;
        List<RunDisks.Drive> startDrives = powered.startDrives();
        long failedAt = 0;
        try (ScenarioMachine m = powered) {
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
            failedAt = m.machine().cpu().instructions;
            String screen = m.screen();
            String serial = m.serial();
            Files.writeString(out.resolve(SCREEN), screen);
            Files.write(out.resolve(SERIAL), serial.getBytes(StandardCharsets.ISO_8859_1));
            if (failed >= 0 && !m.poweredOff()) {
                m.saveState(out.resolve(FAILED_STATE));
            }
            result = new ScenarioResult(scenario, failed, why, out, serial, screen, m.instructions(), m.guestNanos(),
                    System.nanoTime() - start, screenUpdates);
        }
        if (failed >= 0) {
            traceUpTo(failed, failedAt, startDrives);
        }
        return result;
    }

    private boolean persists() {
        return scenario.machine() instanceof VmSpec vm && vm.persist();
    }

    /**
     * Runs the scenario again up to its failing step {@code failed}, tracing the last {@link #TRACED_INSTRUCTIONS}
     * before the failing machine's instruction {@code instructions} into {@link #TRACE}; its states are saved in a
     * scratch folder, and its host commands are not run again. A persisting run is replayed on {@code start}, the
     * copies of its VM's drives as it found them, under a throwaway layer: the VM is not changed twice.
     */
    private void traceUpTo(int failed, long instructions, List<RunDisks.Drive> start) throws IOException {
        Path scratch = Files.createTempDirectory(out, ".trace-");
        rerun = true;
        try (BufferedWriter w = Files.newBufferedWriter(out.resolve(TRACE), StandardCharsets.UTF_8);
             ScenarioMachine m = start == null ? ScenarioMachine.powerOn(scenario.machine(), scratch, options.vms())
                     : ScenarioMachine.replay((VmSpec) scenario.machine(), start, scratch, options.vms())) {
            machine = m;
            TraceFilter from = TraceFilter.ALL.from(Math.max(0, instructions - TRACED_INSTRUCTIONS));
            try (TraceRecorder recorder = new TraceRecorder(from, new RingTraceLog(TRACED_INSTRUCTIONS, w))
                    .attach(m.machine().cpu())) {
                // a power cycle or a restore builds a new machine: the trace follows it
                m.onNewMachine(pc -> recorder.attach(pc.cpu()));
                for (int i = 0; i <= failed; i++) {
                    Step step = scenario.steps().get(i);
                    // host commands ran once already and do not change what the guest does
                    if (!(step instanceof Step.Host)) {
                        perform(step, scratch);
                    }
                }
            }
        } finally {
            deleteTree(scratch);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * Waits for the screen to match the step's picture; on failure leaves what it showed and the differences in the
     * output folder. With {@code --update-screens} it writes the picture from the screen as the run reaches the step
     * instead (unless the picture there already matches), so the next run matches at once.
     */
    private String screenMatches(Step.ScreenMatches sm) throws IOException {
        ScreenMatch.Rules rules = new ScreenMatch.Rules(sm.tolerance(), sm.maxDiffering(), sm.mask());
        Path name = scenario.file().toAbsolutePath().getParent().relativize(sm.png());
        if (options.updateScreens()) {
            Frame now = machine.frame();
            ScreenMatch m = Files.isRegularFile(sm.png()) ? ScreenMatch.of(FramePng.read(sm.png()), now, rules) : null;
            if (rerun) {
                return null; // the trace's run takes the same path, and writes nothing
            }
            if (m != null && m.matches()) {
                screenUpdates.add(name + ": unchanged");
                return null;
            }
            Files.createDirectories(sm.png().toAbsolutePath().getParent());
            FramePng.write(now, sm.png());
            screenUpdates.add(name + (m == null ? ": written" : ": updated (" + m.why() + ")"));
            return null;
        }
        if (!Files.isRegularFile(sm.png())) {
            return "there is no picture " + sm.png() + " to compare with; strata test --update-screens writes it"
                    + " from the run";
        }
        Frame expected;
        try {
            expected = FramePng.read(sm.png());
        } catch (IOException e) {
            return "cannot read the expected picture: " + e.getMessage();
        }
        ScreenMatch m = machine.screenMatches(expected, rules, sm.timeoutNanos());
        if (m.matches()) {
            return null;
        }
        if (!rerun) {
            m.write(out.resolve(ACTUAL_PNG), out.resolve(DIFF_PNG));
        }
        return "the screen did not match within " + Scenario.seconds(sm.timeoutNanos()) + " s of guest time: "
                + m.why() + " (see " + ACTUAL_PNG + " and " + DIFF_PNG + ")";
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
        if (step instanceof Step.Keys k) {
            machine.keys(k.chords());
            return null;
        }
        if (step instanceof Step.ScreenContains c) {
            if (c.region() == null) {
                return machine.screen().contains(c.text()) ? null : "the screen does not show it";
            }
            String part = c.region().cut(machine.screen());
            return part.contains(c.text()) ? null : "the region shows " + Scenario.quote(part.stripTrailing());
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
        if (step instanceof Step.ScreenMatches sm) {
            return screenMatches(sm);
        }
        try {
            if (step instanceof Step.PowerCycle) {
                return machine.powerCycle();
            }
            if (step instanceof Step.Reset) {
                machine.reset();
                return null;
            }
            if (step instanceof Step.RestoreState rs) {
                machine.restoreState(states.resolve(rs.file()));
                return null;
            }
            if (step instanceof Step.Snapshot sn) {
                machine.snapshot(sn.name());
                return null;
            }
            if (step instanceof Step.RestoreSnapshot rs) {
                machine.restoreSnapshot(rs.name());
                return null;
            }
        } catch (IOException e) {
            return e.getMessage();
        }
        throw new IllegalStateException("a step the runner does not know: " + step);
    }
}
