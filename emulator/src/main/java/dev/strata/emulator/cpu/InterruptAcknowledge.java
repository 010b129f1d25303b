package dev.strata.emulator.cpu;

/** The interrupt controller's answer to an interrupt-acknowledge cycle: the vector to run. */
@FunctionalInterface
public interface InterruptAcknowledge {
    int acknowledge();
}
