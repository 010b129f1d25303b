package dev.strata.emulator.clock;

/** Virtual time = executed instructions x a fixed cost; HLT jumps straight to the next event. */
final class DeterministicPacer implements ClockPacer {

    private final long nanosPerInstruction;

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
    public void instructionsExecuted(VirtualClock clock, long instructions) {
        clock.advanceTo(clock.nanos() + instructions * nanosPerInstruction);
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
