package dev.strata.emulator.device.pit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PitTimingTest {

    @Test
    void oneSecondHoldsTheTimerFrequencyInTicks() {
        assertEquals(1_193_182, PitTiming.ticksAt(1_000_000_000L));
        assertEquals(0, PitTiming.ticksAt(837));
        assertEquals(1, PitTiming.ticksAt(839));
    }

    @Test
    void nanosAtIsTheExactInverseEvenAfterYearsOfVirtualTime() {
        long[] samples = {0, 1, 2, 17, 1_193_181, 1_193_182, 1_193_183, 123_456_789_012L, 1L << 50};
        for (long k : samples) {
            long ns = PitTiming.nanosAt(k);
            assertEquals(k, PitTiming.ticksAt(ns), "tick " + k);
            if (k > 0) {
                assertEquals(k - 1, PitTiming.ticksAt(ns - 1), "just before tick " + k);
            }
        }
    }
}
