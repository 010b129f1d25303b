package dev.strata.bios;

import dev.strata.emulator.io.IoBus;
import dev.strata.emulator.memory.PhysicalMemory;

/**
 * INT 10h for the VGA: mode set for the text and graphics modes of {@link VideoMode} (programming the VGA's
 * registers through its ports and loading the font into plane 2, as a video BIOS does), cursor, pages, scrolling,
 * character and dot output (graphics modes draw through {@link GraphicsDrawing}), palette and DAC, font loading and
 * the information calls DOS programs make; VBE (AH=4Fh) in {@link VbeServices}. State lives in the BIOS data area;
 * characters and dots go to video memory through the memory bus.
 */
final class VideoServices {

    private final PhysicalMemory mem;
    private final IoBus io;
    private final BiosDataArea bda;
    private final GraphicsDrawing drawing;
    private final VgaFontLoader fonts;
    private final VbeServices vbe;

    VideoServices(PhysicalMemory mem, IoBus io) {
        this.mem = mem;
        this.io = io;
        this.bda = new BiosDataArea(mem);
        this.drawing = new GraphicsDrawing(mem, io);
        this.fonts = new VgaFontLoader(mem, io);
        this.vbe = new VbeServices(mem, io);
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
                if (currentMode().text()) {
                    int cell = cellAddress(page, row(page), column(page));
                    c.setAl(mem.read8(cell));
                    c.setAh(mem.read8(cell + 1));
                } else {
                    c.setAx(0);
                }
            }
            case 0x09 -> writeRepeated(c.bh() & 7, c.al(), c.bl(), c.cx(), true);
            case 0x0A -> writeRepeated(c.bh() & 7, c.al(), c.bl(), c.cx(), false);
            case 0x0C -> {
                VideoMode m = currentMode();
                if (!m.text()) {
                    drawing.writePixel(m, graphicsPage(c.bh()), c.cx(), c.dx(), c.al());
                }
            }
            case 0x0D -> {
                VideoMode m = currentMode();
                c.setAl(m.text() ? 0 : drawing.readPixel(m, graphicsPage(c.bh()), c.cx(), c.dx()));
            }
            case 0x0E -> teletype(c.al(), c.bl());
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
            case 0x4F -> vbe.call(c, this::setMode);
            default -> {
                // the rest: not offered; registers left as they were
            }
        }
    }

    // ---- mode ----------------------------------------------------------------------------------------------------

    /**
     * AH=00h: programs the VGA for a mode, loads its palette and (text) its font, fills the BIOS data area and
     * clears video memory (unless AL bit 7).
     */
    void setMode(int al) {
        int number = al & 0x7F;
        VideoMode mode = VideoMode.of(number);
        if (mode == null) {
            return;
        }
        vbe.disable();
        if ((al & 0x80) == 0) {
            clearAllPlanes();
        }
        programVga(mode);
        if (mode.text()) {
            fonts.load(mode, RomFonts.font(mode.charHeight), mode.charHeight, 0, 256, 0);
        }
        bda.write8(BiosDataArea.VIDEO_MODE, number);
        bda.write16(BiosDataArea.VIDEO_COLUMNS, mode.columns);
        bda.write16(BiosDataArea.VIDEO_PAGE_SIZE, mode.pageSize);
        bda.write16(BiosDataArea.VIDEO_PAGE_OFFSET, 0);
        for (int page = 0; page < 8; page++) {
            bda.write16(BiosDataArea.CURSOR_POSITIONS + page * 2, 0);
        }
        bda.write8(BiosDataArea.VIDEO_PAGE, 0);
        bda.write16(BiosDataArea.CRTC_BASE, mode.mono() ? 0x3B4 : 0x3D4);
        bda.write8(BiosDataArea.VIDEO_MODE_CONTROL, mode.modeControl(number));
        bda.write8(BiosDataArea.VIDEO_PALETTE, 0x30);
        bda.write8(BiosDataArea.VIDEO_ROWS, mode.rows - 1);
        bda.write16(BiosDataArea.CHAR_HEIGHT, mode.charHeight);
        bda.write8(BiosDataArea.VIDEO_EGA_INFO, 0x60 | (al & 0x80));
        bda.write8(BiosDataArea.VIDEO_EGA_SWITCHES, 0xF9);
        bda.write8(BiosDataArea.VIDEO_FLAGS, 0x51);
        bda.write8(BiosDataArea.VIDEO_DCC_INDEX, 0x08);
        int shape = mode.mono() ? 0x0B0C : 0x0607;
        bda.write16(BiosDataArea.CURSOR_SHAPE, shape);
        if ((al & 0x80) == 0 && mode.text()) {
            mem.fill(mode.memory, 2, 0x4000, 0x0720);
        }
        setGraphicsFontVector(mode.charHeight);
        setCursorShape(shape >> 8, shape & 0xFF);
        updateHardwareCursor();
    }

    /** Zeroes all four planes (256 KiB) through a planar window, before the mode's registers go in. */
    private void clearAllPlanes() {
        io.out(0x3C4, 1, 0x02);
        io.out(0x3C5, 1, 0x0F);
        io.out(0x3C4, 1, 0x04);
        io.out(0x3C5, 1, 0x06);
        for (int[] gc : new int[][] {{1, 0}, {3, 0}, {5, 0}, {6, 0x05}, {8, 0xFF}}) {
            io.out(0x3CE, 1, gc[0]);
            io.out(0x3CF, 1, gc[1]);
        }
        mem.fill(0xA0000, 4, 0x4000, 0);
    }

    /** INT 43h: the font the BIOS draws characters with in graphics modes, as tall as the mode's character cell. */
    private void setGraphicsFontVector(int height) {
        mem.write16(0x43 * 4, romFont(height));
        mem.write16(0x43 * 4 + 2, BiosRom.SEGMENT);
    }

    private static int romFont(int height) {
        return height == 8 ? BiosRom.FONT_8X8 : height == 14 ? BiosRom.FONT_8X14 : BiosRom.FONT_8X16;
    }

    private void programVga(VideoMode mode) {
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
        loadPalette(mode.palette);
    }

    /** Loads the mode's colours into the DAC from entry 0, with every pixel bit let through. */
    private void loadPalette(DacPalette palette) {
        io.out(0x3C6, 1, 0xFF);
        io.out(0x3C8, 1, 0);
        for (int component : palette.entries()) {
            io.out(0x3C9, 1, component);
        }
    }

    private VideoMode currentMode() {
        VideoMode m = VideoMode.of(bda.read8(BiosDataArea.VIDEO_MODE));
        return m == null ? VideoMode.TEXT_80x25 : m;
    }

    /** Where graphics page {@code page} starts; most graphics modes have one page, so others fall back to it. */
    private int graphicsPage(int page) {
        VideoMode m = currentMode();
        int offset = (page & 7) * m.pageSize;
        return offset + m.pageSize <= (m.memory == 0xA0000 ? 0x10000 : 0x8000) ? m.memory + offset : m.memory;
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
        VideoMode m = currentMode();
        if (!m.text()) {
            drawing.scroll(m, graphicsPage(page), lines, attr, top, left, bottom, right, up);
            return;
        }
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
        VideoMode m = currentMode();
        if (!m.text()) {
            int row = row(page);
            for (int i = 0, col = column(page); i < count && col < columns(); i++, col++) {
                drawChar(m, page, row, col, ch, attr);
            }
            return;
        }
        int cell = cellAddress(page, row(page), column(page));
        int end = currentMode().memory + 0x8000;
        for (int i = 0; i < count && cell < end; i++, cell += 2) {
            mem.write8(cell, ch);
            if (withAttribute) {
                mem.write8(cell + 1, attr);
            }
        }
    }

    /** Draws a character from the ROM font as tall as the graphics mode's cells, in {@code colour} (bit 7: XOR). */
    private void drawChar(VideoMode m, int page, int row, int column, int ch, int colour) {
        drawing.drawChar(m, graphicsPage(page), column, row, ch, colour, RomFonts.font(m.charHeight));
    }

    /** AH=0Eh in text modes, where the character takes the attribute already in the cell. */
    void teletype(int ch) {
        teletype(ch, 0x07);
    }

    /**
     * AH=0Eh: writes a character at the active page's cursor and moves it on; BEL, BS, LF and CR act. In graphics
     * modes the character is drawn in {@code colour}.
     */
    void teletype(int ch, int colour) {
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
                if (currentMode().text()) {
                    mem.write8(cellAddress(page, row, col), ch);
                } else {
                    drawChar(currentMode(), page, row, col, ch, colour);
                }
                col++;
                if (col >= columns()) {
                    col = 0;
                    row++;
                }
        }
        if (row >= rows()) {
            int attr = currentMode().text() ? mem.read8(cellAddress(page, rows() - 1, 0) + 1) : 0x07;
            int fill = currentMode().text() ? (attr == 0 ? 0x07 : attr) : 0x00;
            scroll(1, fill, 0, 0, rows() - 1, columns() - 1, true);
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
            if (currentMode().text()) {
                int cell = cellAddress(page, row, col);
                mem.write8(cell, ch);
                mem.write8(cell + 1, attr);
            } else {
                drawChar(currentMode(), page, row, col, ch, attr);
            }
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
            case 0x09 -> {
                int table = BiosCall.real(c.es(), c.dx());
                for (int i = 0; i < 17; i++) {
                    mem.write8(table + i, attributeRead(i == 16 ? 0x11 : i));
                }
            }
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
            case 0x18 -> io.out(0x3C6, 1, c.bl());
            case 0x19 -> c.setBl(io.in(0x3C6, 1));
            case 0x1A -> {
                c.setBl(attributeRead(0x10) >> 7);
                c.setBh(attributeRead(0x14) & 0x0F);
            }
            case 0x1B -> sumToGrey(c.bx() & 0xFF, c.cx());
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

    /** AX=101Bh: turns DAC entries into greys of the same brightness (30 % red, 59 % green, 11 % blue). */
    private void sumToGrey(int first, int count) {
        for (int i = first; i < Math.min(256, first + count); i++) {
            io.out(0x3C7, 1, i);
            int r = io.in(0x3C9, 1);
            int g = io.in(0x3C9, 1);
            int b = io.in(0x3C9, 1);
            int grey = Math.min(63, (r * 30 + g * 59 + b * 11 + 50) / 100);
            io.out(0x3C8, 1, i);
            io.out(0x3C9, 1, grey);
            io.out(0x3C9, 1, grey);
            io.out(0x3C9, 1, grey);
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

    /**
     * AH=11h: text fonts into plane 2 (AL=00h-04h; 10h-14h also fit the rows to the font's height: 80x28 with
     * 8x14, 80x50 with 8x8), the block shown (03h), graphics fonts for INT 1Fh/43h (20h-24h) and pointers to the
     * ROM's fonts (30h).
     */
    private void characterGenerator(BiosCall c) {
        VideoMode mode = currentMode();
        int al = c.al();
        switch (al) {
            case 0x00, 0x10 -> {
                int height = c.bh() == 0 ? 16 : c.bh();
                fonts.loadFromMemory(mode, BiosCall.real(c.es(), c.bp()), height, c.dx() & 0xFF, c.cx(), c.bl());
                if (al == 0x10) {
                    setCharHeight(height);
                }
            }
            case 0x01, 0x02, 0x04, 0x11, 0x12, 0x14 -> {
                int height = switch (al & 0x0F) {
                    case 0x01 -> 14;
                    case 0x02 -> 8;
                    default -> 16;
                };
                if (mode.text()) {
                    fonts.load(mode, RomFonts.font(height), height, 0, 256, c.bl());
                }
                if (al >= 0x10) {
                    setCharHeight(height);
                }
            }
            case 0x03 -> {
                io.out(0x3C4, 1, 0x03);
                io.out(0x3C5, 1, c.bl());
            }
            case 0x20 -> {
                mem.write16(0x1F * 4, c.bp());
                mem.write16(0x1F * 4 + 2, c.es());
            }
            case 0x21, 0x22, 0x23, 0x24 -> {
                int height = switch (al) {
                    case 0x21 -> c.cx();
                    case 0x22 -> 14;
                    case 0x23 -> 8;
                    default -> 16;
                };
                mem.write16(0x43 * 4, al == 0x21 ? c.bp() : romFont(height));
                mem.write16(0x43 * 4 + 2, al == 0x21 ? c.es() : BiosRom.SEGMENT);
                if (!mode.text() && height > 0) {
                    bda.write16(BiosDataArea.CHAR_HEIGHT, height);
                }
            }
            case 0x30 -> {
                int[] pointer = fontPointer(c.bh());
                c.setEs(pointer[0]);
                c.setBp(pointer[1]);
                c.setCx(bda.read16(BiosDataArea.CHAR_HEIGHT));
                c.setDl(bda.read8(BiosDataArea.VIDEO_ROWS));
            }
            default -> { }
        }
    }

    /** AX=1130h: segment and offset of the font BH names (the INT 1Fh and 43h vectors, or one of the ROM's). */
    private int[] fontPointer(int bh) {
        return switch (bh) {
            case 0x00 -> new int[] {mem.read16(0x1F * 4 + 2), mem.read16(0x1F * 4)};
            case 0x01 -> new int[] {mem.read16(0x43 * 4 + 2), mem.read16(0x43 * 4)};
            case 0x02 -> new int[] {BiosRom.SEGMENT, BiosRom.FONT_8X14};
            case 0x03 -> new int[] {BiosRom.SEGMENT, BiosRom.FONT_8X8};
            case 0x04 -> new int[] {BiosRom.SEGMENT, BiosRom.FONT_8X8 + 128 * 8};
            case 0x06 -> new int[] {BiosRom.SEGMENT, BiosRom.FONT_8X16};
            default -> new int[] {BiosRom.SEGMENT, BiosRom.NINE_DOT_FIXUPS};
        };
    }

    /** Loads a font of {@code height} lines: the same 400 scan lines then hold 50, 28 or 25 rows. */
    private void setCharHeight(int height) {
        if (currentMode().mono() || !currentMode().text()) {
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
