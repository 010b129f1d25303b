package dev.strata.emulator.device.vga;

/**
 * Code page 437, the character set of the PC's text-mode font, to Unicode: the glyphs the ROM font draws for every
 * byte, including smileys and arrows below 20h and the box-drawing characters above 7Fh. Byte 00h, which the font
 * draws blank, becomes a space.
 */
public final class Cp437 {

    private static final String TABLE =
            " ☺☻♥♦♣♠•◘○◙♂♀♪♫☼►◄↕‼¶§▬↨↑↓→←∟↔▲▼"
            + " !\"#$%&'()*+,-./0123456789:;<=>?"
            + "@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_"
            + "`abcdefghijklmnopqrstuvwxyz{|}~⌂"
            + "ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒ"
            + "áíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐"
            + "└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀"
            + "αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00A0";

    static {
        if (TABLE.length() != 256) {
            throw new ExceptionInInitializerError("CP437 table has " + TABLE.length() + " entries, not 256");
        }
    }

    private Cp437() {
    }

    /** The Unicode character the text-mode font shows for byte {@code b} (0..255). */
    public static char toUnicode(int b) {
        return TABLE.charAt(b & 0xFF);
    }
}
