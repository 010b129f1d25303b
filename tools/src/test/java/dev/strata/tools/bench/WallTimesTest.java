package dev.strata.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class WallTimesTest {
    @Test
    void oddCountTakesTheMiddleRunWhateverTheOrder() {
        WallTimes t = WallTimes.of(List.of(3.0, 1.0, 9.0, 2.0, 4.0));
        assertEquals(3.0, t.median());
        assertEquals(1.0, t.min());
        assertEquals(9.0, t.max());
        assertEquals(5, t.runs());
    }

    @Test
    void evenCountAveragesTheMiddleTwo() {
        assertEquals(2.5, WallTimes.of(List.of(4.0, 1.0, 2.0, 3.0)).median());
    }

    @Test
    void ratioIsMedianOverMedian() {
        WallTimes strata = WallTimes.of(List.of(2.0, 3.0, 100.0));
        WallTimes qemu = WallTimes.of(List.of(1.0, 1.5, 0.5));
        assertEquals(3.0, strata.ratioTo(qemu));
    }

    @Test
    void describeShowsMedianMinMaxAndRuns() {
        assertEquals("1.250 s (min 1.000, max 2.000, 3 runs)", WallTimes.of(List.of(2.0, 1.0, 1.25)).describe());
    }

    @Test
    void noRunsIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> WallTimes.of(List.of()));
    }
}
