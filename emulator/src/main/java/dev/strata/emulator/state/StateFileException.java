package dev.strata.emulator.state;

import java.io.IOException;

/** A saved-state file that cannot be used: foreign, corrupt, truncated, or made for a different machine. */
public final class StateFileException extends IOException {

    public StateFileException(String message) {
        super(message);
    }

    public StateFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
