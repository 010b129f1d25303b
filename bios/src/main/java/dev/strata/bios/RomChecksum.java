package dev.strata.bios;

/**
 * The 8-bit checksum PC firmware uses: every byte of a ROM (or of a BIOS table such as the option-ROM
 * header or the EDD parameter block) adds up to zero modulo 256.
 */
public final class RomChecksum {
    private RomChecksum() {
    }

    /** The sum of {@code len} bytes from {@code off}, modulo 256. */
    public static int sum(byte[] data, int off, int len) {
        int s = 0;
        for (int i = off; i < off + len; i++) {
            s += data[i];
        }
        return s & 0xFF;
    }

    /** Writes into {@code data[at]} the byte that makes {@code data[off..off+len)} sum to zero. */
    public static void seal(byte[] data, int off, int len, int at) {
        data[at] = 0;
        data[at] = (byte) (-sum(data, off, len));
    }
}
