package dev.strata.storage.image;

/** What an image holds for one of its blocks; chains use it to decide where a read is served from. */
public enum BlockState {
    /** The image stores data for this block. */
    ALLOCATED,
    /** The image records the block as all zeros without storing it (reads give zeros, never the parent's data). */
    ZERO,
    /** The image holds nothing for this block: a differencing image defers to its parent, a base image reads zeros. */
    UNALLOCATED;
}
