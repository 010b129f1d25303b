package dev.strata.emulator.state;

import dev.strata.emulator.machine.PcMachine;

/**
 * One part of a saved state: its tag in the file, its format version and the oldest version it still reads, and how
 * to write and read it. Bump the version whenever what the section writes changes (see {@link StateField#since}).
 */
public interface StateSection {

    String tag();

    int version();

    /** The oldest version of this section a file may have; older ones are refused by name. */
    default int oldestVersion() {
        return version();
    }

    void save(PcMachine machine, StateWriter w);

    /** Reads the section; {@link StateReader#version()} is the file's version of it. */
    void load(PcMachine machine, StateReader r) throws StateFileException;
}
