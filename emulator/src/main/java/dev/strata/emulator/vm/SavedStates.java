package dev.strata.emulator.vm;

import dev.strata.emulator.machine.PcMachine;
import dev.strata.emulator.state.SavedState;
import java.io.IOException;
import java.nio.file.Path;

/** The one place the VM layer calls the machine's saved state ({@link SavedState}). */
public final class SavedStates {
    /** What users see when they ask for saved state where it cannot be had. */
    public static final String UNAVAILABLE = "saved state is not available in this build";

    private SavedStates() {
    }

    /** True when this build can save and restore machines. */
    public static boolean available() {
        return true;
    }

    /** Saves the whole machine to {@code file}; call it on the machine's CPU thread or while it is stopped. */
    public static void save(PcMachine machine, Path file) throws IOException {
        SavedState.save(machine, file);
    }

    /** Restores the whole machine from {@code file} onto a freshly built machine with the same drives. */
    public static void restore(PcMachine machine, Path file) throws IOException {
        SavedState.restore(machine, file);
    }
}
