package dev.strata.emulator.device.rtc;

/**
 * Conversions between virtual nanoseconds and ticks of the RTC's 32.768 kHz divider chain, exact and without
 * overflow for any run length: every second is exactly 32768 ticks, so second boundaries fall on ticks.
 */
final class RtcTiming {

    static final long TICKS_PER_SECOND = 32768;
    static final long NANOS_PER_SECOND = 1_000_000_000L;
    /** The update-in-progress bit rises 244 microseconds (8 ticks) before each update. */
    static final long UIP_TICKS = 8;

    private RtcTiming() {
    }

    /** Whole ticks in {@code nanos} (rounded down). */
    static long ticksIn(long nanos) {
        return nanos / NANOS_PER_SECOND * TICKS_PER_SECOND + nanos % NANOS_PER_SECOND * TICKS_PER_SECOND
                / NANOS_PER_SECOND;
    }

    /** The first nanosecond at which {@code ticks} whole ticks have passed (rounded up). */
    static long nanosOf(long ticks) {
        return ticks / TICKS_PER_SECOND * NANOS_PER_SECOND
                + (ticks % TICKS_PER_SECOND * NANOS_PER_SECOND + TICKS_PER_SECOND - 1) / TICKS_PER_SECOND;
    }

    /**
     * Period of the periodic interrupt for rate select {@code rs} (1..15) in ticks: 2^(rs-1) ticks, except that
     * rates 1 and 2 give 256 Hz and 128 Hz as on the 32.768 kHz time base (the same as rates 8 and 9).
     */
    static long periodTicks(int rs) {
        if (rs < 1 || rs > 15) {
            throw new IllegalArgumentException("rate select must be 1..15, got " + rs);
        }
        return rs <= 2 ? 1L << (rs + 6) : 1L << (rs - 1);
    }
}
