package dev.strata.emulator.clock;

/**
 * The machine's one notion of time: nanoseconds of virtual time since power-on. Devices read it; only the
 * {@link MachineClock} moves it, and only forward.
 */
public final class VirtualClock {

    private long nanos;
    // While the CPU runs a batch in deterministic mode, time moves with its instruction counter, so that a device
    // polled in a loop (a PIT read back-to-back with RDTSC, say) sees time pass between two reads, as on hardware.
    private java.util.function.LongSupplier counter;
    private long batchStartCount;
    private long nanosPerInstruction;
    private boolean inBatch;

    /** Virtual nanoseconds since power-on. */
    public long nanos() {
        if (inBatch) {
            return nanos + (counter.getAsLong() - batchStartCount) * nanosPerInstruction;
        }
        return nanos;
    }

    /** From now until {@link #endBatch}, time runs {@code perInstruction} ns per instruction {@code counter} counts. */
    void beginBatch(java.util.function.LongSupplier counter, long perInstruction) {
        this.counter = counter;
        this.batchStartCount = counter.getAsLong();
        this.nanosPerInstruction = perInstruction;
        this.inBatch = true;
    }

    /** The batch is over: its instructions are accounted by the pacer again. */
    void endBatch() {
        inBatch = false;
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
