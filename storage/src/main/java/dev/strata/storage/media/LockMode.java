package dev.strata.storage.media;

/** The kind of host file lock a Strata process holds on an image it has open. */
public enum LockMode {
    /** Readers (and writers of shareable images): any number of Strata processes together. */
    SHARED,
    /** One writer, and nobody else. */
    EXCLUSIVE;
}
