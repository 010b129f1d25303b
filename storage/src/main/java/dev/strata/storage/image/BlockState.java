package dev.strata.storage.image;

/** What an image holds for one of its blocks; chains use it to decide where a read is served from. */
public enum BlockState {
    /** The image stores data for this block. */
    ALLOCATED,
    /** The image records the block as all zeros without storing it (reads give zeros, never the parent's data). */
    ZERO,
    /**
     * The image stores some of this block's sectors and holds nothing for the others ({@link DiskImage#holdsSector}
     * tells which): a differencing VHD whose sector bitmap marks only some sectors, as VirtualBox and Virtual PC
     * write them. Its sectors read as {@link #ALLOCATED} and {@link #UNALLOCATED} blocks do.
     */
    PARTIAL,
    /** The image holds nothing for this block: a differencing image defers to its parent, a base image reads zeros. */
    UNALLOCATED;

    /** True when the image stores data for at least part of the block. */
    public boolean holdsData() {
        return this == ALLOCATED || this == PARTIAL;
    }
}
