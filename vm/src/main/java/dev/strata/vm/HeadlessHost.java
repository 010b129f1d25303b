package dev.strata.vm;

import dev.strata.emulator.machine.MachineRunner;
import dev.strata.emulator.machine.MachineSettings;
import dev.strata.emulator.machine.PcMachine;
import dev.strata.emulator.machine.RunOutcome;
import dev.strata.emulator.vm.SavedStates;
import java.nio.file.Path;

/** Runs a session's machine with no console: COM1 and the screen go nowhere but the control protocol. */
public final class HeadlessHost implements MachineHost {
    @Override
    public int run(MachineSettings settings, Path restoreFrom, Hooks hooks) throws Exception {
        try (PcMachine machine = new PcMachine(settings)) {
            if (restoreFrom != null) {
                SavedStates.restore(machine, restoreFrom);
            }
            hooks.beforePowerOn();
            MachineRunner runner = new MachineRunner(machine);
            runner.start();
            hooks.started(runner);
            return runner.await() == RunOutcome.FAILED ? 1 : 0;
        }
    }
}
