package dev.strata.bios;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Strata's own CP437 fonts, 8 dots wide and 8, 14 or 16 lines high, as the ROM holds them (one glyph after another,
 * a byte a line, bit 7 the leftmost dot). They are read from the {@code font/*.hex} resources beside this class,
 * whose README says where they come from.
 */
public final class RomFonts {

    private static final byte[] FONT_8X8 = load(8);
    private static final byte[] FONT_8X14 = load(14);
    private static final byte[] FONT_8X16 = load(16);

    private RomFonts() {
    }

    /** The 256 glyphs of the font {@code height} lines high (8, 14 or 16), 256 * height bytes; a copy. */
    public static byte[] font(int height) {
        return switch (height) {
            case 8 -> FONT_8X8.clone();
            case 14 -> FONT_8X14.clone();
            case 16 -> FONT_8X16.clone();
            default -> throw new IllegalArgumentException("Strata's ROM has 8x8, 8x14 and 8x16 fonts, not 8x"
                    + height);
        };
    }

    /**
     * Parses the resource's bytes directly, without a String per line or per byte: it runs once per process, before
     * the JVM has compiled anything, where splitting and parsing ten thousand substrings took a tenth of the time
     * from the command line to the guest's first instruction.
     */
    private static byte[] load(int height) {
        String name = "font/font8x" + height + ".hex";
        byte[] text;
        try (InputStream in = RomFonts.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the BIOS font resource " + name + " is missing from the build");
            }
            text = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the BIOS font resource " + name, e);
        }
        byte[] glyphs = new byte[256 * height];
        int at = 0;
        int ch = 0;
        for (; at < text.length && ch < 256; ch++) {
            int end = at;
            while (end < text.length && text[end] != '\n') {
                end++;
            }
            int from = at;
            int to = end;
            while (from < to && text[from] <= ' ') {
                from++;
            }
            while (to > from && text[to - 1] <= ' ') {
                to--;
            }
            if (to - from != 3 + height * 2 || hexByte(text, from) != ch || text[from + 2] != ':') {
                throw new IllegalStateException(name + " line " + (ch + 1) + " must be " + String.format("%02X", ch)
                        + ": and " + height + " hex bytes, not '" + new String(text, from, to - from,
                        StandardCharsets.US_ASCII) + "'");
            }
            for (int row = 0; row < height; row++) {
                int b = hexByte(text, from + 3 + row * 2);
                if (b < 0) {
                    throw new IllegalStateException(name + " line " + (ch + 1) + " has a byte that is not two hex"
                            + " digits: '" + new String(text, from, to - from, StandardCharsets.US_ASCII) + "'");
                }
                glyphs[ch * height + row] = (byte) b;
            }
            at = end + 1;
        }
        if (ch != 256 || at < text.length && new String(text, at, text.length - at, StandardCharsets.US_ASCII)
                .strip().length() > 0) {
            throw new IllegalStateException(name + " must have 256 lines, one a character");
        }
        return glyphs;
    }

    /** The byte the two hex digits at {@code at} spell, or -1 when they are not two hex digits. */
    private static int hexByte(byte[] text, int at) {
        int high = hexDigit(text[at]);
        int low = hexDigit(text[at + 1]);
        return high < 0 || low < 0 ? -1 : high << 4 | low;
    }

    private static int hexDigit(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return -1;
    }
}
