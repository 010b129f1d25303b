package dev.strata.storage;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A storage error a user can act on: it names the file, the field or offset at fault, and what to do.
 * The message is written for people; callers print it as it is, without a stack trace.
 */
public class StorageException extends IOException {
    private static final long serialVersionUID = 1L;

    private final Path file;

    public StorageException(Path file, String message) {
        super(file == null ? message : file + ": " + message);
        this.file = file;
    }

    public StorageException(Path file, String message, Throwable cause) {
        super(file == null ? message : file + ": " + message, cause);
        this.file = file;
    }

    /** The file the error is about, or null when it concerns no single file. */
    public Path file() {
        return file;
    }
}
