package dev.strata.emulator.clock;

/**
 * The host's monotonic clock as the realtime pacer sees it. The only door to host time in the emulator; tests
 * pass a fake one.
 */
public interface HostClock {

    /** Host monotonic nanoseconds (like {@link System#nanoTime()}). */
    long nanoTime();

    /** Sleeps until {@link #nanoTime()} reaches {@code hostNanos}; may return early, e.g. after {@link #wake()}. */
    void sleepUntil(long hostNanos);

    /** Cuts a current or imminent {@link #sleepUntil} short; callable from any thread. */
    void wake();
}
