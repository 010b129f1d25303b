package dev.strata.emulator.cpu;

/** Where an interrupt delivered by the CPU came from, as an {@link InterruptTracer} is told. */
public enum InterruptKind {
    /** A fault or trap the CPU raised (#PF, #GP, a single-step #DB, a double fault...). */
    EXCEPTION,
    /** A maskable interrupt from the INTR line (the PIC). */
    HARDWARE,
    /** The non-maskable interrupt. */
    NMI,
    /** INT n, INT3, INTO or INT1 (ICEBP). */
    SOFTWARE
}
