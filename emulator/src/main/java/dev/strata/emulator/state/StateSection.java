package dev.strata.emulator.state;

import dev.strata.emulator.machine.PcMachine;

/** One part of a saved state: its tag in the file, its format version, and how to write and read it. */
public interface StateSection {

    String tag();

    int version();

    void save(PcMachine machine, StateWriter w);

    void load(PcMachine machine, StateReader r) throws StateFileException;
}
