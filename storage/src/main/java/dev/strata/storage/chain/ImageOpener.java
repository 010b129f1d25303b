package dev.strata.storage.chain;

import dev.strata.storage.image.DiskImage;

import java.io.IOException;
import java.nio.file.Path;

/** Opens one image file with the right driver; chains and resolvers use it so tests can supply their own. */
@FunctionalInterface
public interface ImageOpener {

    /** Opens {@code path}; a read-only open must never change the file. */
    DiskImage open(Path path, boolean readOnly) throws IOException;
}
