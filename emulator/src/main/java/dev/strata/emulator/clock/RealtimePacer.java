package dev.strata.emulator.clock;

/**
 * Virtual time follows the host clock from the moment the pacer was (re)started; HLT sleeps on the host until the
 * next event is due. The only place in the emulator that looks at host time.
 */
final class RealtimePacer implements ClockPacer {

    /** Longest single sleep when no event is pending, so a host-side wake-up is never missed for long. */
    static final long MAX_IDLE_SLEEP_NANOS = 10_000_000L;

    private final HostClock host;
    private final long nanosPerInstruction;
    private long baseHost;
    private long baseVirtual;
    private boolean paused;
    private long batchStartNanos;

    RealtimePacer(HostClock host, long nanosPerInstruction, VirtualClock clock) {
        if (nanosPerInstruction <= 0) {
            throw new IllegalArgumentException("nanoseconds per instruction must be positive, got " + nanosPerInstruction);
        }
        this.host = host;
        this.nanosPerInstruction = nanosPerInstruction;
        rebase(clock);
    }

    private void rebase(VirtualClock clock) {
        baseHost = host.nanoTime();
        baseVirtual = clock.nanos();
    }

    private void sync(VirtualClock clock) {
        if (!paused) {
            clock.advanceTo(baseVirtual + (host.nanoTime() - baseHost));
        }
    }

    @Override
    public ClockMode mode() {
        return ClockMode.REALTIME;
    }

    @Override
    public void batchStarting(VirtualClock clock, java.util.function.LongSupplier instructionCounter) {
        sync(clock);
        batchStartNanos = clock.nanos();
    }

    @Override
    public long batchNanos() {
        // the host clock itself, read live: the value sync() will give the clock when the batch ends, reached
        // gradually, so the PIT and the TSC both see host time pass inside a batch
        return paused ? batchStartNanos : baseVirtual + (host.nanoTime() - baseHost);
    }

    @Override
    public void stall(long nanos) {
        // the host has really spent the time
    }

    @Override
    public void instructionsExecuted(VirtualClock clock, long instructions) {
        sync(clock);
    }

    @Override
    public boolean idleUntil(VirtualClock clock, long deadline) {
        sync(clock);
        long wait = deadline == Long.MAX_VALUE ? MAX_IDLE_SLEEP_NANOS
                : Math.min(MAX_IDLE_SLEEP_NANOS, deadline - clock.nanos());
        if (wait > 0 && !paused) {
            host.sleepUntil(host.nanoTime() + wait);
            sync(clock);
        }
        return true;
    }

    @Override
    public long nanosPerInstruction() {
        return nanosPerInstruction;
    }

    @Override
    public void pause(VirtualClock clock) {
        sync(clock);
        paused = true;
    }

    @Override
    public void resume(VirtualClock clock) {
        paused = false;
        rebase(clock);
    }

    @Override
    public void wake() {
        host.wake();
    }
}
