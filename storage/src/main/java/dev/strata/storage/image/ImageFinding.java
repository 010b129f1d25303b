package dev.strata.storage.image;

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

    @Override
    public String toString() {
        return describe();
    }
}
