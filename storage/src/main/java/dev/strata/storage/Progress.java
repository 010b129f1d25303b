package dev.strata.storage;

/** Receives the advance of a long storage operation (merge, clone, check) so a caller can show a progress bar. */
@FunctionalInterface
public interface Progress {

    /** A progress sink that ignores every update, for scripts and tests. */
    Progress NONE = (done, total) -> { };

    /**
     * Reports that {@code done} of {@code total} units (blocks or bytes, as the operation says) are finished.
     * Called from the thread doing the work; {@code done} never decreases and ends equal to {@code total}.
     */
    void update(long done, long total);
}
