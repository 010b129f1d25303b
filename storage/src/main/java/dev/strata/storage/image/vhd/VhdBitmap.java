package dev.strata.storage.image.vhd;

/** A VHD block's sector bitmap: bit 7 of byte 0 is the block's first sector; a set bit means the block holds it. */
final class VhdBitmap {

    private VhdBitmap() {
    }

    static boolean isSet(byte[] bitmap, int sector) {
        return (bitmap[sector >>> 3] & (0x80 >>> (sector & 7))) != 0;
    }

    static void set(byte[] bitmap, int sector) {
        bitmap[sector >>> 3] |= (byte) (0x80 >>> (sector & 7));
    }

    /** How many of the first {@code sectors} sectors the bitmap marks present. */
    static int countSet(byte[] bitmap, int sectors) {
        int n = 0;
        int whole = sectors >>> 3;
        for (int i = 0; i < whole; i++) {
            n += Integer.bitCount(bitmap[i] & 0xFF);
        }
        for (int s = whole << 3; s < sectors; s++) {
            if (isSet(bitmap, s)) {
                n++;
            }
        }
        return n;
    }
}
