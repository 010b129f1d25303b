package dev.strata.tools.run;

import dev.strata.emulator.machine.PcMachine;
import dev.strata.emulator.state.SavedState;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * {@code strata run --save-state FILE} and {@code --restore-state FILE}: debugging aids that save the machine once
 * every {@code --expect} was met (instead of powering off) and start a run from such a file.
 */
final class SavedStateOptions {

    /** Neither option given: nothing is restored or saved. */
    static final SavedStateOptions NONE = new SavedStateOptions(null, null, false);

    private final Path save;
    private final Path restore;

    SavedStateOptions(Path save, Path restore, boolean hasExpectations) {
        if (save != null && !hasExpectations) {
            throw new IllegalArgumentException("--save-state saves once every --expect is met: give at least one"
                    + " --expect");
        }
        this.save = save;
        this.restore = restore;
    }

    /** True when meeting the expectations should stop the machine for a save rather than power it off. */
    boolean savesOnExpectations() {
        return save != null;
    }

    /** Loads {@code --restore-state} into the freshly built machine, before anything is scheduled on it. */
    void restoreInto(PcMachine machine, PrintWriter err) throws IOException {
        if (restore == null) {
            return;
        }
        SavedState.Restored restored = SavedState.restore(machine, restore);
        if (!restored.unclaimedEvents().isEmpty()) {
            err.println("strata: " + restore + ": timers of the saving run not restored: "
                    + String.join(", ", restored.unclaimedEvents()));
        }
    }

    /** Writes {@code --save-state} after a run whose expectations were all met; false when nothing was saved. */
    boolean saveAfterRun(PcMachine machine, boolean allMet, PrintWriter err) throws IOException {
        if (save == null || !allMet) {
            return false;
        }
        long bytes = SavedState.save(machine, save);
        err.println("strata: saved the machine's state to " + save + " (" + bytes + " bytes)");
        err.flush();
        return true;
    }
}
