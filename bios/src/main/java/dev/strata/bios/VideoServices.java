package dev.strata.bios;

import dev.strata.emulator.io.IoBus;
import dev.strata.emulator.memory.PhysicalMemory;

/**
 * INT 10h for the VGA's text modes: mode set (programming the VGA's registers through its ports, as a video BIOS
 * does), cursor, pages, scrolling, character output and the information calls DOS programs make. State lives in the
 * BIOS data area; characters go to video memory through the memory bus.
 */
final class VideoServices {

    private final PhysicalMemory mem;
    private final IoBus io;
    private final BiosDataArea bda;

    VideoServices(PhysicalMemory mem, IoBus io) {
        this.mem = mem;
        this.io = io;
        this.bda = new BiosDataArea(mem);
    }

    void call(BiosCall c) {
        switch (c.ah()) {
            case 0x00 -> setMode(c.al());
            case 0x01 -> setCursorShape(c.ch(), c.cl());
            case 0x02 -> setCursor(c.bh(), c.dh(), c.dl());
            case 0x03 -> {
                int page = c.bh() & 7;
                c.setCx(bda.read16(BiosDataArea.CURSOR_SHAPE));
                c.setDx(bda.read16(BiosDataArea.CURSOR_POSITIONS + page * 2));
                c.setAx(0);
            }
            case 0x05 -> setPage(c.al());
            case 0x06 -> scroll(c.al(), c.bh(), c.ch(), c.cl(), c.dh(), c.dl(), true);
            case 0x07 -> scroll(c.al(), c.bh(), c.ch(), c.cl(), c.dh(), c.dl(), false);
            case 0x08 -> {
                int page = c.bh() & 7;
                int cell = cellAddress(page, row(page), column(page));
                c.setAl(mem.read8(cell));
                c.setAh(mem.read8(cell + 1));
            }
            case 0x09 -> writeRepeated(c.bh() & 7, c.al(), c.bl(), c.cx(), true);
            case 0x0A -> writeRepeated(c.bh() & 7, c.al(), 0, c.cx(), false);
            case 0x0E -> teletype(c.al());
            case 0x0F -> {
                c.setAl(bda.read8(BiosDataArea.VIDEO_MODE) | bda.read8(BiosDataArea.VIDEO_EGA_INFO) & 0x80);
                c.setAh(bda.read16(BiosDataArea.VIDEO_COLUMNS));
                c.setBh(bda.read8(BiosDataArea.VIDEO_PAGE));
            }
            case 0x10 -> palette(c);
            case 0x11 -> characterGenerator(c);
            case 0x12 -> alternateSelect(c);
            case 0x13 -> writeString(c);
            case 0x1A -> {
                if (c.al() == 0x00 || c.al() == 0x01) {
                    c.setAl(0x1A);
                    c.setBx(currentMode().mono() ? 0x07 : 0x08); // VGA with a colour (or mono) analogue display
                }
            }
            default -> {
                // Pixels (0Ch/0Dh), VBE (4Fh) and the rest: not offered; registers left as they were (a VBE
                // caller sees AL != 4Fh and knows).
            }
        }
    }

    // ---- mode ----------------------------------------------------------------------------------------------------

    /** AH=00h: programs the VGA for a text mode, fills the BIOS data area and clears the screen (unless AL bit 7). */
    void setMode(int al) {
        int number = al & 0x7F;
        TextMode mode = TextMode.of(number);
        if (mode == null) {
            return;
        }
        programVga(mode);
        bda.write8(BiosDataArea.VIDEO_MODE, number);
        bda.write16(BiosDataArea.VIDEO_COLUMNS, mode.columns);
        bda.write16(BiosDataArea.VIDEO_PAGE_SIZE, mode.pageSize());
        bda.write16(BiosDataArea.VIDEO_PAGE_OFFSET, 0);
        for (int page = 0; page < 8; page++) {
            bda.write16(BiosDataArea.CURSOR_POSITIONS + page * 2, 0);
        }
        bda.write8(BiosDataArea.VIDEO_PAGE, 0);
        bda.write16(BiosDataArea.CRTC_BASE, mode.mono() ? 0x3B4 : 0x3D4);
        bda.write8(BiosDataArea.VIDEO_MODE_CONTROL, mode.modeControl(number));
        bda.write8(BiosDataArea.VIDEO_PALETTE, 0x30);
        bda.write8(BiosDataArea.VIDEO_ROWS, 24);
        bda.write16(BiosDataArea.CHAR_HEIGHT, mode.charHeight);
        bda.write8(BiosDataArea.VIDEO_EGA_INFO, 0x60 | (al & 0x80));
        bda.write8(BiosDataArea.VIDEO_EGA_SWITCHES, 0xF9);
        bda.write8(BiosDataArea.VIDEO_FLAGS, 0x51);
        bda.write8(BiosDataArea.VIDEO_DCC_INDEX, 0x08);
        int shape = mode.mono() ? 0x0B0C : 0x0607;
        bda.write16(BiosDataArea.CURSOR_SHAPE, shape);
        if ((al & 0x80) == 0) {
            for (int a = 0; a < 0x8000; a += 2) {
                mem.write16(mode.memory + a, 0x0720);
            }
        }
        setCursorShape(shape >> 8, shape & 0xFF);
        updateHardwareCursor();
    }

    private void programVga(TextMode mode) {
        io.out(0x3C4, 1, 0x00);
        io.out(0x3C5, 1, 0x01); // synchronous reset while the clocking changes
        io.out(0x3C2, 1, mode.misc);
        for (int i = 1; i < mode.sequencer.length; i++) {
            io.out(0x3C4, 1, i);
            io.out(0x3C5, 1, mode.sequencer[i]);
        }
        io.out(0x3C4, 1, 0x00);
        io.out(0x3C5, 1, 0x03);
        int crtc = mode.mono() ? 0x3B4 : 0x3D4;
        io.out(crtc, 1, 0x11);
        io.out(crtc + 1, 1, 0x00); // unlock CRTC registers 0-7
        for (int i = 0; i < mode.crtc.length; i++) {
            io.out(crtc, 1, i);
            io.out(crtc + 1, 1, mode.crtc[i]);
        }
        for (int i = 0; i < mode.graphics.length; i++) {
            io.out(0x3CE, 1, i);
            io.out(0x3CF, 1, mode.graphics[i]);
        }
        io.in(crtc + 6, 1); // reset the attribute controller's flip-flop
        for (int i = 0; i < mode.attributes.length; i++) {
            io.out(0x3C0, 1, i);
            io.out(0x3C0, 1, mode.attributes[i]);
        }
        io.out(0x3C0, 1, 0x20); // palette address source: let the screen show
        loadEgaPalette();
    }

    /** DAC entries 0-63 as the 64 EGA colours (two bits per primary), which the text attribute palette selects. */
    private void loadEgaPalette() {
        io.out(0x3C6, 1, 0xFF);
        io.out(0x3C8, 1, 0);
        for (int i = 0; i < 64; i++) {
            io.out(0x3C9, 1, (i >> 2 & 1) * 42 + (i >> 5 & 1) * 21);
            io.out(0x3C9, 1, (i >> 1 & 1) * 42 + (i >> 4 & 1) * 21);
            io.out(0x3C9, 1, (i & 1) * 42 + (i >> 3 & 1) * 21);
        }
    }

    private TextMode currentMode() {
        TextMode m = TextMode.of(bda.read8(BiosDataArea.VIDEO_MODE));
        return m == null ? TextMode.MODE_80x25 : m;
    }

    private int crtcPort() {
        int port = bda.read16(BiosDataArea.CRTC_BASE);
        return port == 0x3B4 ? 0x3B4 : 0x3D4;
    }

    private void crtcWrite(int index, int value) {
        io.out(crtcPort(), 1, index);
        io.out(crtcPort() + 1, 1, value);
    }

    // ---- cursor and pages ------------------------------------------------------------------------------------------

    /**
     * AH=01h: CGA-style start/end lines (0-7) are scaled to the character cell, as a VGA BIOS's cursor emulation
     * does; bit 5 of the start line hides the cursor.
     */
    void setCursorShape(int start, int end) {
        bda.write16(BiosDataArea.CURSOR_SHAPE, (start & 0xFF) << 8 | (end & 0xFF));
        int height = bda.read8(BiosDataArea.CHAR_HEIGHT);
        int s = start & 0x1F;
        int e = end & 0x1F;
        if (height > 8 && s <= 7 && e <= 7 && !currentMode().mono()) {
            if (e == 7) {
                e = height - 2;
                s = s >= 6 ? e - 1 : s * height / 8;
            } else {
                s = s * height / 8;
                e = e * height / 8;
            }
        }
        crtcWrite(0x0A, (start & 0x20) | s);
        crtcWrite(0x0B, e);
    }

    void setCursor(int page, int row, int column) {
        page &= 7;
        bda.write16(BiosDataArea.CURSOR_POSITIONS + page * 2, (row & 0xFF) << 8 | (column & 0xFF));
        if (page == bda.read8(BiosDataArea.VIDEO_PAGE)) {
            updateHardwareCursor();
        }
    }

    private void updateHardwareCursor() {
        int page = bda.read8(BiosDataArea.VIDEO_PAGE) & 7;
        int position = bda.read16(BiosDataArea.VIDEO_PAGE_OFFSET) / 2 + row(page) * columns() + column(page);
        crtcWrite(0x0E, position >> 8 & 0xFF);
        crtcWrite(0x0F, position & 0xFF);
    }

    void setPage(int page) {
        page &= 7;
        int offset = page * bda.read16(BiosDataArea.VIDEO_PAGE_SIZE);
        bda.write8(BiosDataArea.VIDEO_PAGE, page);
        bda.write16(BiosDataArea.VIDEO_PAGE_OFFSET, offset);
        crtcWrite(0x0C, offset / 2 >> 8 & 0xFF);
        crtcWrite(0x0D, offset / 2 & 0xFF);
        updateHardwareCursor();
    }

    private int row(int page) {
        return bda.read8(BiosDataArea.CURSOR_POSITIONS + page * 2 + 1);
    }

    private int column(int page) {
        return bda.read8(BiosDataArea.CURSOR_POSITIONS + page * 2);
    }

    private int columns() {
        return Math.max(1, bda.read16(BiosDataArea.VIDEO_COLUMNS));
    }

    private int rows() {
        return bda.read8(BiosDataArea.VIDEO_ROWS) + 1;
    }

    private int cellAddress(int page, int row, int column) {
        return currentMode().memory + page * bda.read16(BiosDataArea.VIDEO_PAGE_SIZE) + (row * columns() + column) * 2;
    }

    // ---- output ----------------------------------------------------------------------------------------------------

    /** AH=06h (up) / 07h (down): moves a window's rows by {@code lines} (0: blanks it) and fills with {@code attr}. */
    void scroll(int lines, int attr, int top, int left, int bottom, int right, boolean up) {
        int cols = columns();
        int rowCount = rows();
        bottom = Math.min(bottom, rowCount - 1);
        right = Math.min(right, cols - 1);
        if (top > bottom || left > right) {
            return;
        }
        int height = bottom - top + 1;
        if (lines == 0 || lines > height) {
            lines = height;
        }
        int page = bda.read8(BiosDataArea.VIDEO_PAGE) & 7;
        for (int i = 0; i < height; i++) {
            int row = up ? top + i : bottom - i;
            int from = up ? row + lines : row - lines;
            boolean blank = up ? from > bottom : from < top;
            for (int col = left; col <= right; col++) {
                int to = cellAddress(page, row, col);
                if (blank) {
                    mem.write16(to, attr << 8 | 0x20);
                } else {
                    mem.write16(to, mem.read16(cellAddress(page, from, col)));
                }
            }
        }
    }

    private void writeRepeated(int page, int ch, int attr, int count, boolean withAttribute) {
        int cell = cellAddress(page, row(page), column(page));
        int end = currentMode().memory + 0x8000;
        for (int i = 0; i < count && cell < end; i++, cell += 2) {
            mem.write8(cell, ch);
            if (withAttribute) {
                mem.write8(cell + 1, attr);
            }
        }
    }

    /** AH=0Eh: writes a character at the active page's cursor and moves it on; BEL, BS, LF and CR act. */
    void teletype(int ch) {
        int page = bda.read8(BiosDataArea.VIDEO_PAGE) & 7;
        int row = row(page);
        int col = column(page);
        switch (ch) {
            case 0x07:
                return;
            case 0x08:
                if (col > 0) {
                    col--;
                }
                break;
            case 0x0A:
                row++;
                break;
            case 0x0D:
                col = 0;
                break;
            default:
                mem.write8(cellAddress(page, row, col), ch);
                col++;
                if (col >= columns()) {
                    col = 0;
                    row++;
                }
        }
        if (row >= rows()) {
            int attr = mem.read8(cellAddress(page, rows() - 1, 0) + 1);
            scroll(1, attr == 0 ? 0x07 : attr, 0, 0, rows() - 1, columns() - 1, true);
            row = rows() - 1;
        }
        setCursor(page, row, col);
    }

    /** Writes a Java string through the teletype (the POST banner, boot messages). */
    void print(String text) {
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch == '\n') {
                teletype(0x0D);
                teletype(0x0A);
            } else {
                teletype(ch < 0x80 ? ch : '-');
            }
        }
    }

    private void writeString(BiosCall c) {
        int mode = c.al();
        int page = c.bh() & 7;
        int saved = bda.read16(BiosDataArea.CURSOR_POSITIONS + page * 2);
        int active = bda.read8(BiosDataArea.VIDEO_PAGE);
        int address = BiosCall.real(c.es(), c.bp());
        int row = c.dh();
        int col = c.dl();
        int attr = c.bl();
        for (int i = 0; i < c.cx(); i++) {
            int ch = mem.read8(address++);
            if ((mode & 2) != 0) {
                attr = mem.read8(address++);
            }
            if (ch == 0x07 || ch == 0x08 || ch == 0x0A || ch == 0x0D) {
                bda.write16(BiosDataArea.CURSOR_POSITIONS + page * 2, row << 8 | col);
                bda.write8(BiosDataArea.VIDEO_PAGE, page);
                teletype(ch);
                bda.write8(BiosDataArea.VIDEO_PAGE, active);
                row = row(page);
                col = column(page);
                continue;
            }
            int cell = cellAddress(page, row, col);
            mem.write8(cell, ch);
            mem.write8(cell + 1, attr);
            if (++col >= columns()) {
                col = 0;
                if (++row >= rows()) {
                    row = rows() - 1;
                }
            }
        }
        if ((mode & 1) != 0) {
            setCursor(page, row, col);
        } else {
            setCursor(page, saved >> 8, saved & 0xFF);
        }
    }

    // ---- palette ---------------------------------------------------------------------------------------------------

    /** AH=10h: attribute controller palette, overscan and blink, and the DAC's colour registers. */
    private void palette(BiosCall c) {
        switch (c.al()) {
            case 0x00 -> attributeWrite(c.bl() & 0x0F, c.bh());
            case 0x01 -> attributeWrite(0x11, c.bh());
            case 0x02 -> {
                int table = BiosCall.real(c.es(), c.dx());
                for (int i = 0; i < 17; i++) {
                    attributeWrite(i == 16 ? 0x11 : i, mem.read8(table + i));
                }
            }
            case 0x03 -> attributeWrite(0x10, attributeRead(0x10) & ~0x08 | (c.bl() & 1) << 3);
            case 0x07 -> c.setBh(attributeRead(c.bl() & 0x1F));
            case 0x08 -> c.setBh(attributeRead(0x11));
            case 0x10 -> {
                io.out(0x3C8, 1, c.bl());
                io.out(0x3C9, 1, c.dh());
                io.out(0x3C9, 1, c.ch());
                io.out(0x3C9, 1, c.cl());
            }
            case 0x12 -> {
                int table = BiosCall.real(c.es(), c.dx());
                io.out(0x3C8, 1, c.bl());
                for (int i = 0; i < c.cx() * 3; i++) {
                    io.out(0x3C9, 1, mem.read8(table + i));
                }
            }
            case 0x15 -> {
                io.out(0x3C7, 1, c.bl());
                c.setDh(io.in(0x3C9, 1));
                c.setCh(io.in(0x3C9, 1));
                c.setCl(io.in(0x3C9, 1));
            }
            case 0x17 -> {
                int table = BiosCall.real(c.es(), c.dx());
                io.out(0x3C7, 1, c.bl());
                for (int i = 0; i < c.cx() * 3; i++) {
                    mem.write8(table + i, io.in(0x3C9, 1));
                }
            }
            default -> { }
        }
    }

    /** Writes attribute controller register {@code index}, leaving the screen on (palette address source set). */
    private void attributeWrite(int index, int value) {
        io.in(crtcPort() + 6, 1);
        io.out(0x3C0, 1, index & 0x1F);
        io.out(0x3C0, 1, value);
        io.out(0x3C0, 1, 0x20);
    }

    private int attributeRead(int index) {
        io.in(crtcPort() + 6, 1);
        io.out(0x3C0, 1, index & 0x1F);
        int value = io.in(0x3C1, 1);
        io.in(crtcPort() + 6, 1);
        io.out(0x3C0, 1, 0x20);
        return value;
    }

    // ---- fonts and information -------------------------------------------------------------------------------------

    private void characterGenerator(BiosCall c) {
        switch (c.al()) {
            case 0x30 -> {
                // Font pointers: Strata's VGA draws glyphs itself, so the tables are a zero-filled ROM area.
                c.setEs(BiosRom.SEGMENT);
                c.setBp(BiosRom.FONT_AREA);
                c.setCx(bda.read16(BiosDataArea.CHAR_HEIGHT));
                c.setDl(bda.read8(BiosDataArea.VIDEO_ROWS));
            }
            case 0x02, 0x12 -> setCharHeight(8);
            case 0x01, 0x11 -> setCharHeight(14);
            case 0x04, 0x14 -> setCharHeight(16);
            default -> { }
        }
    }

    /** Loads a font of {@code height} lines: the same 400 scan lines then hold 50, 28 or 25 rows. */
    private void setCharHeight(int height) {
        if (currentMode().mono()) {
            return;
        }
        io.out(crtcPort(), 1, 0x09);
        int maxScan = io.in(crtcPort() + 1, 1);
        crtcWrite(0x09, maxScan & 0xE0 | (height - 1));
        bda.write16(BiosDataArea.CHAR_HEIGHT, height);
        bda.write8(BiosDataArea.VIDEO_ROWS, 400 / height - 1);
        bda.write16(BiosDataArea.VIDEO_PAGE_SIZE, (400 / height * columns() * 2 + 0xFF) & ~0xFF);
        int cursorEnd = height - 1 - (height > 8 ? 1 : 0);
        crtcWrite(0x0A, cursorEnd - 1);
        crtcWrite(0x0B, cursorEnd);
        bda.write16(BiosDataArea.CURSOR_SHAPE, 0x0607);
    }

    private void alternateSelect(BiosCall c) {
        switch (c.bl()) {
            case 0x10 -> {
                c.setBh(currentMode().mono() ? 1 : 0);
                c.setBl(3); // 256 KiB of video memory
                c.setCh(0);
                c.setCl(bda.read8(BiosDataArea.VIDEO_EGA_SWITCHES) & 0x0F);
            }
            case 0x30, 0x31, 0x32, 0x33, 0x34, 0x36 -> c.setAl(0x12);
            default -> { }
        }
    }
}
