package dev.strata.storage.image;

import dev.strata.storage.StorageException;
import java.nio.file.Path;

/**
 * One result of a structural check of an image file: how bad it is, which field and byte offset it concerns,
 * and a message for people that says what is wrong and what to do.
 */
public record ImageFinding(Severity severity, String field, long offset, String message) {

    /** How much a finding matters. */
    public enum Severity {
        /** The image cannot be opened safely; Strata refuses it. */
        ERROR,
        /** The image opens and reads correctly, but something is off (often repairable, or a problem for other tools). */
        WARNING,
        /** Worth knowing, nothing wrong. */
        INFO
    }

    /** One line: severity, field, offset and message. */
    public String describe() {
        String where = offset < 0 ? field : field + " at byte offset " + VdiLayout.hex(offset);
        return severity + ": " + where + ": " + message;
    }

    /**
     * The error that refuses to open {@code path}: the first of its {@code errors} error findings, and how many more
     * a check lists.
     */
    public static StorageException openRefusal(Path path, ImageFinding first, long errors) {
        long more = errors - 1;
        return new StorageException(path, first.field() + (first.offset() < 0 ? "" : " at byte offset "
                + VdiLayout.hex(first.offset())) + ": " + first.message() + (more > 0 ? " (and " + more
                + " more problems: run 'strata medium check')" : ""));
    }

    @Override
    public String toString() {
        return describe();
    }
}
