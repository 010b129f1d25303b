package dev.strata.emulator.device.vga;

/**
 * Which bytes of video memory the picture is made from in the current mode, so that a CPU write elsewhere (an
 * off-screen text page, a hidden graphics page) does not count as a change of the picture.
 *
 * <p>The answer is a superset, never a subset: the planes the renderer reads everywhere (the font in plane 2 in text
 * modes), and one wrapping range of plane offsets for the others, from the start address to the last character clock
 * of the last row the CRT controller scans (one clock more, for horizontal panning). Layouts that scatter the
 * picture over the plane (CGA row-scan address substitution, a split screen that restarts at address 0) cover the
 * whole plane. Recompute it with {@link #update} after a CRT controller or graphics controller write; the check on
 * the write path is then two masks and a compare.
 */
final class ShownMemory {

    private final Crtc crtc;
    private final int[] graphics;
    /** Planes whose every byte may show (text mode's font plane). */
    private int everywherePlanes;
    /** Planes shown within [from, from + length) modulo the plane size. */
    private int rangePlanes;
    private int from;
    private int length;

    ShownMemory(Crtc crtc, int[] graphics) {
        this.crtc = crtc;
        this.graphics = graphics;
        update();
    }

    /** True when a write {@link VgaMemory#write} reported ({@code written}: offset, planes in bits 19-16) may show. */
    boolean covers(int written) {
        if (written < 0) {
            return false;
        }
        int planes = written >>> 16;
        return (planes & everywherePlanes) != 0
                || (planes & rangePlanes) != 0 && (written - from & VgaMemory.PLANE_SIZE - 1) < length;
    }

    /** Works out the shown bytes again from the registers. */
    void update() {
        boolean text = (graphics[VgaMemory.GC_MISC] & 0x01) == 0;
        // text: characters in plane 0, attributes in plane 1, the font anywhere in plane 2; plane 3 never shows
        everywherePlanes = text ? 0x4 : 0x0;
        rangePlanes = text ? 0x3 : 0xF;
        int mode = crtc.get(Crtc.MODE_CONTROL);
        int scanLines = crtc.displayedScanLines();
        boolean substituted = (mode & 0x03) != 0x03;
        boolean split = crtc.lineCompare() < scanLines - 1;
        if (substituted || split) {
            from = 0;
            length = VgaMemory.PLANE_SIZE;
            return;
        }
        int shift = (crtc.get(Crtc.UNDERLINE_LOCATION) & 0x40) != 0 ? 2 : (mode & 0x40) == 0 ? 1 : 0;
        int linesPerRow = (crtc.maxScanLine() + 1) * (crtc.doubleScan() ? 2 : 1);
        long rows = (scanLines + linesPerRow - 1) / linesPerRow;
        long clocks = Math.max(0, rows - 1) * crtc.rowStride() + crtc.displayedColumns() + 1;
        long bytes = clocks << shift;
        from = crtc.startAddress() << shift & VgaMemory.PLANE_SIZE - 1;
        length = (int) Math.min(VgaMemory.PLANE_SIZE, bytes);
    }
}
