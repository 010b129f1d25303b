package dev.strata.storage.image;

import dev.strata.storage.StorageException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The files of an image while a driver writes it: the main file, open under a temporary name until it is complete,
 * and the companion files some formats keep beside it (a VMDK descriptor's extents), created under their final
 * names because the main file refers to them by name. If creation fails, every file made here is removed.
 */
public final class NewImageFiles {
    private final Path target;
    private final FileChannel main;
    private final List<Path> companions = new ArrayList<>();
    private final List<FileChannel> open = new ArrayList<>();

    NewImageFiles(Path target, FileChannel main) {
        this.target = target;
        this.main = main;
    }

    /** The name the main file gets once it is complete (absolute). */
    public Path target() {
        return target;
    }

    /**
     * The file name the image is known by once published: the target's, or for a copy built under a partial name
     * ({@link ImageStaging}) the final one, so companion files and names recorded inside the image match it.
     */
    public String publishedName() {
        return ImageStaging.publishedName(target);
    }

    /** The main file, empty when the driver starts writing. */
    public FileChannel main() {
        return main;
    }

    /**
     * Creates the companion file {@code fileName} beside the target, refusing to replace an existing file, and
     * returns it open for writing; it is forced to disk and closed with the main file.
     */
    public FileChannel companion(String fileName) throws IOException {
        Path p = target.resolveSibling(fileName);
        FileChannel ch;
        try {
            ch = FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.READ);
        } catch (FileAlreadyExistsException e) {
            throw new StorageException(p, "already exists; Strata never overwrites a file of an image: choose "
                    + "another name for " + target.getFileName() + " or delete the file first");
        }
        companions.add(p);
        open.add(ch);
        return ch;
    }

    /** Forces and closes the companion files. */
    void finish() throws IOException {
        for (FileChannel ch : open) {
            ch.force(true);
            ch.close();
        }
        open.clear();
    }

    /** Removes the companion files after a failure; the error that led here matters more than one from this. */
    void abandon() {
        for (FileChannel ch : open) {
            try {
                ch.close();
            } catch (IOException e) {
                // keep the original error
            }
        }
        for (Path p : companions) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                // keep the original error
            }
        }
    }
}
