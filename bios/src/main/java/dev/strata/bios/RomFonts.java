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

    private static byte[] load(int height) {
        String name = "font/font8x" + height + ".hex";
        byte[] glyphs = new byte[256 * height];
        try (InputStream in = RomFonts.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the BIOS font resource " + name + " is missing from the build");
            }
            String[] lines = new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n");
            if (lines.length != 256) {
                throw new IllegalStateException(name + " has " + lines.length + " lines; it needs one a character, 256");
            }
            for (int ch = 0; ch < 256; ch++) {
                String line = lines[ch].trim();
                if (line.length() != 3 + height * 2 || Integer.parseInt(line.substring(0, 2), 16) != ch) {
                    throw new IllegalStateException(name + " line " + (ch + 1) + " must be " + String.format("%02X", ch)
                            + ": and " + height + " hex bytes, not '" + line + "'");
                }
                for (int row = 0; row < height; row++) {
                    glyphs[ch * height + row] = (byte) Integer.parseInt(line.substring(3 + row * 2, 5 + row * 2), 16);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the BIOS font resource " + name, e);
        }
        return glyphs;
    }
}
