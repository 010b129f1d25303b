package dev.strata.tools.run;

import dev.strata.storage.StorageException;
import dev.strata.storage.media.MediaRegistry;
import java.io.PrintWriter;

/**
 * The media registry as {@code strata run} uses it: a disk it registered opens as its registered format (and
 * finds its parents there first). An unreadable registry is reported and treated as absent: a plain image file
 * needs no registry, and its format then comes from its content.
 */
final class RunRegistry {
    private RunRegistry() {
    }

    /** The registry, or null when it cannot be read. */
    static MediaRegistry load(PrintWriter err) {
        try {
            return MediaRegistry.load();
        } catch (StorageException | RuntimeException e) {
            err.println("strata run: could not read the media registry (" + e.getMessage() + "); opening the disks "
                    + "as unregistered images");
            return null;
        }
    }
}
