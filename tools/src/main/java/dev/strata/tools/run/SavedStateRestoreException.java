package dev.strata.tools.run;

import java.io.IOException;

/**
 * A run that was to start from a saved state could not restore it (missing, damaged, newer or made for another
 * machine); the machine never ran, so nothing the state describes has changed.
 */
public final class SavedStateRestoreException extends IOException {
    private static final long serialVersionUID = 1L;

    SavedStateRestoreException(Throwable cause) {
        super(cause.getMessage(), cause);
    }
}
