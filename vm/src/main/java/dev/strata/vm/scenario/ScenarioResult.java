package dev.strata.vm.scenario;

import java.nio.file.Path;

/**
 * How one run of a scenario went.
 *
 * @param failedStep   the index of the step that failed, -1 when all passed, or {@link #MACHINE} when the machine
 *                     could not be powered on
 * @param message      why it failed (null when it passed)
 * @param output       the folder holding the run's serial log, final screen and, after a failure, its saved state
 * @param instructions guest instructions run
 * @param virtualNanos guest time at the end
 * @param hostNanos    host time the run took
 * @param screens      what {@code --update-screens} did with each expected picture, a line each
 */
public record ScenarioResult(Scenario scenario, int failedStep, String message, Path output, String serial,
        String screen, long instructions, long virtualNanos, long hostNanos, java.util.List<String> screens) {

    /** The {@link #failedStep} of a run whose machine could not be powered on (a VM that is running, say). */
    public static final int MACHINE = -2;

    public ScenarioResult {
        screens = java.util.List.copyOf(screens);
    }

    public boolean passed() {
        return failedStep == -1;
    }

    /** One line: the scenario, PASS or FAIL with the step and why, and the run's figures. */
    public String summary() {
        String figures = String.format(java.util.Locale.ROOT, "(%.2f s, %,d instructions, %s s of guest time)",
                hostNanos / 1e9, instructions, Scenario.seconds(virtualNanos / 1_000_000 * 1_000_000));
        if (failedStep == MACHINE) {
            return "FAIL " + scenario.name() + ": machine (" + scenario.machine().describe() + "): " + message;
        }
        return passed() ? "PASS " + scenario.name() + " " + figures
                : "FAIL " + scenario.name() + ": step " + (failedStep + 1) + " ("
                + scenario.steps().get(failedStep).describe() + "): " + message + " " + figures;
    }
}
