package dev.strata.vm.scenario;

import dev.strata.emulator.display.Frame;
import dev.strata.emulator.display.FrameDiff;
import dev.strata.emulator.display.FramePng;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * One look at the screen against an expected picture: the frame seen, how it differs and whether that is close
 * enough. A failed compare leaves {@code actual.png} and {@code diff.png} (differing pixels in red) to look at.
 *
 * @param expected the picture wanted
 * @param actual   the frame the screen showed
 * @param rules    how close is close enough
 * @param diff     how they differ
 * @param ended    why the machine stopped before a match (it powered off, say), or null
 */
public record ScreenMatch(Frame expected, Frame actual, Rules rules, FrameDiff diff, String ended) {

    /**
     * How close a screen must be: each colour channel within {@code tolerance}, at most {@code maxDiffering} pixels
     * off, the {@code mask} rectangles left out.
     */
    public record Rules(int tolerance, long maxDiffering, List<FrameDiff.Rect> mask) {
        public Rules {
            mask = List.copyOf(mask);
        }

        /** Pixel for pixel, everything compared. */
        public static final Rules EXACT = new Rules(0, 0, List.of());
    }

    static ScreenMatch of(Frame expected, Frame actual, Rules rules) {
        return new ScreenMatch(expected, actual, rules, FrameDiff.compare(expected, actual, rules.tolerance(),
                rules.mask()), null);
    }

    ScreenMatch endedBy(String why) {
        return new ScreenMatch(expected, actual, rules, diff, why);
    }

    /** True when the screen was close enough. */
    public boolean matches() {
        return !diff.sizesDiffer() && diff.differing() <= rules.maxDiffering();
    }

    /** Why it did not match, for a report: how many pixels differ and where the first is, or the sizes. */
    public String why() {
        String how = diff.sizesDiffer() ? "the screen is " + actual.width() + "x" + actual.height()
                + " pixels, the expected picture " + expected.width() + "x" + expected.height()
                : diff.differing() + " pixels differ" + (rules.maxDiffering() > 0 ? " (" + rules.maxDiffering()
                + " allowed)" : "") + ", the first at x=" + diff.firstX() + ", y=" + diff.firstY();
        return ended != null ? ended + "; " + how : how;
    }

    /** Writes the frame seen as {@code actual} and a picture of the differences as {@code diffPng}. */
    public void write(Path actualPng, Path diffPng) throws IOException {
        FramePng.write(actual, actualPng);
        FramePng.write(FrameDiff.highlight(expected, actual, rules.tolerance(), rules.mask()), diffPng);
    }
}
