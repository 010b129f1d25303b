package dev.strata.storage.chain;

import dev.strata.storage.image.ImageFormat;
import java.io.IOException;
import java.nio.file.Path;
import java.util.UUID;

/**
 * What a chain opener learns about a chain's files from outside them: the file of a differencing image's parent,
 * found from the parent's UUID, and the format recorded for a file. The default looks in the child's folder
 * ({@link FolderParentResolver}) and knows no formats; a media registry answers from what it has registered.
 */
@FunctionalInterface
public interface ParentResolver {

    /**
     * Returns the file that should hold the image with UUID {@code parent}, or null when none is known.
     * {@code child} is the file of the image naming that parent, a hint for where to look. The caller
     * opens the file and checks its UUID, so a resolver may answer from a stale record.
     */
    Path resolve(UUID parent, Path child) throws IOException;

    /**
     * The format recorded for {@code file} (by a registry or a VM's settings), or null when nothing is recorded
     * and the file's content decides. A recorded format is how the file opens, whatever its content says.
     */
    default ImageFormat knownFormat(Path file) throws IOException {
        return null;
    }
}
