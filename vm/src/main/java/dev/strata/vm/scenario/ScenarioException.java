package dev.strata.vm.scenario;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A scenario file Strata cannot run: the message names the file, the line, the place in it and what to write
 * instead ({@code s.yaml:4: steps[1].wait.timeout: ...}).
 */
public final class ScenarioException extends IOException {
    public ScenarioException(Path file, String where, String message) {
        this(file, -1, where, message);
    }

    /** A mistake at {@code where}, on {@code line} of the file (-1 when unknown). */
    public ScenarioException(Path file, int line, String where, String message) {
        super(file + (line > 0 ? ":" + line : "") + (where.isEmpty() ? "" : ": " + where) + ": " + message);
    }
}
