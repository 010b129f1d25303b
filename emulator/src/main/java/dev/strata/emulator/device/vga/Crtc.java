package dev.strata.emulator.device.vga;

import dev.strata.emulator.state.StateClass;
import dev.strata.emulator.state.StateField;

/**
 * The VGA CRT controller's 25 registers behind an index and a data port, with the write protection of registers
 * 0-7 (register 11h bit 7), and the display geometry the registers describe.
 */
@StateClass("dev.strata.emulator.device.vga.Crtc")
final class Crtc {

    static final int REGISTERS = 0x19;
    static final int HORIZONTAL_TOTAL = 0x00;
    static final int HORIZONTAL_DISPLAY_END = 0x01;
    static final int VERTICAL_TOTAL = 0x06;
    static final int OVERFLOW = 0x07;
    static final int MAX_SCAN_LINE = 0x09;
    static final int CURSOR_START = 0x0A;
    static final int CURSOR_END = 0x0B;
    static final int START_ADDRESS_HIGH = 0x0C;
    static final int START_ADDRESS_LOW = 0x0D;
    static final int CURSOR_LOCATION_HIGH = 0x0E;
    static final int CURSOR_LOCATION_LOW = 0x0F;
    static final int VERTICAL_RETRACE_START = 0x10;
    static final int VERTICAL_RETRACE_END = 0x11;
    static final int VERTICAL_DISPLAY_END = 0x12;
    static final int OFFSET = 0x13;
    static final int UNDERLINE_LOCATION = 0x14;
    static final int MODE_CONTROL = 0x17;
    static final int LINE_COMPARE = 0x18;

    @StateField("regs") private final int[] regs = new int[REGISTERS];
    @StateField("index") private int index;

    Crtc(int[] initial) {
        System.arraycopy(initial, 0, regs, 0, REGISTERS);
    }

    int index() {
        return index;
    }

    /** Makes this a copy of {@code other} (a picture's registers). */
    void copyFrom(Crtc other) {
        System.arraycopy(other.regs, 0, regs, 0, REGISTERS);
        index = other.index;
    }

    void setIndex(int value) {
        index = value & 0xFF;
    }

    int readData() {
        return index < REGISTERS ? regs[index] : 0x00;
    }

    /** Writes the indexed register as the data port does; true when its value changed. */
    boolean writeData(int value) {
        if (index >= REGISTERS) {
            return false;
        }
        int before = regs[index];
        if (index <= OVERFLOW && (regs[VERTICAL_RETRACE_END] & 0x80) != 0) {
            if (index == OVERFLOW) {
                // Line compare bit 8 stays writable under protection.
                regs[OVERFLOW] = regs[OVERFLOW] & ~0x10 | value & 0x10;
            }
        } else {
            regs[index] = value & 0xFF;
        }
        return regs[index] != before;
    }

    int get(int reg) {
        return regs[reg];
    }

    void set(int reg, int value) {
        regs[reg] = value & 0xFF;
    }

    int startAddress() {
        return regs[START_ADDRESS_HIGH] << 8 | regs[START_ADDRESS_LOW];
    }

    int cursorLocation() {
        return regs[CURSOR_LOCATION_HIGH] << 8 | regs[CURSOR_LOCATION_LOW];
    }

    /** Scan lines per character row, less one (bits 4-0 of register 9). */
    int maxScanLine() {
        return regs[MAX_SCAN_LINE] & 0x1F;
    }

    boolean doubleScan() {
        return (regs[MAX_SCAN_LINE] & 0x80) != 0;
    }

    int displayedColumns() {
        return regs[HORIZONTAL_DISPLAY_END] + 1;
    }

    /** Displayed scan lines: vertical display end (10 bits) plus one. */
    int displayedScanLines() {
        int ov = regs[OVERFLOW];
        return (regs[VERTICAL_DISPLAY_END] | (ov >> 1 & 1) << 8 | (ov >> 6 & 1) << 9) + 1;
    }

    /** Scan lines per frame: vertical total (10 bits) plus two. */
    int totalScanLines() {
        int ov = regs[OVERFLOW];
        return (regs[VERTICAL_TOTAL] | (ov & 1) << 8 | (ov >> 5 & 1) << 9) + 2;
    }

    int verticalRetraceStart() {
        int ov = regs[OVERFLOW];
        return regs[VERTICAL_RETRACE_START] | (ov >> 2 & 1) << 8 | (ov >> 7 & 1) << 9;
    }

    /** Retrace lasts until the line counter's low four bits equal register 11h bits 3-0: 1 to 16 lines. */
    int verticalRetraceLines() {
        int lines = (regs[VERTICAL_RETRACE_END] - verticalRetraceStart()) & 0x0F;
        return lines == 0 ? 16 : lines;
    }

    /** Character clocks per scan line: horizontal total plus five. */
    int totalCharacterClocks() {
        return regs[HORIZONTAL_TOTAL] + 5;
    }

    /** Memory address units from one row of characters to the next (offset register times two). */
    int rowStride() {
        return regs[OFFSET] * 2;
    }

    /** Text rows shown: displayed scan lines over scan lines per row (doubled when double scanning). */
    int textRows() {
        int linesPerRow = (maxScanLine() + 1) * (doubleScan() ? 2 : 1);
        return displayedScanLines() / linesPerRow;
    }

    /** The scan line where the address counter restarts at 0 (split screen): 10 bits over three registers. */
    int lineCompare() {
        return regs[LINE_COMPARE] | (regs[OVERFLOW] >> 4 & 1) << 8 | (regs[MAX_SCAN_LINE] >> 6 & 1) << 9;
    }

    int cursorStartLine() {
        return regs[CURSOR_START] & 0x1F;
    }

    int cursorEndLine() {
        return regs[CURSOR_END] & 0x1F;
    }

    boolean cursorDisabled() {
        return (regs[CURSOR_START] & 0x20) != 0;
    }
}
