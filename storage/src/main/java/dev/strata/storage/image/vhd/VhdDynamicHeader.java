package dev.strata.storage.image.vhd;

import dev.strata.storage.image.GuidBytes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The 1024-byte dynamic disk header of dynamic and differencing VHDs (big-endian): where the block allocation table
 * is, the block size, and for a differencing image its parent's UUID, time stamp, name and locators.
 */
record VhdDynamicHeader(long tableOffset, long maxTableEntries, long blockSize, long checksum, UUID parentUuid,
                        long parentTimestamp, String parentName, List<Locator> locators) {

    static final int SIZE = 1024;
    static final String COOKIE = "cxsparse";
    static final int OFF_TABLE_OFFSET = 16;
    static final int OFF_MAX_TABLE_ENTRIES = 28;
    static final int OFF_BLOCK_SIZE = 32;
    static final int OFF_CHECKSUM = 36;
    static final int OFF_LOCATORS = 576;
    static final int LOCATOR_COUNT = 8;
    static final int LOCATOR_SIZE = 24;
    /** The 2 MiB blocks Virtual PC, Hyper-V, VirtualBox and QEMU make. */
    static final int DEFAULT_BLOCK_SIZE = 2 << 20;

    /**
     * One parent locator entry: a platform code ({@code W2ru} relative or {@code W2ku} absolute Windows path as
     * UTF-16LE), the room reserved for it and the length used, at a byte offset of the file.
     */
    record Locator(String platform, long dataSpace, long dataLength, long dataOffset) {
        /** The room reserved at {@link #dataOffset}, in bytes: written in sectors by Virtual PC, in bytes by others. */
        long roomBytes() {
            return dataSpace < 512 ? dataSpace * 512 : dataSpace;
        }
    }

    static VhdDynamicHeader decode(byte[] b) {
        ByteBuffer bb = ByteBuffer.wrap(b);
        List<Locator> locators = new ArrayList<>();
        for (int i = 0; i < LOCATOR_COUNT; i++) {
            int at = OFF_LOCATORS + i * LOCATOR_SIZE;
            if (bb.getInt(at) != 0) {
                locators.add(new Locator(new String(b, at, 4, StandardCharsets.ISO_8859_1), u32(bb, at + 4),
                        u32(bb, at + 8), bb.getLong(at + 16)));
            }
        }
        String name = new String(b, 64, 512, StandardCharsets.UTF_16BE);
        int nul = name.indexOf('\0');
        return new VhdDynamicHeader(bb.getLong(OFF_TABLE_OFFSET), u32(bb, OFF_MAX_TABLE_ENTRIES),
                u32(bb, OFF_BLOCK_SIZE), u32(bb, OFF_CHECKSUM), GuidBytes.read(b, 40), u32(bb, 56),
                nul >= 0 ? name.substring(0, nul) : name, List.copyOf(locators));
    }

    byte[] encode() {
        byte[] b = new byte[SIZE];
        ByteBuffer bb = ByteBuffer.wrap(b);
        bb.put(COOKIE.getBytes(StandardCharsets.ISO_8859_1));
        bb.putLong(8, -1L).putLong(OFF_TABLE_OFFSET, tableOffset).putInt(24, 0x00010000)
                .putInt(OFF_MAX_TABLE_ENTRIES, (int) maxTableEntries).putInt(OFF_BLOCK_SIZE, (int) blockSize)
                .putInt(OFF_CHECKSUM, (int) checksum);
        if (parentUuid != null) {
            GuidBytes.write(parentUuid, b, 40);
        }
        bb.putInt(56, (int) parentTimestamp);
        byte[] name = parentName == null ? new byte[0] : parentName.getBytes(StandardCharsets.UTF_16BE);
        System.arraycopy(name, 0, b, 64, Math.min(name.length, 512));
        for (int i = 0; i < locators.size(); i++) {
            Locator l = locators.get(i);
            int at = OFF_LOCATORS + i * LOCATOR_SIZE;
            System.arraycopy(l.platform().getBytes(StandardCharsets.ISO_8859_1), 0, b, at, 4);
            bb.putInt(at + 4, (int) l.dataSpace()).putInt(at + 8, (int) l.dataLength()).putLong(at + 16, l.dataOffset());
        }
        return b;
    }

    /** This header with the checksum its other bytes give. */
    VhdDynamicHeader withChecksum() {
        return new VhdDynamicHeader(tableOffset, maxTableEntries, blockSize, VhdFooter.checksumOf(encode(),
                OFF_CHECKSUM), parentUuid, parentTimestamp, parentName, locators);
    }

    /** This header linked to another parent (checksum recomputed). */
    VhdDynamicHeader withParent(UUID uuid, long timestamp, String name, List<Locator> newLocators) {
        return new VhdDynamicHeader(tableOffset, maxTableEntries, blockSize, 0, uuid, timestamp, name, newLocators)
                .withChecksum();
    }

    /** The bytes of a block's sector bitmap, rounded up to whole sectors. */
    long bitmapBytes() {
        return (blockSize / 512 / 8 + 511) / 512 * 512;
    }

    private static long u32(ByteBuffer bb, int at) {
        return bb.getInt(at) & 0xFFFFFFFFL;
    }
}
