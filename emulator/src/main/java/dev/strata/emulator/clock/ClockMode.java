package dev.strata.emulator.clock;

/** How virtual time relates to the host (DESIGN §3). */
public enum ClockMode {
    /** Time comes from the count of executed instructions; HLT jumps to the next event. Same input, same output. */
    DETERMINISTIC,
    /** Time follows the host's monotonic clock; HLT sleeps until the next event. For people at a screen. */
    REALTIME
}
