package dev.strata.emulator.device.vga;

/**
 * Finds a text on the screen as {@link TextScreen#toText()} shows it (every row with its trailing blanks removed
 * and ended by a newline) straight from video memory, into a buffer it keeps. Output expectations look at the
 * screen after every CPU batch that drew on it (a FreeDOS boot has hundreds); building a {@link TextScreen} and
 * its string each time cost a fifth of the boot. A text that lies within one row is looked for again only in the
 * rows written since it was last not found, unless the screen moved (its start address or shape changed): most
 * batches write a character or two, and looking at the whole screen after each was still 4 % of a FreeDOS boot's CPU
 * thread, most of it while the JVM interpreted the search.
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
    /** The lowest and highest plane-0 offsets written since the last search (none while lo is above hi). */
    private int writtenLo = Integer.MAX_VALUE;
    private int writtenHi = -1;
    /** Set while the screen may have changed in ways {@link #written} did not hear of: then every row is looked at. */
    private boolean anywhere = true;
    /** The text the last search looked for and did not find (it is in none of the rows not written since), or null. */
    private String notFound;
    /** Where the last search found the screen: its start, row stride, columns and rows. */
    private int lastStart = -1;
    private int lastStride;
    private int lastColumns;
    private int lastRows;

    /** The CPU wrote a byte where {@code where} says ({@link VgaMemory#write}'s result: offset, planes in 19-16). */
    void written(int where) {
        if (where >= 0 && (where >>> 16 & 1) != 0) {
            int offset = where & 0xFFFF;
            writtenLo = Math.min(writtenLo, offset);
            writtenHi = Math.max(writtenHi, offset);
        }
    }

    /** Video memory changed in a way {@link #written} does not describe (a bulk write, a restored state). */
    void changedAnywhere() {
        anywhere = true;
    }

    /**
     * True when {@code wanted} appears in the screen's text: {@code rows} rows of {@code columns} cells, row
     * {@code r}'s cell {@code c} being character word {@code start + r * stride + c} of plane 0.
     */
    boolean contains(byte[] plane0, int start, int stride, int columns, int rows, String wanted) {
        int m = wanted.length();
        boolean found;
        if (m > 0 && wanted.indexOf('\n') < 0 && !Character.isWhitespace(wanted.charAt(m - 1))) {
            boolean writtenRowsOnly = !anywhere && wanted.equals(notFound) && start == lastStart
                    && stride == lastStride && columns == lastColumns && rows == lastRows;
            found = inOneRow(plane0, start, stride, columns, rows, wanted,
                    writtenRowsOnly ? writtenLo : 0, writtenRowsOnly ? writtenHi : VgaMemory.PLANE_SIZE - 1);
        } else {
            int length = fill(plane0, start, stride, columns, rows);
            found = indexOf(text, length, wanted) >= 0;
        }
        writtenLo = Integer.MAX_VALUE;
        writtenHi = -1;
        anywhere = found; // a text found is still there: asked again, the answer must not depend on what was written
        notFound = found ? null : wanted;
        lastStart = start;
        lastStride = stride;
        lastColumns = columns;
        lastRows = rows;
        return found;
    }

    /**
     * {@link #contains} for a text without a newline that ends in a character {@link String#stripTrailing()} keeps:
     * such a text lies within one row, and where it lies in a row's cells it lies in the row's text (it ends before
     * the blanks the text drops), so the cells are compared as they are, without the text being made first (a
     * third of the work, which matters while the JVM still interprets this). Only rows with a character between plane
     * offsets {@code lo} and {@code hi} are looked at (a row that wraps around the plane's end always is).
     */
    private static boolean inOneRow(byte[] plane0, int start, int stride, int columns, int rows, String wanted,
                                    int lo, int hi) {
        int m = wanted.length();
        char first = wanted.charAt(0);
        for (int r = 0; r < rows; r++) {
            int row = start + r * stride;
            int firstOffset = row * 2 & (VgaMemory.PLANE_SIZE - 1);
            int lastOffset = firstOffset + 2 * (columns - 1);
            if (lastOffset < VgaMemory.PLANE_SIZE && (lastOffset < lo || firstOffset > hi)) {
                continue;
            }
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
