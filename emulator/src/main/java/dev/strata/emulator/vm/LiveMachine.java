package dev.strata.emulator.vm;

import dev.strata.emulator.machine.DriveSlot;
import dev.strata.emulator.machine.PcMachine;
import java.io.IOException;
import java.nio.file.Path;

/** The running machine as an online snapshot uses it, on the machine's CPU thread between batches. */
public interface LiveMachine {
    /** Writes what the guest wrote out to the image files. */
    void flushDisks() throws IOException;

    /** Saves the whole machine (CPU, RAM, every device) to {@code file}. */
    void saveState(Path file) throws IOException;

    /** Switches the hard disk in {@code slot} (on whichever controller) to the chain topped by {@code top}. */
    void switchHardDisk(DriveSlot slot, Path top) throws IOException;

    /** The running {@code machine}. */
    static LiveMachine of(PcMachine machine) {
        return new LiveMachine() {
            @Override
            public void flushDisks() throws IOException {
                machine.flushImages();
            }

            @Override
            public void saveState(Path file) throws IOException {
                SavedStates.save(machine, file);
            }

            @Override
            public void switchHardDisk(DriveSlot slot, Path top) throws IOException {
                machine.switchHardDisk(slot, top);
            }
        };
    }
}
