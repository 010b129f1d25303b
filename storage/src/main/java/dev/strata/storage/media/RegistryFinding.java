package dev.strata.storage.media;

/** One problem {@link MediaRegistry#validate()} found, in words a user can act on. */
public record RegistryFinding(Kind kind, String message) {

    /** What is wrong. */
    public enum Kind {
        /** Two entries share one UUID. */
        DUPLICATE_UUID,
        /** Two entries name the same file. */
        DUPLICATE_PATH,
        /** A registered image file is gone. */
        MISSING_FILE,
        /** A differencing image names a parent that is not registered. */
        UNKNOWN_PARENT,
        /** Following parent links comes back to where it started. */
        PARENT_CYCLE,
        /** The file cannot be opened as what the registry says it is. */
        UNREADABLE_FILE,
        /** The file holds another format than the registered one. */
        FORMAT_MISMATCH,
        /** The file's UUID is not the registered one. */
        UUID_MISMATCH,
        /** The file names another parent than the registered one. */
        PARENT_MISMATCH,
        /**
         * The file names its registered parent's parent: a merge of that parent was interrupted after it re-pointed
         * this image and before the registry followed. The chain reads right; rerunning the merge finishes it.
         */
        INTERRUPTED_MERGE,
        /** The file's size is not the registered one, or not its parent's. */
        SIZE_MISMATCH;
    }

    /** True for a finding that leaves every chain readable and says how to finish what was interrupted. */
    public boolean harmless() {
        return kind == Kind.INTERRUPTED_MERGE;
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ": " + message;
    }
}
