package dev.strata.storage.chain;

import java.io.IOException;
import java.nio.file.Path;
import java.util.UUID;

/**
 * Finds the file of a differencing image's parent from the parent's UUID. The default looks in the child's
 * folder ({@link FolderParentResolver}); a media registry answers from what it has registered.
 */
@FunctionalInterface
public interface ParentResolver {

    /**
     * Returns the file that should hold the image with UUID {@code parent}, or null when none is known.
     * {@code child} is the file of the image naming that parent, a hint for where to look. The caller
     * opens the file and checks its UUID, so a resolver may answer from a stale record.
     */
    Path resolve(UUID parent, Path child) throws IOException;
}
