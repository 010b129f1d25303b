package dev.strata.emulator.machine;

/** Why a {@link MachineRunner} stopped running the machine. */
public enum RunOutcome {
    /** The guest or the host asked the machine to power off. */
    POWERED_OFF,
    /** {@link MachineRunner#stop()} was called. */
    STOPPED,
    /** The machine reset (reset request or triple fault) and the runner was told to exit on reset. */
    RESET,
    /** The CPU halted with nothing able to wake it (interrupts disabled, or no timer will ever fire). */
    HALTED,
    /** The emulator itself failed; {@link MachineRunner#failure()} says how. */
    FAILED
}
