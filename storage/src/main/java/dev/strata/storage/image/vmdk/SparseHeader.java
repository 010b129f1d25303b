package dev.strata.storage.image.vmdk;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The 512-byte header of a hosted sparse extent ("KDMV"), as VMware's Virtual Disk Format 1.1 lays it out. Sizes and
 * offsets are in 512-byte sectors, little-endian.
 */
record SparseHeader(int version, int flags, long capacity, long grainSize, long descriptorOffset,
                    long descriptorSize, int gtesPerGt, long rgdOffset, long gdOffset, long overhead,
                    int uncleanShutdown, int compressAlgorithm) {

    static final int SECTOR = 512;
    /** "KDMV" read as a little-endian integer. */
    static final int MAGIC = 0x564D444B;

    static final int OFF_MAGIC = 0;
    static final int OFF_VERSION = 4;
    static final int OFF_FLAGS = 8;
    static final int OFF_CAPACITY = 12;
    static final int OFF_GRAIN_SIZE = 20;
    static final int OFF_DESCRIPTOR_OFFSET = 28;
    static final int OFF_DESCRIPTOR_SIZE = 36;
    static final int OFF_GTES_PER_GT = 44;
    static final int OFF_RGD_OFFSET = 48;
    static final int OFF_GD_OFFSET = 56;
    static final int OFF_OVERHEAD = 64;
    static final int OFF_UNCLEAN = 72;
    static final int OFF_NEWLINE_CHECK = 73;
    static final int OFF_COMPRESS = 77;

    /** The newline characters that flag the file was not damaged by a text-mode transfer. */
    static final byte[] NEWLINE_CHECK = {'\n', ' ', '\r', '\n'};

    static final int FLAG_NEWLINE_TEST = 1;
    static final int FLAG_REDUNDANT_GT = 1 << 1;
    static final int FLAG_ZERO_GRAIN = 1 << 2;
    static final int FLAG_COMPRESSED = 1 << 16;
    static final int FLAG_MARKERS = 1 << 17;
    static final int FLAGS_KNOWN = FLAG_NEWLINE_TEST | FLAG_REDUNDANT_GT | FLAG_ZERO_GRAIN | FLAG_COMPRESSED
            | FLAG_MARKERS;

    static final int COMPRESS_NONE = 0;
    static final int COMPRESS_DEFLATE = 1;
    /** A gdOffset meaning "the grain directory's place is in the footer" (streamOptimized). */
    static final long GD_AT_END = -1L;

    /** Grain table entries per grain table, the only value VMware and QEMU write. */
    static final int GTES_PER_GT = 512;

    static SparseHeader decode(byte[] b) {
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        return new SparseHeader(bb.getInt(OFF_VERSION), bb.getInt(OFF_FLAGS), bb.getLong(OFF_CAPACITY),
                bb.getLong(OFF_GRAIN_SIZE), bb.getLong(OFF_DESCRIPTOR_OFFSET), bb.getLong(OFF_DESCRIPTOR_SIZE),
                bb.getInt(OFF_GTES_PER_GT), bb.getLong(OFF_RGD_OFFSET), bb.getLong(OFF_GD_OFFSET),
                bb.getLong(OFF_OVERHEAD), b[OFF_UNCLEAN] & 0xFF, bb.getShort(OFF_COMPRESS) & 0xFFFF);
    }

    static int magic(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt(OFF_MAGIC);
    }

    byte[] encode() {
        byte[] b = new byte[SECTOR];
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        bb.putInt(OFF_MAGIC, MAGIC).putInt(OFF_VERSION, version).putInt(OFF_FLAGS, flags)
                .putLong(OFF_CAPACITY, capacity).putLong(OFF_GRAIN_SIZE, grainSize)
                .putLong(OFF_DESCRIPTOR_OFFSET, descriptorOffset).putLong(OFF_DESCRIPTOR_SIZE, descriptorSize)
                .putInt(OFF_GTES_PER_GT, gtesPerGt).putLong(OFF_RGD_OFFSET, rgdOffset)
                .putLong(OFF_GD_OFFSET, gdOffset).putLong(OFF_OVERHEAD, overhead)
                .putShort(OFF_COMPRESS, (short) compressAlgorithm);
        b[OFF_UNCLEAN] = (byte) uncleanShutdown;
        System.arraycopy(NEWLINE_CHECK, 0, b, OFF_NEWLINE_CHECK, NEWLINE_CHECK.length);
        return b;
    }

    boolean redundant() {
        return (flags & FLAG_REDUNDANT_GT) != 0 && rgdOffset != 0;
    }

    boolean zeroGrains() {
        return (flags & FLAG_ZERO_GRAIN) != 0;
    }

    boolean compressed() {
        return (flags & FLAG_COMPRESSED) != 0;
    }

    /** Grains in the extent: the last may be partial. */
    long grains() {
        return (capacity + grainSize - 1) / grainSize;
    }

    /** Grain tables the grain directory points to. */
    long gtCount() {
        return (grains() + gtesPerGt - 1) / gtesPerGt;
    }

    /** Sectors one grain table fills. */
    long gtSectors() {
        return (gtesPerGt * 4L + SECTOR - 1) / SECTOR;
    }

    /** Sectors one grain directory fills. */
    long gdSectors() {
        return (gtCount() * 4 + SECTOR - 1) / SECTOR;
    }
}
