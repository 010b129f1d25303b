package dev.strata.emulator.state;

import dev.strata.emulator.machine.PcMachine;

/** One part of a saved state: its tag in the file, its format version, and how to write and read it. */
public interface StateSection {

    String tag();

    int version();

    void save(PcMachine machine, StateWriter w);

    void load(PcMachine machine, StateReader r) throws StateFileException;

    /** A section saved and restored by {@link FieldCodec} on the object {@code part} picks from the machine. */
    static StateSection fields(String tag, java.util.function.Function<PcMachine, Object> part) {
        return new StateSection() {
            @Override
            public String tag() {
                return tag;
            }

            @Override
            public int version() {
                return 1;
            }

            @Override
            public void save(PcMachine machine, StateWriter w) {
                FieldCodec.save(part.apply(machine), w);
            }

            @Override
            public void load(PcMachine machine, StateReader r) throws StateFileException {
                FieldCodec.load(part.apply(machine), r);
            }
        };
    }
}
