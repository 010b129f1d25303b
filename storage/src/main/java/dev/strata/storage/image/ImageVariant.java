package dev.strata.storage.image;

/** How an image allocates its space, in VirtualBox's words. */
public enum ImageVariant {
    /** Grows as blocks are written ("dynamic"). */
    STANDARD,
    /** All space allocated at creation. */
    FIXED,
    /** A differencing image: holds only what was written since it was created, over a parent. */
    DIFF;
}
