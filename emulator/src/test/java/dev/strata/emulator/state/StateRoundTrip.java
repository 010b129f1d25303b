package dev.strata.emulator.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.strata.emulator.clock.EventScheduler;
import java.util.function.Consumer;

/** Helpers for device round-trip tests: save one device, load it into a twin, check the twin saves the same. */
public final class StateRoundTrip {

    private StateRoundTrip() {
    }

    /** The bytes {@code saver} writes. */
    public static byte[] save(Consumer<StateWriter> saver) {
        StateWriter w = new StateWriter();
        saver.accept(w);
        return w.toByteArray();
    }

    /** A reader over {@code bytes} whose restored events go to {@code scheduler}. */
    public static StateReader reader(byte[] bytes, EventScheduler scheduler) {
        return new StateReader(bytes, "test.sav", "device", 0, scheduler);
    }

    /** Loads {@code bytes} with {@code loader}, fails unless all was read, then checks the twin saves the same. */
    public static void loadAndCompare(byte[] bytes, EventScheduler scheduler, Loader loader,
            Consumer<StateWriter> twinSaver) throws StateFileException {
        StateReader r = reader(bytes, scheduler);
        loader.load(r);
        r.expectEnd();
        assertArrayEquals(bytes, save(twinSaver), "the restored device saves exactly what was loaded");
    }

    /** A device's loadState. */
    @FunctionalInterface
    public interface Loader {
        void load(StateReader r) throws StateFileException;
    }
}
