package dev.strata.vm.scenario;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs a scenario's steps on a {@link ScenarioMachine} of its own, so a scenario passes or fails the same way on every
 * run and every host, and the images it names are only read. What a run leaves in its output folder:
 * {@code serial.log} and {@code screen.txt}; after a failure also {@code failed.sav}, the machine's state at that
 * point ({@code strata run --restore-state} resumes it).
 */
public final class ScenarioRunner {

    /** The files a run leaves in its output folder. */
    public static final String SERIAL = "serial.log";
    public static final String SCREEN = "screen.txt";
    public static final String FAILED_STATE = "failed.sav";

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
        for (String f : List.of(SERIAL, SCREEN, FAILED_STATE)) {
            Files.deleteIfExists(out.resolve(f));
        }
        long start = System.nanoTime();
        int failed = -1;
        String why = null;
        try (ScenarioMachine m = ScenarioMachine.powerOn(scenario.machine(), out)) {
            machine = m;
            List<Step> steps = scenario.steps();
            for (int i = 0; i < steps.size() && why == null; i++) {
                why = perform(steps.get(i));
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
            return new ScenarioResult(scenario, failed, why, out, serial, screen, m.instructions(), m.guestNanos(),
                    System.nanoTime() - start);
        }
    }

    /** Does {@code step}; returns why it failed, or null. */
    private String perform(Step step) throws IOException {
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
            machine.saveState(out.resolve(ss.file()));
            return null;
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
