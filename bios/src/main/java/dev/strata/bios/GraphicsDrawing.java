package dev.strata.bios;

import dev.strata.emulator.io.IoBus;
import dev.strata.emulator.memory.PhysicalMemory;

/**
 * How INT 10h draws in the graphics modes: dots (AH=0Ch/0Dh), characters from the ROM font (AH=09h/0Ah/0Eh and
 * 13h) and scrolled windows (AH=06h/07h), for each memory layout. Planar modes go through the graphics
 * controller as a VGA BIOS does: write mode 2 with a bit mask for a dot, the read map for reading one back, write
 * mode 1 (latch copies) to scroll and set/reset to fill.
 */
final class GraphicsDrawing {

    private final PhysicalMemory mem;
    private final IoBus io;

    GraphicsDrawing(PhysicalMemory mem, IoBus io) {
        this.mem = mem;
        this.io = io;
    }

    /** Sets dot {@code x},{@code y} to {@code colour}; bit 7 of the colour XORs it in (not in 256-colour mode). */
    void writePixel(VideoMode m, int page, int x, int y, int colour) {
        if (x < 0 || y < 0 || x >= m.width || y >= m.height) {
            return;
        }
        boolean xor = (colour & 0x80) != 0;
        switch (m.layout) {
            case PLANAR -> {
                int address = page + y * (m.width / 8) + x / 8;
                gc(8, 0x80 >> (x & 7));
                gc(5, 0x02);
                gc(3, xor ? 0x18 : 0x00);
                mem.read8(address); // load the latches: the other dots of the byte stay
                mem.write8(address, colour & 0x0F);
                gc(3, 0x00);
                gc(5, 0x00);
                gc(8, 0xFF);
            }
            case LINEAR256 -> mem.write8(page + y * m.width + x, colour);
            default -> {
                int bits = m.layout == VideoMode.Layout.CGA4 ? 2 : 1;
                int perByte = 8 / bits;
                int address = cgaLine(m, page, y) + x / perByte;
                int shift = (perByte - 1 - x % perByte) * bits;
                int mask = (1 << bits) - 1;
                int value = mem.read8(address);
                int dot = (colour & mask) << shift;
                mem.write8(address, xor ? value ^ dot : value & ~(mask << shift) | dot);
            }
        }
    }

    /** The colour of dot {@code x},{@code y}; 0 outside the screen. */
    int readPixel(VideoMode m, int page, int x, int y) {
        if (x < 0 || y < 0 || x >= m.width || y >= m.height) {
            return 0;
        }
        switch (m.layout) {
            case PLANAR: {
                int address = page + y * (m.width / 8) + x / 8;
                int colour = 0;
                for (int p = 0; p < 4; p++) {
                    gc(4, p);
                    colour |= (mem.read8(address) >> (7 - (x & 7)) & 1) << p;
                }
                gc(4, 0);
                return colour;
            }
            case LINEAR256:
                return mem.read8(page + y * m.width + x);
            default: {
                int bits = m.layout == VideoMode.Layout.CGA4 ? 2 : 1;
                int perByte = 8 / bits;
                int value = mem.read8(cgaLine(m, page, y) + x / perByte);
                return value >> (perByte - 1 - x % perByte) * bits & (1 << bits) - 1;
            }
        }
    }

    /** Draws character {@code ch} of {@code font} in cell {@code column},{@code row}: set dots in the colour. */
    void drawChar(VideoMode m, int page, int column, int row, int ch, int colour, byte[] font) {
        int h = m.charHeight;
        boolean xor = (colour & 0x80) != 0 && m.layout != VideoMode.Layout.LINEAR256;
        for (int line = 0; line < h; line++) {
            int bits = font[(ch & 0xFF) * h + line] & 0xFF;
            int y = row * h + line;
            for (int dot = 0; dot < 8; dot++) {
                boolean on = (bits << dot & 0x80) != 0;
                if (on) {
                    writePixel(m, page, column * 8 + dot, y, colour);
                } else if (!xor) {
                    writePixel(m, page, column * 8 + dot, y, 0);
                }
            }
        }
    }

    /**
     * Moves the character rows of a window up or down by {@code lines} rows (all of them when 0) and fills what they
     * leave with {@code fill}, as AH=06h/07h do in text modes.
     */
    void scroll(VideoMode m, int page, int lines, int fill, int top, int left, int bottom, int right, boolean up) {
        int height = bottom - top + 1;
        if (lines == 0 || lines > height) {
            lines = height;
        }
        int bytesPerColumn = m.layout == VideoMode.Layout.LINEAR256 ? 8 : m.layout == VideoMode.Layout.CGA4 ? 2 : 1;
        int first = left * bytesPerColumn;
        int count = (right - left + 1) * bytesPerColumn;
        boolean planar = m.layout == VideoMode.Layout.PLANAR;
        for (int i = 0; i < height; i++) {
            int row = up ? top + i : bottom - i;
            int from = up ? row + lines : row - lines;
            boolean blank = up ? from > bottom : from < top;
            for (int line = 0; line < m.charHeight; line++) {
                int to = lineAddress(m, page, row * m.charHeight + line) + first;
                if (blank) {
                    fill(m, to, count, fill);
                } else {
                    int src = lineAddress(m, page, from * m.charHeight + line) + first;
                    if (planar) {
                        gc(5, 0x01); // write mode 1: each write stores the latches the read loaded
                    }
                    for (int b = 0; b < count; b++) {
                        int value = mem.read8(src + b);
                        mem.write8(to + b, value);
                    }
                    if (planar) {
                        gc(5, 0x00);
                    }
                }
            }
        }
    }

    private void fill(VideoMode m, int address, int count, int colour) {
        int value = switch (m.layout) {
            case LINEAR256 -> colour & 0xFF;
            case CGA4 -> (colour & 3) * 0x55;
            case CGA2 -> (colour & 1) * 0xFF;
            default -> 0;
        };
        if (m.layout == VideoMode.Layout.PLANAR) {
            gc(0, colour & 0x0F);
            gc(1, 0x0F);
        }
        for (int b = 0; b < count; b++) {
            mem.write8(address + b, value);
        }
        if (m.layout == VideoMode.Layout.PLANAR) {
            gc(1, 0x00);
            gc(0, 0x00);
        }
    }

    private int lineAddress(VideoMode m, int page, int y) {
        return switch (m.layout) {
            case PLANAR -> page + y * (m.width / 8);
            case LINEAR256 -> page + y * m.width;
            default -> cgaLine(m, page, y);
        };
    }

    /** CGA layout: even lines from the start of the window, odd lines 8 KiB on, 80 bytes a line. */
    private static int cgaLine(VideoMode m, int page, int y) {
        return page + (y & 1) * 0x2000 + (y >> 1) * 80;
    }

    private void gc(int index, int value) {
        io.out(0x3CE, 1, index);
        io.out(0x3CF, 1, value);
    }
}
