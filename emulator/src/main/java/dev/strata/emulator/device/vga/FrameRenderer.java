package dev.strata.emulator.device.vga;

import dev.strata.emulator.display.Frame;

/**
 * Turns the VGA's memory and registers into an RGB {@link Frame}, the way its CRT controller scans memory and its
 * attribute controller and DAC colour the dots: text with the font in plane 2 (8 or 9 dots, blink, cursor, two
 * character maps), 16-colour planar and CGA-interleaved graphics, and 256 colours chained or unchained; the start
 * address, offset, byte/word/doubleword addressing, CGA row-scan address substitution, line compare (split screen),
 * double scan and horizontal panning. Graphics modes whose lines repeat (double scan, two scan lines per row) come
 * out at their own resolution, 320x200 for mode 13h; text comes out dot for dot (720x400 for mode 3).
 *
 * <p>It reads a {@link VgaPicture}, never the live device, so it may run on any thread; one instance renders one
 * picture at a time and keeps its buffers for the next.
 */
final class FrameRenderer {

    /** 70 Hz frames: the cursor blinks every 16 frames, blinking text every 32. */
    static final long NANOS_PER_FRAME = 14_285_714L;
    private static final int MAX_SIDE = 2048;
    private static final int[] CHARACTER_MAP_OFFSETS = {0x0000, 0x4000, 0x8000, 0xC000, 0x2000, 0x6000, 0xA000,
        0xE000};
    /** Each byte's bits spread one to a nibble, bit 7 in the top nibble: four planes OR together into 8 dots. */
    private static final int[] SPREAD = new int[256];

    static {
        for (int b = 0; b < 256; b++) {
            int spread = 0;
            for (int bit = 0; bit < 8; bit++) {
                spread |= (b >> bit & 1) << bit * 4;
            }
            SPREAD[b] = spread;
        }
    }

    /** The picture being rendered: set at the start of {@link #render}. */
    private byte[][] planes;
    private int[] sequencer;
    private int[] graphics;
    private Crtc crtc;
    private AttributeController attribute;
    private final int[] dacColors = new int[256];
    private final int[] attributeColors = new int[16];
    /** One line's dots with a character clock to spare for panning; grown to the widest mode seen. */
    private int[] lineBuffer = new int[0];
    /** A 40-column text frame before its dots are doubled; grown as needed. */
    private int[] narrow = new int[0];
    /** Sequencer clocking mode bit 3: the dot clock divided by two (40-column text, 320-dot graphics). */
    private static final int HALF_DOT_CLOCK = 0x08;
    /** Attribute mode control bit 1: monochrome (MDA) attributes, which underline foreground 1 on background 0. */
    private static final int MONOCHROME_ATTRIBUTES = 0x02;

    /**
     * Renders {@code picture} (a standard VGA mode) as it is at its virtual time, which sets the cursor's and text's
     * blink; into {@code reuse}'s pixels when it has the frame's size (null: a new frame).
     */
    Frame render(VgaPicture picture, Frame reuse) {
        planes = picture.planes;
        sequencer = picture.sequencer;
        graphics = picture.graphics;
        crtc = picture.crtc;
        attribute = picture.attribute;
        loadColors(picture.dac);
        boolean text = (graphics[VgaMemory.GC_MISC] & 0x01) == 0;
        boolean colors256 = (graphics[VgaMemory.GC_MODE] & 0x40) != 0;
        int columns = crtc.displayedColumns();
        int dotsPerClock = text ? ((sequencer[1] & 0x01) != 0 ? 8 : 9) : colors256 ? 4 : 8;
        int width = Math.min(MAX_SIDE, columns * dotsPerClock);
        int scanLines = Math.min(MAX_SIDE, crtc.displayedScanLines());
        boolean rowScanAddresses = (crtc.get(Crtc.MODE_CONTROL) & 0x03) != 0x03;
        int repeat = (crtc.doubleScan() ? 2 : 1) * (text || rowScanAddresses ? 1 : crtc.maxScanLine() + 1);
        int height = Math.max(1, scanLines / repeat);
        boolean widen = text && (sequencer[1] & HALF_DOT_CLOCK) != 0;
        Frame out = frame(widen ? 2 * width : width, height, reuse);
        int[] pixels = out.pixels();
        if (widen) {
            if (narrow.length < width * height) {
                narrow = new int[width * height];
            }
            pixels = narrow;
        }
        if (!screenOn()) {
            // a blanked 40-column screen keeps the monitor's 720 dots, so a window does not change size for it
            java.util.Arrays.fill(out.pixels(), 0xFF000000);
            return out;
        }
        long frame = picture.nanos / NANOS_PER_FRAME;
        LineContext line = new LineContext(columns, dotsPerClock, text, colors256, (frame & 16) == 0,
                (frame & 8) == 0, addressShift(), crtc.get(Crtc.MODE_CONTROL), lineBuffer(columns, dotsPerClock));
        int rowStart = crtc.startAddress();
        int rowScan = 0;
        boolean repeatPending = false;
        int lineCompare = crtc.lineCompare();
        int outY = 0;
        for (int y = 0; y < scanLines && outY < height; y++) {
            boolean split = y == lineCompare + 1; // the line after the compare starts again at address 0
            if (split) {
                rowStart = 0;
                rowScan = 0;
                repeatPending = false;
            }
            boolean draw = !repeatPending && (text || rowScanAddresses || rowScan == 0);
            if (draw) {
                int pan = split && (attribute.get(AttributeController.MODE_CONTROL) & 0x20) != 0 ? 0 : panning(line);
                drawLine(line, rowStart, rowScan, pan, pixels, outY * width, width);
                outY++;
            }
            if (crtc.doubleScan() && !repeatPending) {
                repeatPending = true;
            } else {
                repeatPending = false;
                if (rowScan >= crtc.maxScanLine()) {
                    rowScan = 0;
                    rowStart += crtc.rowStride();
                } else {
                    rowScan++;
                }
            }
        }
        // lines the scan did not reach stay transparent black, as in a frame freshly allocated
        java.util.Arrays.fill(pixels, Math.min(outY * width, width * height), width * height, 0);
        if (widen) {
            widen(pixels, width * height, out.pixels());
        }
        return out;
    }

    /** {@code reuse} when it has the size asked for, else a new frame of that size. */
    static Frame frame(int width, int height, Frame reuse) {
        if (reuse != null && reuse.width() == width && reuse.height() == height) {
            return reuse;
        }
        return new Frame(width, height, new int[width * height]);
    }

    private int[] lineBuffer(int columns, int dotsPerClock) {
        int length = (columns + 1) * dotsPerClock;
        if (lineBuffer.length < length) {
            lineBuffer = new int[length];
        }
        return lineBuffer;
    }

    /**
     * A text mode on half the dot clock (40 columns) shows each dot twice as wide on the monitor: 40x25 fills the
     * same 720x400 as 80x25. Graphics modes on half the clock keep their own dots (320x200 stays 320x200), as 13h's
     * do.
     */
    private static void widen(int[] pixels, int count, int[] wide) {
        for (int i = 0; i < count; i++) {
            wide[2 * i] = pixels[i];
            wide[2 * i + 1] = pixels[i];
        }
    }

    private boolean screenOn() {
        return attribute.screenEnabled() && (sequencer[1] & 0x20) == 0;
    }

    /** Dots the picture moves left by: attribute register 13h, which counts 8 as 0 in 9-dot text. */
    private int panning(LineContext line) {
        int pan = attribute.get(AttributeController.HORIZONTAL_PANNING) & 0x0F;
        if (line.dotsPerClock == 9) {
            return pan >= 8 ? 0 : pan + 1;
        }
        return line.colors256 ? (pan & 7) >> 1 : pan & 7;
    }

    private void drawLine(LineContext line, int rowStart, int rowScan, int pan, int[] pixels, int at, int width) {
        int[] buffer = line.buffer;
        for (int clock = 0; clock <= line.columns; clock++) {
            int counter = rowStart + clock;
            int address = address(line, counter, rowScan);
            int x = clock * line.dotsPerClock;
            if (line.text) {
                drawCharacter(line, counter, address, rowScan, buffer, x);
            } else if (line.colors256) {
                buffer[x] = dacColors[planes[0][address] & 0xFF];
                buffer[x + 1] = dacColors[planes[1][address] & 0xFF];
                buffer[x + 2] = dacColors[planes[2][address] & 0xFF];
                buffer[x + 3] = dacColors[planes[3][address] & 0xFF];
            } else if ((graphics[VgaMemory.GC_MODE] & 0x20) != 0) {
                drawInterleaved(address, buffer, x);
            } else {
                drawPlanar(address, buffer, x);
            }
        }
        System.arraycopy(buffer, pan, pixels, at, width);
    }

    /** Doubleword (2), word (1) or byte (0) addressing: how far the address counter is shifted onto memory. */
    private int addressShift() {
        if ((crtc.get(Crtc.UNDERLINE_LOCATION) & 0x40) != 0) {
            return 2;
        }
        return (crtc.get(Crtc.MODE_CONTROL) & 0x40) == 0 ? 1 : 0;
    }

    /** The memory address the CRTC puts out for address counter {@code counter} on row scan line {@code rowScan}. */
    private static int address(LineContext line, int counter, int rowScan) {
        int mode = line.crtcMode;
        int address = counter << line.addressShift;
        if ((mode & 0x01) == 0) {
            address = address & ~0x2000 | (rowScan & 1) << 13;
        }
        if ((mode & 0x02) == 0) {
            address = address & ~0x4000 | (rowScan >> 1 & 1) << 14;
        }
        return address & (VgaMemory.PLANE_SIZE - 1);
    }

    private void drawCharacter(LineContext line, int counter, int address, int rowScan, int[] buffer, int x) {
        int ch = planes[0][address] & 0xFF;
        int attr = planes[1][address] & 0xFF;
        int map = (attr & 0x08) != 0 ? characterMapA() : characterMapB();
        int glyph = rowScan < 32 ? planes[2][CHARACTER_MAP_OFFSETS[map] + ch * 32 + rowScan] & 0xFF : 0;
        int background = attr >> 4;
        if (attribute.blinkEnabled()) {
            background &= 7;
            if ((attr & 0x80) != 0 && !line.blinkVisible) {
                glyph = 0;
            }
        }
        if ((attribute.get(AttributeController.MODE_CONTROL) & MONOCHROME_ATTRIBUTES) != 0 && (attr & 0x77) == 0x01
                && rowScan == (crtc.get(Crtc.UNDERLINE_LOCATION) & 0x1F)) {
            glyph = 0xFF; // the monochrome underline attribute: foreground 1 on background 0
        }
        if (line.cursorVisible && counter == crtc.cursorLocation() && !crtc.cursorDisabled()
                && rowScan >= crtc.cursorStartLine() && rowScan <= crtc.cursorEndLine()) {
            glyph = 0xFF;
        }
        int fg = attributeColors[attr & 0x0F];
        int bg = attributeColors[background];
        for (int bit = 0; bit < 8; bit++) {
            buffer[x + bit] = (glyph << bit & 0x80) != 0 ? fg : bg;
        }
        if (line.dotsPerClock == 9) {
            boolean lineGraphics = ch >= 0xC0 && ch <= 0xDF
                    && (attribute.get(AttributeController.MODE_CONTROL) & 0x04) != 0;
            buffer[x + 8] = lineGraphics && (glyph & 1) != 0 ? fg : bg;
        }
    }

    private int characterMapA() {
        int s = sequencer[3];
        return s >> 3 & 4 | s >> 2 & 3;
    }

    private int characterMapB() {
        int s = sequencer[3];
        return s >> 2 & 4 | s & 3;
    }

    private void drawPlanar(int address, int[] buffer, int x) {
        int dots = SPREAD[planes[0][address] & 0xFF] | SPREAD[planes[1][address] & 0xFF] << 1
                | SPREAD[planes[2][address] & 0xFF] << 2 | SPREAD[planes[3][address] & 0xFF] << 3;
        for (int i = 0; i < 8; i++) {
            buffer[x + i] = attributeColors[dots >>> 28 - i * 4 & 0x0F];
        }
    }

    /** CGA four-colour layout: two bits a dot, the first four dots from plane 0's byte, the next four from plane 1's. */
    private void drawInterleaved(int address, int[] buffer, int x) {
        int even = planes[0][address] & 0xFF;
        int odd = planes[1][address] & 0xFF;
        for (int i = 0; i < 4; i++) {
            buffer[x + i] = attributeColors[even >> 6 - i * 2 & 3];
            buffer[x + 4 + i] = attributeColors[odd >> 6 - i * 2 & 3];
        }
    }

    /** The DAC as RGB (through the pixel mask), and each 4-bit dot value through plane enable, attribute palette and colour select. */
    private void loadColors(Dac dac) {
        int mask = dac.pixelMask();
        for (int i = 0; i < 256; i++) {
            dacColors[i] = dac.argb(i & mask);
        }
        int mode = attribute.get(AttributeController.MODE_CONTROL);
        int enable = attribute.get(AttributeController.COLOR_PLANE_ENABLE) & 0x0F;
        int select = attribute.get(AttributeController.COLOR_SELECT);
        for (int v = 0; v < 16; v++) {
            int index = attribute.get(v & enable) & 0x3F;
            if ((mode & 0x80) != 0) {
                index = index & 0x0F | (select & 3) << 4;
            }
            index |= (select >> 2 & 3) << 6;
            attributeColors[v] = dacColors[index];
        }
    }


    /** What one frame's lines share: the layout, a line buffer one character clock wider for panning, blink phases. */
    private static final class LineContext {
        final int columns;
        final int dotsPerClock;
        final boolean text;
        final boolean colors256;
        final boolean blinkVisible;
        final boolean cursorVisible;
        final int[] buffer;
        final int addressShift;
        final int crtcMode;

        LineContext(int columns, int dotsPerClock, boolean text, boolean colors256, boolean blinkVisible,
                boolean cursorVisible, int addressShift, int crtcMode, int[] buffer) {
            this.addressShift = addressShift;
            this.crtcMode = crtcMode;
            this.columns = columns;
            this.dotsPerClock = dotsPerClock;
            this.text = text;
            this.colors256 = colors256;
            this.blinkVisible = blinkVisible;
            this.cursorVisible = cursorVisible;
            this.buffer = buffer;
        }
    }
}
