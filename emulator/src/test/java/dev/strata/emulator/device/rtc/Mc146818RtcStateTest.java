package dev.strata.emulator.device.rtc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.emulator.clock.MachineClock;
import dev.strata.emulator.state.StateRoundTrip;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

class Mc146818RtcStateTest {

    private static int read(Mc146818Rtc rtc, int index) {
        rtc.writePort(Mc146818Rtc.INDEX_PORT, index);
        return rtc.readPort(Mc146818Rtc.DATA_PORT);
    }

    @Test
    void restoredRtcKeepsCmosBytesTimeAndPeriodicInterrupt() throws Exception {
        MachineClock clockA = MachineClock.deterministic(1);
        Mc146818Rtc a = new Mc146818Rtc(clockA.scheduler(), high -> { }, LocalDateTime.of(2026, 1, 1, 0, 0));
        a.writePort(Mc146818Rtc.INDEX_PORT, 0x40);
        a.writePort(Mc146818Rtc.DATA_PORT, 0x5A);
        a.writePort(Mc146818Rtc.INDEX_PORT, 0x0B);
        a.writePort(Mc146818Rtc.DATA_PORT, 0x42); // periodic interrupt on, 24-hour
        clockA.instructionsExecuted(3_500_000_000L);
        clockA.runDueEvents();
        byte[] saved = StateRoundTrip.save(a::saveState);

        MachineClock clockB = MachineClock.deterministic(1);
        clockB.restoreTime(clockA.nanos());
        Mc146818Rtc b = new Mc146818Rtc(clockB.scheduler(), high -> { }, LocalDateTime.of(2030, 6, 6, 6, 6));
        StateRoundTrip.loadAndCompare(saved, clockB.scheduler(), b::loadState, b::saveState);
        assertEquals(0x5A, read(b, 0x40));
        assertEquals(read(a, 0x00), read(b, 0x00), "seconds");
        assertEquals(read(a, 0x09), read(b, 0x09), "year");
        assertEquals(clockA.scheduler().nextDeadline(), clockB.scheduler().nextDeadline());
    }
}
