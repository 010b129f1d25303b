package dev.strata.emulator.device.ata;

/**
 * The 256-word answer to IDENTIFY DEVICE and IDENTIFY PACKET DEVICE, built word by word: ATA strings hold two
 * characters per word, the first in the high byte, padded with spaces; word 255 carries the A5h signature and the
 * checksum that makes all 512 bytes sum to zero.
 */
final class IdentifyBlock {

    private final int[] words = new int[256];

    IdentifyBlock set(int index, int value) {
        words[index] = value & 0xFFFF;
        return this;
    }

    /** A 32-bit value in two words, low word first (as words 60..61 and 57..58 hold them). */
    IdentifyBlock setDword(int index, long value) {
        set(index, (int) value);
        return set(index + 1, (int) (value >>> 16));
    }

    /** A 64-bit value in four words, low word first (words 100..103). */
    IdentifyBlock setQword(int index, long value) {
        for (int i = 0; i < 4; i++) {
            set(index + i, (int) (value >>> (16 * i)));
        }
        return this;
    }

    IdentifyBlock setString(int firstWord, int wordCount, String text) {
        for (int i = 0; i < wordCount; i++) {
            int hi = charAt(text, 2 * i);
            int lo = charAt(text, 2 * i + 1);
            words[firstWord + i] = hi << 8 | lo;
        }
        return this;
    }

    private static int charAt(String text, int index) {
        if (index >= text.length()) {
            return ' ';
        }
        char c = text.charAt(index);
        return c >= 0x20 && c < 0x7F ? c : '?';
    }

    /** Writes the 512 bytes, little-endian words, with the integrity word, into {@code dst} at 0. */
    void writeTo(byte[] dst) {
        words[255] = 0xA5;
        int sum = 0;
        for (int i = 0; i < 255; i++) {
            sum += (words[i] & 0xFF) + (words[i] >>> 8);
        }
        sum += 0xA5;
        words[255] = ((-sum) & 0xFF) << 8 | 0xA5;
        for (int i = 0; i < 256; i++) {
            dst[2 * i] = (byte) words[i];
            dst[2 * i + 1] = (byte) (words[i] >>> 8);
        }
    }
}
