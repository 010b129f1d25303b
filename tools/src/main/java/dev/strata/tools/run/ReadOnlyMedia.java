package dev.strata.tools.run;

import dev.strata.storage.StorageException;
import dev.strata.storage.media.MediaRegistry;
import dev.strata.storage.media.MediumType;
import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * Tells {@code strata run} which hard disk images are registered as {@code readonly} media in the media registry,
 * so the machine opens them read-only and the guest sees write errors. An unreadable registry is reported and
 * treated as empty: a plain image file needs no registry.
 */
final class ReadOnlyMedia {

    private ReadOnlyMedia() {
    }

    static boolean isReadOnly(Path image, PrintWriter err) {
        try {
            return MediaRegistry.load().findByPath(image)
                    .map(m -> m.type() == MediumType.READONLY).orElse(false);
        } catch (StorageException | RuntimeException e) {
            err.println("strata run: could not read the media registry (" + e.getMessage() + "); treating "
                    + image + " as an unregistered image");
            return false;
        }
    }
}
