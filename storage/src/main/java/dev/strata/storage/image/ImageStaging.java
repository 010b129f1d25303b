package dev.strata.storage.image;

import dev.strata.storage.StorageException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Builds a new image (a clone, say) under a hidden partial name beside its target and gives it the target's name
 * only once it is complete and on disk, so an interrupted copy never leaves a file that looks whole. The partial
 * name ({@code .NAME.strata-partial}) is hidden, has no image extension (so no parent search or listing takes it
 * for an image), and a leftover from a killed run is removed by the next attempt.
 */
public final class ImageStaging {
    /** What a partial file's name ends with. */
    public static final String PARTIAL_SUFFIX = ".strata-partial";

    private ImageStaging() {
    }

    /** The partial name for {@code target}: in the same folder, so publishing is a rename. */
    public static Path partialPath(Path target) {
        Path abs = target.toAbsolutePath().normalize();
        return abs.resolveSibling("." + abs.getFileName() + PARTIAL_SUFFIX);
    }

    /**
     * Starts building {@code target}: fails if it exists, removes a partial file left by an interrupted earlier
     * attempt, and returns the partial path to create the image at.
     */
    public static Path begin(Path target) throws IOException {
        Path abs = target.toAbsolutePath().normalize();
        if (Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) {
            throw new StorageException(abs, "already exists; Strata never overwrites an image: choose another name "
                    + "or delete the file first");
        }
        Path partial = partialPath(abs);
        Files.deleteIfExists(partial);
        return partial;
    }

    /**
     * Gives the complete, closed image at {@code partial} the name {@code target}: forces it to disk, links it
     * under the target name (which fails rather than replace a file that appeared meanwhile), removes the
     * partial name and syncs the folder.
     */
    public static void publish(Path partial, Path target) throws IOException {
        Path abs = target.toAbsolutePath().normalize();
        try (FileChannel ch = FileChannel.open(partial, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        try {
            Files.createLink(abs, partial);
            Files.delete(partial);
        } catch (FileAlreadyExistsException e) {
            throw new StorageException(abs, "appeared while the copy was being made; the copy is kept as "
                    + partial.getFileName() + ": rename it yourself, or delete it");
        } catch (UnsupportedOperationException | IOException e) {
            if (Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) {
                throw e;
            }
            // no hard links on this file system: a plain rename, after the check above
            Files.move(partial, abs);
        }
        syncFolder(abs.getParent());
    }

    /** Removes a partial file after a failure; the error that led here matters more than one from this. */
    public static void abandon(Path partial) {
        try {
            Files.deleteIfExists(partial);
        } catch (IOException e) {
            // keep the original error
        }
    }

    private static void syncFolder(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // folders cannot be forced on every OS; the rename is then as durable as it gets
        }
    }
}
