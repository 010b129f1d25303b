package dev.strata.emulator.clock;

/** Turns CPU progress and idleness into virtual time; one implementation per {@link ClockMode}. */
interface ClockPacer {

    ClockMode mode();

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
