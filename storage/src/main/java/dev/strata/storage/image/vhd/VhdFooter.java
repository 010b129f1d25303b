package dev.strata.storage.image.vhd;

import dev.strata.storage.image.GuidBytes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * The 512-byte VHD footer, big-endian as the Virtual Hard Disk Image Format Specification lays it out: at the end of
 * every VHD and, for dynamic and differencing images, copied at offset 0.
 */
record VhdFooter(long features, long version, long dataOffset, long timestamp, String creatorApp,
                 long creatorVersion, long creatorOs, long originalSize, long currentSize, int cylinders, int heads,
                 int sectorsPerTrack, int diskType, long checksum, UUID uuid, int savedState) {

    static final int SIZE = 512;
    static final String COOKIE = "conectix";
    static final int TYPE_FIXED = 2;
    static final int TYPE_DYNAMIC = 3;
    static final int TYPE_DIFFERENCING = 4;
    /** The data offset of a fixed image, which has no dynamic header. */
    static final long NO_DATA_OFFSET = -1L;
    static final int OFF_DATA_OFFSET = 16;
    static final int OFF_CURRENT_SIZE = 48;
    static final int OFF_DISK_TYPE = 60;
    static final int OFF_CHECKSUM = 64;
    /** VHD time stamps count seconds from 2000-01-01 00:00:00 UTC. */
    static final long EPOCH_2000 = 946_684_800L;
    private static final long HOST_OS_WINDOWS = 0x5769326BL; // "Wi2k", what Virtual PC, Hyper-V and VirtualBox write

    /** True when {@code b} at {@code off} starts with the footer cookie. */
    static boolean hasCookie(byte[] b, int off) {
        return b.length >= off + COOKIE.length()
                && COOKIE.equals(new String(b, off, COOKIE.length(), StandardCharsets.ISO_8859_1));
    }

    /** A new footer made by Strata now, with its checksum. */
    static VhdFooter create(int diskType, long size, UUID uuid) {
        VhdGeometry g = VhdGeometry.of(size / 512);
        long dataOffset = diskType == TYPE_FIXED ? NO_DATA_OFFSET : SIZE;
        VhdFooter f = new VhdFooter(2, 0x00010000L, dataOffset, now(), "strt", 0x00010000L, HOST_OS_WINDOWS, size,
                size, g.cylinders(), g.heads(), g.sectorsPerTrack(), diskType, 0, uuid, 0);
        return f.withChecksum();
    }

    /** The current time as a VHD time stamp. */
    static long now() {
        return (Instant.now().getEpochSecond() - EPOCH_2000) & 0xFFFFFFFFL;
    }

    static VhdFooter decode(byte[] b) {
        ByteBuffer bb = ByteBuffer.wrap(b);
        return new VhdFooter(u32(bb, 8), u32(bb, 12), bb.getLong(16), u32(bb, 24),
                new String(b, 28, 4, StandardCharsets.ISO_8859_1), u32(bb, 32), u32(bb, 36), bb.getLong(40),
                bb.getLong(48), bb.getShort(56) & 0xFFFF, b[58] & 0xFF, b[59] & 0xFF, bb.getInt(60), u32(bb, 64),
                GuidBytes.read(b, 68), b[84] & 0xFF);
    }

    byte[] encode() {
        byte[] b = new byte[SIZE];
        ByteBuffer bb = ByteBuffer.wrap(b);
        bb.put(COOKIE.getBytes(StandardCharsets.ISO_8859_1));
        bb.putInt(8, (int) features).putInt(12, (int) version).putLong(16, dataOffset).putInt(24, (int) timestamp);
        System.arraycopy(creatorApp.getBytes(StandardCharsets.ISO_8859_1), 0, b, 28, 4);
        bb.putInt(32, (int) creatorVersion).putInt(36, (int) creatorOs).putLong(40, originalSize)
                .putLong(48, currentSize).putShort(56, (short) cylinders);
        b[58] = (byte) heads;
        b[59] = (byte) sectorsPerTrack;
        bb.putInt(60, diskType).putInt(64, (int) checksum);
        GuidBytes.write(uuid, b, 68);
        b[84] = (byte) savedState;
        return b;
    }

    /** This footer with the checksum its other bytes give. */
    VhdFooter withChecksum() {
        return new VhdFooter(features, version, dataOffset, timestamp, creatorApp, creatorVersion, creatorOs,
                originalSize, currentSize, cylinders, heads, sectorsPerTrack, diskType, checksumOf(encode(),
                OFF_CHECKSUM), uuid, savedState);
    }

    /** The one's complement of the byte sum of {@code b}, its 4-byte checksum field at {@code at} left out. */
    static long checksumOf(byte[] b, int at) {
        long sum = 0;
        for (int i = 0; i < b.length; i++) {
            if (i < at || i >= at + 4) {
                sum += b[i] & 0xFF;
            }
        }
        return ~sum & 0xFFFFFFFFL;
    }

    String typeName() {
        return switch (diskType) {
            case TYPE_FIXED -> "fixed";
            case TYPE_DYNAMIC -> "dynamic";
            case TYPE_DIFFERENCING -> "differencing";
            default -> "type " + diskType;
        };
    }

    private static long u32(ByteBuffer bb, int at) {
        return bb.getInt(at) & 0xFFFFFFFFL;
    }
}
