package dev.strata.emulator.clock;

/** Virtual time = executed instructions x a fixed cost; HLT jumps straight to the next event. */
final class DeterministicPacer implements ClockPacer {

    private final long nanosPerInstruction;
    private java.util.function.LongSupplier counter;
    private long batchStartCount;
    private long batchStartNanos;
    private long stalledNanos;
    private boolean inBatch;

    DeterministicPacer(long nanosPerInstruction) {
        if (nanosPerInstruction <= 0) {
            throw new IllegalArgumentException("nanoseconds per instruction must be positive, got " + nanosPerInstruction);
        }
        this.nanosPerInstruction = nanosPerInstruction;
    }

    @Override
    public ClockMode mode() {
        return ClockMode.DETERMINISTIC;
    }

    @Override
    public void batchStarting(VirtualClock clock, java.util.function.LongSupplier instructionCounter) {
        counter = instructionCounter;
        batchStartCount = instructionCounter.getAsLong();
        batchStartNanos = clock.nanos();
        stalledNanos = 0;
        inBatch = true;
    }

    @Override
    public long batchNanos() {
        return batchStartNanos + (counter.getAsLong() - batchStartCount) * nanosPerInstruction + stalledNanos;
    }

    @Override
    public void stall(long nanos) {
        if (inBatch) {
            stalledNanos += nanos;
        }
    }

    @Override
    public void instructionsExecuted(VirtualClock clock, long instructions) {
        clock.advanceTo(clock.nanos() + instructions * nanosPerInstruction + stalledNanos);
        stalledNanos = 0;
        inBatch = false;
    }

    @Override
    public boolean idleUntil(VirtualClock clock, long deadline) {
        if (deadline == Long.MAX_VALUE) {
            return false;
        }
        clock.advanceTo(deadline);
        return true;
    }

    @Override
    public long nanosPerInstruction() {
        return nanosPerInstruction;
    }

    @Override
    public void pause(VirtualClock clock) {
        // time only moves with instructions, so a paused CPU already stops it
    }

    @Override
    public void resume(VirtualClock clock) {
    }

    @Override
    public void wake() {
    }
}
