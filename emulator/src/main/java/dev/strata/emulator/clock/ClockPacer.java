package dev.strata.emulator.clock;

/** Turns CPU progress and idleness into virtual time; one implementation per {@link ClockMode}. */
interface ClockPacer {

    ClockMode mode();

    /** The CPU starts a batch; {@code instructionCounter} is its running instruction count. */
    void batchStarting(VirtualClock clock, java.util.function.LongSupplier instructionCounter);

    /** Virtual time now, while a batch runs (the clock never lets it go below the time the batch began at). */
    long batchNanos();

    /**
     * The CPU waited {@code nanos} on something outside itself (an I/O bus cycle) during the batch. Deterministic
     * time counts it; realtime time has already passed on the host.
     */
    void stall(long nanos);

    /** The CPU has executed {@code instructions} more instructions. */
    void instructionsExecuted(VirtualClock clock, long instructions);

    /**
     * The CPU is halted and waits for an interrupt due at {@code deadline} ({@link Long#MAX_VALUE}: none known).
     *
     * @return false when nothing can ever wake the CPU (deterministic mode with no event pending)
     */
    boolean idleUntil(VirtualClock clock, long deadline);

    /** Nanoseconds of virtual time one instruction is assumed to take, for sizing CPU batches. */
    long nanosPerInstruction();

    /** Stop and restart the passage of time (saved state, debugger, pause button). */
    void pause(VirtualClock clock);

    void resume(VirtualClock clock);

    /** Cuts an idle sleep short from another thread (host input arrived). */
    void wake();
}
