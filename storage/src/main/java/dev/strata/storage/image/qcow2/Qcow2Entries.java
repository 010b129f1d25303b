package dev.strata.storage.image.qcow2;

/**
 * The bits of qcow2's L1 and L2 table entries: where a cluster lives in the file, whether it is compressed, reads as
 * zeros, or is used by this image alone (the COPIED flag, refcount 1).
 */
final class Qcow2Entries {
    static final long COPIED = 1L << 63;
    static final long COMPRESSED = 1L << 62;
    static final long ZERO = 1L;
    /** Bits 9 to 55: a cluster's (or an L2 table's) offset in the file. */
    static final long OFFSET_MASK = 0x00FF_FFFF_FFFF_FE00L;
    /** Bits an L1 entry may have set besides the offset and COPIED. */
    static final long L1_RESERVED = ~(OFFSET_MASK | COPIED);
    /** Bits a standard L2 entry may have set besides the offset, COPIED and ZERO. */
    static final long L2_RESERVED = ~(OFFSET_MASK | COPIED | COMPRESSED | ZERO);

    private Qcow2Entries() {
    }

    static long offset(long entry) {
        return entry & OFFSET_MASK;
    }

    static boolean compressed(long entry) {
        return (entry & COMPRESSED) != 0;
    }

    /** Reads as zeros: the zero flag of a standard entry (version 3). */
    static boolean zero(long entry) {
        return !compressed(entry) && (entry & ZERO) != 0;
    }

    /** Where a compressed cluster's data starts in the file. */
    static long compressedOffset(long entry, int clusterBits) {
        int x = 62 - (clusterBits - 8);
        return entry & ((1L << x) - 1);
    }

    /** How many bytes of the file a compressed cluster's data may span (from its offset to its last sector's end). */
    static int compressedLength(long entry, int clusterBits) {
        int x = 62 - (clusterBits - 8);
        long sectors = ((entry >>> x) & ((1L << (clusterBits - 8)) - 1)) + 1;
        return (int) (sectors * 512 - (compressedOffset(entry, clusterBits) & 511));
    }
}
