package dev.strata.emulator.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Frames compared channel by channel: a tolerance, masked rectangles, the first difference, other sizes. */
class FrameDiffTest {

    private static Frame grey(int width, int height, int level) {
        int[] p = new int[width * height];
        Arrays.fill(p, 0xFF000000 | level << 16 | level << 8 | level);
        return new Frame(width, height, p);
    }

    @Test
    void pixelsFurtherThanTheToleranceOnAnyChannelDifferAndTheFirstInReadingOrderIsNamed() {
        Frame expected = grey(4, 3, 0x80);
        Frame actual = grey(4, 3, 0x80);
        actual.pixels()[1 * 4 + 2] = 0xFF80808A; // blue off by 10
        actual.pixels()[2 * 4 + 0] = 0xFF808080 + 0x030000; // red off by 3
        FrameDiff d = FrameDiff.compare(expected, actual, 0, List.of());
        assertEquals(new FrameDiff(2, 2, 1, false), d);
        assertEquals(new FrameDiff(1, 2, 1, false), FrameDiff.compare(expected, actual, 3, List.of()));
        assertTrue(FrameDiff.compare(expected, actual, 10, List.of()).matches());
    }

    @Test
    void maskedPixelsAreLeftOutAndShowBlueInTheHighlight() {
        Frame expected = grey(4, 3, 0x80);
        Frame actual = grey(4, 3, 0x80);
        actual.pixels()[1 * 4 + 2] = 0xFFFFFFFF;
        actual.pixels()[0] = 0xFF000000;
        List<FrameDiff.Rect> mask = List.of(new FrameDiff.Rect(2, 1, 2, 2));
        assertEquals(new FrameDiff(1, 0, 0, false), FrameDiff.compare(expected, actual, 0, mask));
        Frame h = FrameDiff.highlight(expected, actual, 0, mask);
        assertEquals(0xFFFF0000, h.pixel(0, 0), "a differing pixel is red");
        int masked = h.pixel(2, 1);
        assertTrue((masked & 0xFF) > ((masked >> 16) & 0xFF), "a masked pixel is tinted blue");
        int same = h.pixel(1, 1);
        assertEquals(same & 0xFF, (same >> 16) & 0xFF, "an equal pixel is grey");
    }

    @Test
    void framesOfOtherSizesDifferEverywhere() {
        FrameDiff d = FrameDiff.compare(grey(4, 3, 0), grey(2, 2, 0), 255, List.of());
        assertTrue(d.sizesDiffer());
        assertFalse(d.matches());
        assertEquals(4, d.differing());
    }
}
