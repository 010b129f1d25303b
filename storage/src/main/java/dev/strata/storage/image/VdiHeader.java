package dev.strata.storage.image;

import static dev.strata.storage.image.VdiLayout.*;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The pre-header and header of a VDI 1.1 file as they are on disk (unsigned 32-bit fields widened to long),
 * for {@code medium info} and for tests. Decoding never validates; {@link VdiInspector} does that.
 */
public record VdiHeader(
        String fileInfo,
        int signature,
        int version,
        long headerSize,
        int imageType,
        int flags,
        String comment,
        long offBlocks,
        long offData,
        int legacyCylinders,
        int legacyHeads,
        int legacySectors,
        int legacySectorSize,
        long diskSize,
        long blockSize,
        long blockExtra,
        long blockCount,
        long blocksAllocated,
        UUID uuidCreate,
        UUID uuidModify,
        UUID uuidLinkage,
        UUID uuidParentModify,
        int lchsCylinders,
        int lchsHeads,
        int lchsSectors,
        int lchsSectorSize) {

    /** Decodes the first sector of a file (at least {@link VdiLayout#SECTOR} bytes, zero-padded if shorter). */
    static VdiHeader decode(byte[] s) {
        long headerSize = u32(s, HEADER_SIZE);
        boolean plus = headerSize >= HEADER1PLUS_SIZE;
        return new VdiHeader(
                cString(s, TEXT, TEXT_SIZE),
                i32(s, SIGNATURE), i32(s, VERSION), headerSize, i32(s, IMAGE_TYPE), i32(s, FLAGS),
                cString(s, COMMENT, COMMENT_SIZE),
                u32(s, OFF_BLOCKS), u32(s, OFF_DATA),
                i32(s, LEGACY_GEOMETRY), i32(s, LEGACY_GEOMETRY + 4), i32(s, LEGACY_GEOMETRY + 8), i32(s, LEGACY_SECTOR_SIZE),
                i64(s, DISK_SIZE), u32(s, BLOCK_SIZE), u32(s, BLOCK_EXTRA), u32(s, BLOCK_COUNT), u32(s, BLOCKS_ALLOCATED),
                GuidBytes.read(s, UUID_CREATE), GuidBytes.read(s, UUID_MODIFY),
                GuidBytes.read(s, UUID_LINKAGE), GuidBytes.read(s, UUID_PARENT_MODIFY),
                plus ? i32(s, LCHS_GEOMETRY) : 0, plus ? i32(s, LCHS_GEOMETRY + 4) : 0,
                plus ? i32(s, LCHS_GEOMETRY + 8) : 0, plus ? i32(s, LCHS_SECTOR_SIZE) : 0);
    }

    /** Encodes this header as a full first sector (the bytes after the header are zero). */
    byte[] encode() {
        byte[] s = new byte[SECTOR];
        byte[] text = fileInfo.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(text, 0, s, TEXT, Math.min(text.length, TEXT_SIZE - 1));
        putI32(s, SIGNATURE, signature);
        putI32(s, VERSION, version);
        putI32(s, HEADER_SIZE, (int) headerSize);
        putI32(s, IMAGE_TYPE, imageType);
        putI32(s, FLAGS, flags);
        byte[] c = comment.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(c, 0, s, COMMENT, Math.min(c.length, COMMENT_SIZE - 1));
        putI32(s, OFF_BLOCKS, (int) offBlocks);
        putI32(s, OFF_DATA, (int) offData);
        putI32(s, LEGACY_GEOMETRY, legacyCylinders);
        putI32(s, LEGACY_GEOMETRY + 4, legacyHeads);
        putI32(s, LEGACY_GEOMETRY + 8, legacySectors);
        putI32(s, LEGACY_SECTOR_SIZE, legacySectorSize);
        putI64(s, DISK_SIZE, diskSize);
        putI32(s, BLOCK_SIZE, (int) blockSize);
        putI32(s, BLOCK_EXTRA, (int) blockExtra);
        putI32(s, BLOCK_COUNT, (int) blockCount);
        putI32(s, BLOCKS_ALLOCATED, (int) blocksAllocated);
        GuidBytes.write(uuidCreate, s, UUID_CREATE);
        GuidBytes.write(uuidModify, s, UUID_MODIFY);
        GuidBytes.write(uuidLinkage, s, UUID_LINKAGE);
        GuidBytes.write(uuidParentModify, s, UUID_PARENT_MODIFY);
        if (headerSize >= HEADER1PLUS_SIZE) {
            putI32(s, LCHS_GEOMETRY, lchsCylinders);
            putI32(s, LCHS_GEOMETRY + 4, lchsHeads);
            putI32(s, LCHS_GEOMETRY + 8, lchsSectors);
            putI32(s, LCHS_SECTOR_SIZE, lchsSectorSize);
        }
        return s;
    }

    /** The image's variant, or null for a type Strata does not open. */
    public ImageVariant variant() {
        switch (imageType) {
            case TYPE_NORMAL: return ImageVariant.STANDARD;
            case TYPE_FIXED: return ImageVariant.FIXED;
            case TYPE_DIFF: return ImageVariant.DIFF;
            default: return null;
        }
    }

    static int i32(byte[] b, int off) {
        return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8 | (b[off + 2] & 0xFF) << 16 | (b[off + 3] & 0xFF) << 24;
    }

    static long u32(byte[] b, int off) {
        return i32(b, off) & 0xFFFFFFFFL;
    }

    static long i64(byte[] b, int off) {
        return u32(b, off) | (u32(b, off + 4) << 32);
    }

    static void putI32(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
        b[off + 2] = (byte) (v >>> 16);
        b[off + 3] = (byte) (v >>> 24);
    }

    static void putI64(byte[] b, int off, long v) {
        putI32(b, off, (int) v);
        putI32(b, off + 4, (int) (v >>> 32));
    }

    private static String cString(byte[] b, int off, int max) {
        int end = off;
        while (end < off + max && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }
}
