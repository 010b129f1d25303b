package dev.strata.emulator.vm;

import dev.strata.emulator.machine.PcMachine;
import dev.strata.storage.StorageException;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The one place the VM layer calls the machine's saved state, so wiring {@code dev.strata.emulator.state.SavedState}
 * in is a change here only. Until it exists every call fails with a clear message.
 */
public final class SavedStates {
    /** What users see when they ask for saved state. */
    public static final String UNAVAILABLE = "saved state is not available in this build";

    private SavedStates() {
    }

    /** True when this build can save and restore machines. */
    public static boolean available() {
        return false;
    }

    /** Saves the whole machine to {@code file}. */
    public static void save(PcMachine machine, Path file) throws IOException {
        throw new StorageException(file, UNAVAILABLE + "; power the VM off instead, or take an offline snapshot");
    }

    /** Restores the whole machine from {@code file}. */
    public static void restore(PcMachine machine, Path file) throws IOException {
        throw new StorageException(file, UNAVAILABLE + "; discard it with `strata vm start --discard-state`");
    }
}
