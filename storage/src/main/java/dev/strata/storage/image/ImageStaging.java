package dev.strata.storage.image;

import dev.strata.storage.StorageException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

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

    /** The name {@code file} will be published under: its own, or the target's for a partial name. */
    public static String publishedName(Path file) {
        String n = file.getFileName().toString();
        return n.startsWith(".") && n.endsWith(PARTIAL_SUFFIX) && n.length() > PARTIAL_SUFFIX.length() + 1
                ? n.substring(1, n.length() - PARTIAL_SUFFIX.length()) : n;
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
        removePartial(partial);
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

    /**
     * Removes a partial image after a failure, with the companion files it made beside it (a VMDK's extents, which
     * carry their final names); the error that led here matters more than one from this.
     */
    public static void abandon(Path partial) {
        try {
            removePartial(partial);
        } catch (IOException e) {
            // keep the original error
        }
    }

    /**
     * Deletes a partial image and the files beside it that it names as its own: they were created with it (never
     * over an existing file), so nothing else owns them.
     */
    private static void removePartial(Path partial) throws IOException {
        if (!Files.exists(partial, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        List<Path> companions = List.of();
        try (DiskImage d = DiskImages.open(partial, true)) {
            Path folder = partial.toAbsolutePath().getParent();
            companions = d.files().stream().map(f -> f.toAbsolutePath().normalize())
                    .filter(f -> !f.equals(partial.toAbsolutePath().normalize()) && folder.equals(f.getParent()))
                    .toList();
        } catch (IOException | RuntimeException e) {
            // a copy cut short may not open; its main file goes all the same
        }
        for (Path f : companions) {
            Files.deleteIfExists(f);
        }
        Files.deleteIfExists(partial);
    }

    private static void syncFolder(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // folders cannot be forced on every OS; the rename is then as durable as it gets
        }
    }
}
