package dev.strata.storage.image.parallels;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The 64-byte header of a Parallels expanding disk (little-endian), followed by its block allocation table (the
 * catalog): {@code WithoutFreeSpace} images give cluster offsets in sectors, {@code WithouFreSpacExt} ones in
 * clusters.
 */
record ParallelsHeader(String magic, long version, long heads, long cylinders, long sectorsPerCluster,
                       long batEntries, long sectors, long inUse, long dataOffset, long flags, long extensionOffset) {

    static final int SIZE = 64;
    static final String MAGIC_SECTORS = "WithoutFreeSpace";
    static final String MAGIC_CLUSTERS = "WithouFreSpacExt";
    static final long VERSION = 2;
    /** What the in-use field holds while a writer has the image open ("Ynot"); 0 once it closed it. */
    static final long IN_USE = 0x746F6E59L;
    static final int OFF_VERSION = 16;
    static final int OFF_SECTORS_PER_CLUSTER = 28;
    static final int OFF_BAT_ENTRIES = 32;
    static final int OFF_SECTORS = 36;
    static final int OFF_IN_USE = 44;
    static final int OFF_DATA_OFFSET = 48;

    static boolean hasMagic(byte[] b) {
        if (b.length < 16) {
            return false;
        }
        String m = new String(b, 0, 16, StandardCharsets.ISO_8859_1);
        return m.equals(MAGIC_SECTORS) || m.equals(MAGIC_CLUSTERS);
    }

    static ParallelsHeader decode(byte[] b) {
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        return new ParallelsHeader(new String(b, 0, 16, StandardCharsets.ISO_8859_1), u32(bb, 16), u32(bb, 20),
                u32(bb, 24), u32(bb, 28), u32(bb, 32), bb.getLong(36), u32(bb, 44), u32(bb, 48), u32(bb, 52),
                bb.getLong(56));
    }

    byte[] encode() {
        byte[] b = new byte[SIZE];
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        bb.put(magic.getBytes(StandardCharsets.ISO_8859_1));
        bb.putInt(16, (int) version).putInt(20, (int) heads).putInt(24, (int) cylinders)
                .putInt(28, (int) sectorsPerCluster).putInt(32, (int) batEntries).putLong(36, sectors)
                .putInt(44, (int) inUse).putInt(48, (int) dataOffset).putInt(52, (int) flags).putLong(56, extensionOffset);
        return b;
    }

    /** What a catalog entry is multiplied by to give a sector offset. */
    long entryUnit() {
        return magic.equals(MAGIC_SECTORS) ? 1 : sectorsPerCluster;
    }

    private static long u32(ByteBuffer bb, int at) {
        return bb.getInt(at) & 0xFFFFFFFFL;
    }
}
