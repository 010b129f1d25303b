package dev.strata.emulator.device;

/**
 * One interrupt request wire from a device to the interrupt controller. Devices drive it as a level, as the
 * hardware does: an edge-triggered controller sees the rising edge, a level-triggered one the level.
 */
@FunctionalInterface
public interface IrqLine {

    /** Drives the wire high ({@code true}) or low. Setting the level it already has changes nothing. */
    void setLevel(boolean high);

    default void raise() {
        setLevel(true);
    }

    default void lower() {
        setLevel(false);
    }

    /** A wire connected to nothing, for devices whose interrupt is not routed. */
    IrqLine NONE = high -> { };
}
