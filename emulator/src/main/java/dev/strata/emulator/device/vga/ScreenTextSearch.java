package dev.strata.emulator.device.vga;

/**
 * Finds a text on the screen as {@link TextScreen#toText()} shows it (every row with its trailing blanks removed
 * and ended by a newline) straight from video memory, into a buffer it keeps. Output expectations look at the
 * screen after every CPU batch that drew on it (a FreeDOS boot has hundreds); building a {@link TextScreen} and
 * its string each time cost a fifth of the boot.
 */
final class ScreenTextSearch {

    private static final char[] UNICODE = new char[256];
    /** Per CP437 byte: does {@link String#stripTrailing()} drop the character it shows. */
    private static final boolean[] BLANK = new boolean[256];

    static {
        for (int b = 0; b < 256; b++) {
            UNICODE[b] = Cp437.toUnicode(b);
            BLANK[b] = Character.isWhitespace(UNICODE[b]);
        }
    }

    private char[] text = new char[0];

    /**
     * True when {@code wanted} appears in the screen's text: {@code rows} rows of {@code columns} cells, row
     * {@code r}'s cell {@code c} being character word {@code start + r * stride + c} of plane 0.
     */
    boolean contains(byte[] plane0, int start, int stride, int columns, int rows, String wanted) {
        int m = wanted.length();
        if (m > 0 && wanted.indexOf('\n') < 0 && !Character.isWhitespace(wanted.charAt(m - 1))) {
            return inOneRow(plane0, start, stride, columns, rows, wanted);
        }
        int length = fill(plane0, start, stride, columns, rows);
        return indexOf(text, length, wanted) >= 0;
    }

    /**
     * {@link #contains} for a text without a newline that ends in a character {@link String#stripTrailing()} keeps:
     * such a text lies within one row, and where it lies in a row's cells it lies in the row's text (it ends before
     * the blanks the text drops), so the cells are compared as they are, without the text being made first (a
     * third of the work, which matters while the JVM still interprets this).
     */
    private static boolean inOneRow(byte[] plane0, int start, int stride, int columns, int rows, String wanted) {
        int m = wanted.length();
        char first = wanted.charAt(0);
        for (int r = 0; r < rows; r++) {
            int row = start + r * stride;
            for (int c = 0, last = columns - m; c <= last; c++) {
                if (UNICODE[plane0[(row + c) * 2 & (VgaMemory.PLANE_SIZE - 1)] & 0xFF] != first) {
                    continue;
                }
                int j = 1;
                while (j < m && UNICODE[plane0[(row + c + j) * 2 & (VgaMemory.PLANE_SIZE - 1)] & 0xFF]
                        == wanted.charAt(j)) {
                    j++;
                }
                if (j == m) {
                    return true;
                }
            }
        }
        return false;
    }

    private int fill(byte[] plane0, int start, int stride, int columns, int rows) {
        int capacity = rows * (columns + 1);
        if (text.length < capacity) {
            text = new char[capacity];
        }
        char[] out = text;
        int n = 0;
        for (int r = 0; r < rows; r++) {
            int rowStart = n;
            int kept = n; // end of the row once its trailing blanks are dropped
            for (int c = 0; c < columns; c++) {
                int b = plane0[(start + r * stride + c) * 2 & (VgaMemory.PLANE_SIZE - 1)] & 0xFF;
                out[n++] = UNICODE[b];
                if (!BLANK[b]) {
                    kept = n;
                }
            }
            n = Math.max(kept, rowStart);
            out[n++] = '\n';
        }
        return n;
    }

    private static int indexOf(char[] haystack, int length, String needle) {
        int m = needle.length();
        if (m == 0) {
            return 0;
        }
        char first = needle.charAt(0);
        for (int k = 0, last = length - m; k <= last; k++) {
            if (haystack[k] != first) {
                continue;
            }
            int j = 1;
            while (j < m && haystack[k + j] == needle.charAt(j)) {
                j++;
            }
            if (j == m) {
                return k;
            }
        }
        return -1;
    }
}
