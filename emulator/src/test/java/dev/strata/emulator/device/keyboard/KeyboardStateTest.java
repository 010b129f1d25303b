package dev.strata.emulator.device.keyboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.clock.MachineClock;
import dev.strata.emulator.state.StateRoundTrip;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyboardStateTest {

    private static final class Rig {
        final MachineClock clock = MachineClock.deterministic(1);
        final Kbc8042 kbc = new Kbc8042(clock.scheduler(), high -> { }, high -> { });
        final KeyInputQueue keys = new KeyInputQueue(clock.scheduler(), kbc.keyboard());

        /** Reads scan codes for {@code nanos} of virtual time, running the timers as the machine would. */
        List<Integer> drain(long nanos) {
            List<Integer> out = new ArrayList<>();
            long end = clock.nanos() + nanos;
            while (clock.nanos() < end) {
                clock.instructionsExecuted(100_000);
                clock.runDueEvents();
                while ((kbc.readPort(Kbc8042.STATUS_PORT) & 1) != 0) {
                    out.add(kbc.readPort(Kbc8042.DATA_PORT));
                }
            }
            return out;
        }
    }

    @Test
    void typedKeysStillQueuedAndBufferedArriveOnTheRestoredKeyboard() throws Exception {
        Rig a = new Rig();
        a.keys.type("state");
        a.drain(15_000_000L); // some keys delivered, some still queued
        a.kbc.keyboard().press(Key.A); // held: typematic repeat armed
        byte[] kbc = StateRoundTrip.save(a.kbc::saveState);
        byte[] keys = StateRoundTrip.save(a.keys::saveState);

        Rig b = new Rig();
        b.clock.restoreTime(a.clock.nanos());
        StateRoundTrip.loadAndCompare(kbc, b.clock.scheduler(), b.kbc::loadState, b.kbc::saveState);
        StateRoundTrip.loadAndCompare(keys, b.clock.scheduler(), b.keys::loadState, b.keys::saveState);
        assertEquals(a.keys.pending(), b.keys.pending());
        assertTrue(b.keys.pending() > 0, "keys were still queued at the save");
        assertEquals(a.clock.scheduler().nextDeadline(), b.clock.scheduler().nextDeadline());
        List<Integer> fromA = a.drain(200_000_000L);
        assertEquals(fromA, b.drain(200_000_000L));
        assertTrue(fromA.size() > 5, "the rest of the typing came out: " + fromA);
    }
}
