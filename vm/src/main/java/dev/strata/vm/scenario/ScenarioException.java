package dev.strata.vm.scenario;

import java.io.IOException;
import java.nio.file.Path;

/** A scenario file Strata cannot run: the message names the file, the place in it and what to write instead. */
public final class ScenarioException extends IOException {
    public ScenarioException(Path file, String where, String message) {
        super(file + (where.isEmpty() ? "" : ": " + where) + ": " + message);
    }
}
