package dev.strata.emulator.machine;

import dev.strata.emulator.state.StateFileException;
import dev.strata.emulator.state.StateReader;
import dev.strata.emulator.state.StateWriter;

/**
 * The firmware a PC runs: a ROM image mapped to end at 1 MiB (and aliased to end at 4 GiB), plus, for Strata's
 * own BIOS, services written in Java that the ROM code enters through a reserved I/O port. A foreign BIOS image
 * is a Firmware whose {@link #powerOn} does nothing.
 */
public interface Firmware {

    /** The ROM image: 64, 128 or 256 KiB. */
    byte[] romImage();

    /**
     * Called at every power-on and hardware reset, after the machine's devices are built and before the CPU runs
     * from F000:FFF0. Strata's BIOS registers its service port on {@code hardware.io()} here.
     */
    void powerOn(PcHardware hardware);

    /** A line for the log (and the banner of Strata's BIOS): name and version. */
    String description();

    /** Service calls made into the firmware's Java side since power-on; 0 for firmware that has none. */
    default long serviceCalls() {
        return 0;
    }

    /**
     * The most recent service calls, oldest first, a line each ("INT 13h AX=0201h BX=... CX=... DX=..."), for the
     * monitor's {@code info bios-calls} and hung-boot reports; empty for firmware without Java services.
     */
    default java.util.List<String> recentCalls() {
        return java.util.List.of();
    }

    /**
     * Writes the firmware's Java-side state (waiting services, counters) into a saved state; firmware that keeps
     * everything in guest memory writes nothing.
     */
    default void saveState(StateWriter w) {
    }

    /**
     * Restores what {@link #saveState} wrote, after the machine's devices and RAM were restored;
     * {@link StateReader#version()} is the version the file has, between {@link #oldestStateVersion()} and
     * {@link #stateVersion()}.
     */
    default void loadState(StateReader r) throws StateFileException {
    }

    /** The version of what {@link #saveState} writes: the firmware's own, bumped whenever that changes. */
    default int stateVersion() {
        return 1;
    }

    /** The oldest version {@link #loadState} still reads. */
    default int oldestStateVersion() {
        return stateVersion();
    }
}
