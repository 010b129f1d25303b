package dev.strata.storage.image;

import java.util.UUID;

/**
 * UUIDs in the Microsoft GUID byte order VirtualBox stores on disk: the first three fields little-endian,
 * the last eight bytes as they are. Reading and writing through this keeps the UUID Strata shows equal to
 * the one VirtualBox shows for the same file.
 */
public final class GuidBytes {
    private GuidBytes() {
    }

    public static UUID read(byte[] b, int off) {
        long timeLow = (b[off] & 0xFFL) | (b[off + 1] & 0xFFL) << 8 | (b[off + 2] & 0xFFL) << 16 | (b[off + 3] & 0xFFL) << 24;
        long timeMid = (b[off + 4] & 0xFFL) | (b[off + 5] & 0xFFL) << 8;
        long timeHi = (b[off + 6] & 0xFFL) | (b[off + 7] & 0xFFL) << 8;
        long msb = timeLow << 32 | timeMid << 16 | timeHi;
        long lsb = 0;
        for (int i = 8; i < 16; i++) {
            lsb = lsb << 8 | (b[off + i] & 0xFFL);
        }
        return new UUID(msb, lsb);
    }

    public static void write(UUID uuid, byte[] b, int off) {
        long msb = uuid == null ? 0 : uuid.getMostSignificantBits();
        long lsb = uuid == null ? 0 : uuid.getLeastSignificantBits();
        long timeLow = msb >>> 32;
        long timeMid = (msb >>> 16) & 0xFFFF;
        long timeHi = msb & 0xFFFF;
        for (int i = 0; i < 4; i++) {
            b[off + i] = (byte) (timeLow >>> (8 * i));
        }
        b[off + 4] = (byte) timeMid;
        b[off + 5] = (byte) (timeMid >>> 8);
        b[off + 6] = (byte) timeHi;
        b[off + 7] = (byte) (timeHi >>> 8);
        for (int i = 0; i < 8; i++) {
            b[off + 8 + i] = (byte) (lsb >>> (8 * (7 - i)));
        }
    }

    public static boolean isNull(UUID uuid) {
        return uuid == null || (uuid.getMostSignificantBits() == 0 && uuid.getLeastSignificantBits() == 0);
    }
}
