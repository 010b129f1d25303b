package dev.strata.emulator.clock;

/**
 * The machine's one notion of time: nanoseconds of virtual time since power-on. Devices read it; only the
 * {@link MachineClock} moves it, and only forward.
 */
public final class VirtualClock {

    private long nanos;

    /** Virtual nanoseconds since power-on. */
    public long nanos() {
        return nanos;
    }

    /** Moves time forward to {@code target}; a target in the past is ignored so time never runs backwards. */
    void advanceTo(long target) {
        if (target > nanos) {
            nanos = target;
        }
    }

    /** Sets the time outright, for restoring a saved state onto a fresh machine. */
    void restore(long target) {
        nanos = target;
    }
}
