package dev.strata.bios;

/**
 * What each set-1 scan code puts in the BIOS keyboard buffer: the word (scan code high, ASCII low) for the key
 * alone, with Shift, with Ctrl and with Alt, as the IBM AT BIOS defines them. 0 means "no keystroke".
 */
final class ScanCodeTable {

    static final int NORMAL = 0, SHIFT = 1, CTRL = 2, ALT = 3;
    private static final int[][] TABLE = new int[0x59][];

    private ScanCodeTable() {
    }

    /** The buffer word for {@code scan} (1..58h) in a shift state, or 0. */
    static int lookup(int scan, int state) {
        if (scan <= 0 || scan >= TABLE.length || TABLE[scan] == null) {
            return 0;
        }
        return TABLE[scan][state];
    }

    /** True for the letter keys, which Caps Lock shifts. */
    static boolean letter(int scan) {
        return scan >= 0x10 && scan <= 0x19 || scan >= 0x1E && scan <= 0x26 || scan >= 0x2C && scan <= 0x32;
    }

    /** True for the numeric keypad keys 7-9, 4-6, 1-3, 0 and '.', which Num Lock shifts. */
    static boolean keypad(int scan) {
        return scan >= 0x47 && scan <= 0x53 && scan != 0x4A && scan != 0x4E;
    }

    private static void key(int scan, int normal, int shift, int ctrl, int alt) {
        TABLE[scan] = new int[] {normal, shift, ctrl, alt};
    }

    /** A key with a character: ASCII for normal and shifted, a control code (or none) and Alt giving the scan code. */
    private static void ch(int scan, char normal, char shifted, int ctrl, int alt) {
        key(scan, scan << 8 | normal, scan << 8 | shifted, ctrl < 0 ? 0 : scan << 8 | ctrl, alt << 8);
    }

    static {
        key(0x01, 0x011B, 0x011B, 0x011B, 0x0100);
        String digits = "1234567890-=";
        String shifted = "!@#$%^&*()_+";
        for (int i = 0; i < digits.length(); i++) {
            int scan = 0x02 + i;
            int ctrl = scan == 0x03 ? 0x0300 : scan == 0x07 ? 0x071E : scan == 0x0C ? 0x0C1F : 0;
            key(scan, scan << 8 | digits.charAt(i), scan << 8 | shifted.charAt(i), ctrl, (0x78 + i) << 8);
        }
        key(0x0E, 0x0E08, 0x0E08, 0x0E7F, 0x0E00);
        key(0x0F, 0x0F09, 0x0F00, 0x9400, 0xA500);
        String row1 = "qwertyuiop";
        for (int i = 0; i < row1.length(); i++) {
            letterKey(0x10 + i, row1.charAt(i));
        }
        ch(0x1A, '[', '{', 0x1B, 0x1A);
        ch(0x1B, ']', '}', 0x1D, 0x1B);
        key(0x1C, 0x1C0D, 0x1C0D, 0x1C0A, 0x1C00);
        String row2 = "asdfghjkl";
        for (int i = 0; i < row2.length(); i++) {
            letterKey(0x1E + i, row2.charAt(i));
        }
        ch(0x27, ';', ':', -1, 0x27);
        ch(0x28, '\'', '"', -1, 0x28);
        ch(0x29, '`', '~', -1, 0x29);
        ch(0x2B, '\\', '|', 0x1C, 0x2B);
        String row3 = "zxcvbnm";
        for (int i = 0; i < row3.length(); i++) {
            letterKey(0x2C + i, row3.charAt(i));
        }
        ch(0x33, ',', '<', -1, 0x33);
        ch(0x34, '.', '>', -1, 0x34);
        ch(0x35, '/', '?', -1, 0x35);
        key(0x37, 0x372A, 0x372A, 0x9600, 0x3700);
        key(0x39, 0x3920, 0x3920, 0x3920, 0x3920);
        for (int i = 0; i < 10; i++) {
            key(0x3B + i, (0x3B + i) << 8, (0x54 + i) << 8, (0x5E + i) << 8, (0x68 + i) << 8);
        }
        // Keypad: cursor words without Num Lock, digits with it (as the Shift column), Ctrl words.
        int[][] pad = {{0x47, '7', 0x7700}, {0x48, '8', 0x8D00}, {0x49, '9', 0x8400}, {0x4B, '4', 0x7300},
            {0x4C, '5', 0x8F00}, {0x4D, '6', 0x7400}, {0x4F, '1', 0x7500}, {0x50, '2', 0x9100}, {0x51, '3', 0x7600},
            {0x52, '0', 0x9200}, {0x53, '.', 0x9300}};
        for (int[] p : pad) {
            key(p[0], p[0] << 8, p[0] << 8 | p[1], p[2], 0);
        }
        key(0x4A, 0x4A2D, 0x4A2D, 0x8E00, 0x4A00);
        key(0x4E, 0x4E2B, 0x4E2B, 0x9000, 0x4E00);
        key(0x57, 0x8500, 0x8700, 0x8900, 0x8B00);
        key(0x58, 0x8600, 0x8800, 0x8A00, 0x8C00);
    }

    private static void letterKey(int scan, char lower) {
        key(scan, scan << 8 | lower, scan << 8 | Character.toUpperCase(lower), scan << 8 | (lower - 0x60), scan << 8);
    }
}
