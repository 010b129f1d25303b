package dev.strata.emulator.clock;

/**
 * The machine's one notion of time: nanoseconds of virtual time since power-on. Devices read it; only the
 * {@link MachineClock} moves it, and only forward.
 */
public final class VirtualClock {

    private long nanos;
    // While the CPU runs a batch, time moves on inside it (the pacer says how: with the instruction counter in
    // deterministic mode, with the host clock in realtime mode), so that a device polled in a loop (a PIT read
    // back-to-back with RDTSC, say) sees time pass between two reads, as on hardware.
    private java.util.function.LongSupplier batchTime;
    private boolean inBatch;

    /** Virtual nanoseconds since power-on. */
    public long nanos() {
        if (inBatch) {
            long t = batchTime.getAsLong();
            return t > nanos ? t : nanos;
        }
        return nanos;
    }

    /** Where time comes from while a batch runs; set once, when the clock's pacer is chosen. */
    void batchTime(java.util.function.LongSupplier source) {
        this.batchTime = source;
    }

    /** From now until {@link #endBatch}, time is what the batch time source says (never less than before). */
    void beginBatch() {
        inBatch = batchTime != null;
    }

    /** The batch is over: its progress is accounted by the pacer again. */
    void endBatch() {
        inBatch = false;
    }

    /** True between {@link #beginBatch} and {@link #endBatch}. */
    boolean inBatch() {
        return inBatch;
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
