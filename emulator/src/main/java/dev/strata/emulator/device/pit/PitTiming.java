package dev.strata.emulator.device.pit;

/**
 * Conversion between virtual nanoseconds and ticks of the PC's 1.193182 MHz timer input. Tick k starts at
 * {@link #nanosAt}(k); {@link #ticksAt} is its exact inverse, and neither overflows for centuries of virtual time.
 */
public final class PitTiming {

    /** The timer input: the 14.31818 MHz crystal divided by 12. */
    public static final long FREQUENCY_HZ = 1_193_182;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private PitTiming() {
    }

    /** How many whole ticks have started by virtual time {@code nanos}. */
    public static long ticksAt(long nanos) {
        long seconds = nanos / NANOS_PER_SECOND;
        long rest = nanos % NANOS_PER_SECOND;
        return seconds * FREQUENCY_HZ + rest * FREQUENCY_HZ / NANOS_PER_SECOND;
    }

    /** The first virtual nanosecond at which tick {@code ticks} has started. */
    public static long nanosAt(long ticks) {
        long seconds = ticks / FREQUENCY_HZ;
        long rest = ticks % FREQUENCY_HZ;
        return seconds * NANOS_PER_SECOND + (rest * NANOS_PER_SECOND + FREQUENCY_HZ - 1) / FREQUENCY_HZ;
    }
}
