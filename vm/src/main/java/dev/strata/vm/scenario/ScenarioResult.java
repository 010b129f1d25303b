package dev.strata.vm.scenario;

import java.nio.file.Path;

/**
 * How one run of a scenario went.
 *
 * @param failedStep   the index of the step that failed, or -1 when all passed
 * @param message      why it failed (null when it passed)
 * @param output       the folder holding the run's serial log, final screen and, after a failure, its saved state
 * @param instructions guest instructions run
 * @param virtualNanos guest time at the end
 * @param hostNanos    host time the run took
 */
public record ScenarioResult(Scenario scenario, int failedStep, String message, Path output, String serial,
        String screen, long instructions, long virtualNanos, long hostNanos) {

    public boolean passed() {
        return failedStep < 0;
    }

    /** One line: the scenario, PASS or FAIL with the step and why, and the run's figures. */
    public String summary() {
        String figures = String.format(java.util.Locale.ROOT, "(%.2f s, %,d instructions, %s s of guest time)",
                hostNanos / 1e9, instructions, Scenario.seconds(virtualNanos / 1_000_000 * 1_000_000));
        return passed() ? "PASS " + scenario.name() + " " + figures
                : "FAIL " + scenario.name() + ": step " + (failedStep + 1) + " ("
                + scenario.steps().get(failedStep).describe() + "): " + message + " " + figures;
    }
}
