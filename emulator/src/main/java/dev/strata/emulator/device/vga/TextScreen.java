package dev.strata.emulator.device.vga;

import java.util.ArrayList;
import java.util.List;

/**
 * A snapshot of what a text-mode screen shows: its size, each cell's character (a CP437 byte) and attribute, the
 * cursor, and whether the attribute's bit 7 means blink. Guest tests assert on {@link #toText()}; a screen dump
 * writes it to a file.
 */
public final class TextScreen {

    private final int columns;
    private final int rows;
    private final byte[] characters;
    private final byte[] attributes;
    private final int cursorRow;
    private final int cursorColumn;
    private final boolean cursorVisible;
    private final boolean blinkEnabled;
    private final boolean graphicsMode;

    /**
     * @param characters row-major CP437 bytes, {@code columns * rows} of them
     * @param attributes row-major attribute bytes, as many
     */
    public TextScreen(int columns, int rows, byte[] characters, byte[] attributes, int cursorRow, int cursorColumn,
            boolean cursorVisible, boolean blinkEnabled, boolean graphicsMode) {
        if (columns < 0 || rows < 0 || characters.length != columns * rows || attributes.length != columns * rows) {
            throw new IllegalArgumentException(String.format(
                    "a %dx%d screen needs %d characters and attributes, got %d and %d", columns, rows,
                    columns * rows, characters.length, attributes.length));
        }
        this.columns = columns;
        this.rows = rows;
        this.characters = characters.clone();
        this.attributes = attributes.clone();
        this.cursorRow = cursorRow;
        this.cursorColumn = cursorColumn;
        this.cursorVisible = cursorVisible;
        this.blinkEnabled = blinkEnabled;
        this.graphicsMode = graphicsMode;
    }

    public int columns() {
        return columns;
    }

    public int rows() {
        return rows;
    }

    /** The CP437 byte in a cell (0..255). */
    public int charAt(int row, int column) {
        return characters[index(row, column)] & 0xFF;
    }

    /** The attribute byte of a cell: bits 3-0 foreground, 6-4 background, 7 blink or bright background. */
    public int attributeAt(int row, int column) {
        return attributes[index(row, column)] & 0xFF;
    }

    /** The cell's character as Unicode. */
    public char unicodeAt(int row, int column) {
        return Cp437.toUnicode(charAt(row, column));
    }

    public int cursorRow() {
        return cursorRow;
    }

    public int cursorColumn() {
        return cursorColumn;
    }

    /** True when the cursor is enabled, has a visible shape, and sits on the screen. */
    public boolean cursorVisible() {
        return cursorVisible;
    }

    /** True when attribute bit 7 makes text blink; false when it selects a bright background. */
    public boolean blinkEnabled() {
        return blinkEnabled;
    }

    /** True when the adapter is in a graphics mode: the cells then do not describe what is shown. */
    public boolean graphicsMode() {
        return graphicsMode;
    }

    /** One row as Unicode, full width. */
    public String line(int row) {
        StringBuilder sb = new StringBuilder(columns);
        for (int c = 0; c < columns; c++) {
            sb.append(unicodeAt(row, c));
        }
        return sb.toString();
    }

    /** Every row as Unicode with trailing spaces removed. */
    public List<String> lines() {
        List<String> out = new ArrayList<>(rows);
        for (int r = 0; r < rows; r++) {
            out.add(line(r).stripTrailing());
        }
        return out;
    }

    /** The screen as plain text: every row, trailing spaces removed, each ended by a newline. */
    public String toText() {
        StringBuilder sb = new StringBuilder(rows * (columns + 1));
        for (String line : lines()) {
            sb.append(line).append('\n');
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return columns + "x" + rows + " text screen, cursor " + (cursorVisible ? "at " + cursorRow + ","
                + cursorColumn : "hidden");
    }

    private int index(int row, int column) {
        if (row < 0 || row >= rows || column < 0 || column >= columns) {
            throw new IndexOutOfBoundsException(String.format("cell %d,%d is outside the %dx%d screen", row, column,
                    columns, rows));
        }
        return row * columns + column;
    }
}
