package dev.strata.emulator.device.pit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.clock.MachineClock;
import dev.strata.emulator.state.StateRoundTrip;
import org.junit.jupiter.api.Test;

class Pit8254StateTest {

    private static int latchCounter0(Pit8254 pit) {
        pit.writePort(Pit8254.CONTROL, 0x00);
        return pit.readPort(Pit8254.COUNTER0) | pit.readPort(Pit8254.COUNTER0) << 8;
    }

    @Test
    void restoredPitCountsOnFromTheSameValueAndRearmsItsTimer() throws Exception {
        MachineClock clockA = MachineClock.deterministic(1);
        Pit8254 a = new Pit8254(clockA.scheduler(), high -> { });
        a.writePort(Pit8254.CONTROL, 0x34);
        a.writePort(Pit8254.COUNTER0, 0xA9);
        a.writePort(Pit8254.COUNTER0, 0x04);
        clockA.instructionsExecuted(123_457);
        clockA.runDueEvents();
        byte[] saved = StateRoundTrip.save(a::saveState);

        MachineClock clockB = MachineClock.deterministic(1);
        clockB.restoreTime(clockA.nanos());
        Pit8254 b = new Pit8254(clockB.scheduler(), high -> { });
        StateRoundTrip.loadAndCompare(saved, clockB.scheduler(), b::loadState, b::saveState);
        assertEquals(clockA.scheduler().nextDeadline(), clockB.scheduler().nextDeadline());
        assertTrue(clockB.scheduler().pending() > 0);
        clockA.instructionsExecuted(5_000);
        clockB.instructionsExecuted(5_000);
        assertEquals(latchCounter0(a), latchCounter0(b));
    }
}
