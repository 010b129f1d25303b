package dev.strata.tools.display;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ViewportTest {

    @Test
    void frameIsScaledByTheLargestWholeNumberThatFitsAndCentred() {
        assertEquals(new Viewport(0, 0, 1440, 800), Viewport.fit(720, 400, 1440, 800));
        assertEquals(new Viewport(40, 100, 1440, 800), Viewport.fit(720, 400, 1520, 1000));
        assertEquals(new Viewport(20, 40, 960, 600), Viewport.fit(320, 200, 1000, 680));
    }

    @Test
    void aWindowSmallerThanTheFrameShrinksItKeepingItsShape() {
        assertEquals(new Viewport(0, 50, 360, 200), Viewport.fit(720, 400, 360, 300));
        assertEquals(new Viewport(70, 0, 180, 100), Viewport.fit(720, 400, 320, 100));
    }
}
