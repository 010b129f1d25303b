package dev.strata.emulator.display;

import java.util.List;

/**
 * How far a frame is from an expected one: the pixels whose colour differs by more than a per-channel tolerance,
 * outside masked rectangles (a clock, a blinking cursor). What screen-compare checks in guest tests report.
 *
 * @param differing   pixels that differ (every pixel when the sizes differ)
 * @param firstX      column of the first differing pixel in reading order, or -1
 * @param firstY      row of the first differing pixel, or -1
 * @param sizesDiffer true when the frames are not the same size (nothing else was compared)
 */
public record FrameDiff(long differing, int firstX, int firstY, boolean sizesDiffer) {

    /** A rectangle of pixels left out of a comparison. */
    public record Rect(int x, int y, int width, int height) {
        boolean contains(int px, int py) {
            return px >= x && px < x + width && py >= y && py < y + height;
        }
    }

    /** Compares {@code actual} with {@code expected}, channel by channel, leaving out {@code mask}. */
    public static FrameDiff compare(Frame expected, Frame actual, int tolerance, List<Rect> mask) {
        if (expected.width() != actual.width() || expected.height() != actual.height()) {
            return new FrameDiff((long) actual.width() * actual.height(), 0, 0, true);
        }
        long count = 0;
        int fx = -1;
        int fy = -1;
        int[] a = expected.pixels();
        int[] b = actual.pixels();
        for (int y = 0; y < expected.height(); y++) {
            for (int x = 0; x < expected.width(); x++) {
                int i = y * expected.width() + x;
                if (a[i] != b[i] && channelDistance(a[i], b[i]) > tolerance && !masked(mask, x, y)) {
                    if (count++ == 0) {
                        fx = x;
                        fy = y;
                    }
                }
            }
        }
        return new FrameDiff(count, fx, fy, false);
    }

    /**
     * A picture of the differences: {@code actual} faded to grey, differing pixels in bright red and masked areas
     * tinted blue, so the eye finds what changed. Frames of different sizes give {@code actual} faded.
     */
    public static Frame highlight(Frame expected, Frame actual, int tolerance, List<Rect> mask) {
        boolean same = expected.width() == actual.width() && expected.height() == actual.height();
        int[] out = new int[actual.pixels().length];
        for (int y = 0; y < actual.height(); y++) {
            for (int x = 0; x < actual.width(); x++) {
                int i = y * actual.width() + x;
                int p = actual.pixels()[i];
                int grey = (((p >> 16) & 0xFF) + ((p >> 8) & 0xFF) + (p & 0xFF)) / 3 / 3 + 0x40;
                int faded = 0xFF000000 | grey << 16 | grey << 8 | grey;
                if (masked(mask, x, y)) {
                    out[i] = 0xFF000000 | grey << 16 | grey << 8 | Math.min(0xFF, grey + 0x60);
                } else if (same && channelDistance(expected.pixels()[i], p) > tolerance) {
                    out[i] = 0xFFFF0000;
                } else {
                    out[i] = faded;
                }
            }
        }
        return new Frame(actual.width(), actual.height(), out);
    }

    /** True when no pixel differs. */
    public boolean matches() {
        return differing == 0;
    }

    private static boolean masked(List<Rect> mask, int x, int y) {
        for (Rect r : mask) {
            if (r.contains(x, y)) {
                return true;
            }
        }
        return false;
    }

    /** The largest difference of one colour channel. */
    private static int channelDistance(int a, int b) {
        int d = 0;
        for (int shift = 0; shift <= 16; shift += 8) {
            d = Math.max(d, Math.abs(((a >> shift) & 0xFF) - ((b >> shift) & 0xFF)));
        }
        return d;
    }
}
