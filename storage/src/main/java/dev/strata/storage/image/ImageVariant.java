package dev.strata.storage.image;

/**
 * How an image allocates its space and lays out its files, in VirtualBox's words (its MediumVariant flags, of which
 * Strata names the combinations it makes).
 */
public enum ImageVariant {
    /** Grows as blocks are written ("dynamic"). */
    STANDARD,
    /** All space allocated at creation. */
    FIXED,
    /** A differencing image: holds only what was written since it was created, over a parent. */
    DIFF,
    /** Grows as blocks are written, in extent files of at most 2 GiB (VMDK twoGbMaxExtentSparse; "Split2G"). */
    SPLIT_2G,
    /** All space allocated, in extent files of at most 2 GiB (VMDK twoGbMaxExtentFlat; "Fixed,Split2G"). */
    SPLIT_2G_FIXED,
    /**
     * Compressed grains written once, in disk order (VMDK streamOptimized, as OVA exports carry them; "Stream"):
     * made whole from a source disk and only read afterwards.
     */
    STREAM;

    /** The name VirtualBox users know: Standard, Fixed, Diff, Split2G, "Fixed,Split2G" or Stream. */
    public String displayName() {
        return switch (this) {
            case STANDARD -> "Standard";
            case FIXED -> "Fixed";
            case DIFF -> "Diff";
            case SPLIT_2G -> "Split2G";
            case SPLIT_2G_FIXED -> "Fixed,Split2G";
            case STREAM -> "Stream";
        };
    }

    /** True when every block's space is allocated at creation (a shareable disk must be one, compact skips it). */
    public boolean fixed() {
        return this == FIXED || this == SPLIT_2G_FIXED;
    }

    /**
     * True for a layout that cannot take writes once made: such an image is created in one pass from the disk it is
     * to hold ({@link DiskImages#createCopy}) and opened read-only afterwards.
     */
    public boolean writeOnce() {
        return this == STREAM;
    }
}
