package dev.strata.emulator.device.keyboard;

/** Told when the keyboard controller's A20 gate output changes, so the memory map can stop or start wrapping at 1 MiB. */
@FunctionalInterface
public interface A20Listener {

    /** @param enabled true when address line 20 passes through (no wrap at 1 MiB) */
    void a20Changed(boolean enabled);
}
