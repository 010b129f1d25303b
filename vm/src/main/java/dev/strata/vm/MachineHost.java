package dev.strata.vm;

import dev.strata.emulator.machine.MachineRunner;
import dev.strata.emulator.machine.MachineSettings;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Where a {@link VmSession}'s machine is built and run: on a console with its screen, serial routing and
 * expectations ({@code strata vm start}), or headless ({@link HeadlessHost}).
 */
public interface MachineHost {
    /** What the host tells the session as the run goes. */
    interface Hooks {
        /** The machine is built and its saved state (if any) restored; the CPU starts next. */
        void beforePowerOn() throws IOException;

        /** The CPU runs on {@code runner}'s thread. */
        void started(MachineRunner runner) throws IOException;
    }

    /**
     * Builds the machine from {@code settings}, restores {@code restoreFrom} (when not null) before its first
     * instruction, runs it until it ends and returns an exit code; a restore that fails throws before
     * {@link Hooks#beforePowerOn}.
     */
    int run(MachineSettings settings, Path restoreFrom, Hooks hooks) throws Exception;
}
