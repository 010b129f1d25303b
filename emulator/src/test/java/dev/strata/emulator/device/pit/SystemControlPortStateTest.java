package dev.strata.emulator.device.pit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.emulator.clock.MachineClock;
import dev.strata.emulator.state.StateRoundTrip;
import org.junit.jupiter.api.Test;

class SystemControlPortStateTest {

    @Test
    void restoredPortKeepsSpeakerAndGateBits() throws Exception {
        MachineClock clock = MachineClock.deterministic(1);
        Pit8254 pit = new Pit8254(clock.scheduler(), high -> { });
        SystemControlPort a = new SystemControlPort(pit, clock.clock());
        a.writePort(SystemControlPort.PORT, 0x03);
        byte[] saved = StateRoundTrip.save(a::saveState);
        SystemControlPort b = new SystemControlPort(new Pit8254(clock.scheduler(), high -> { }), clock.clock());
        StateRoundTrip.loadAndCompare(saved, null, b::loadState, b::saveState);
        assertEquals(a.readPort(SystemControlPort.PORT) & 0x0F, b.readPort(SystemControlPort.PORT) & 0x0F);
        assertEquals(0x03, b.readPort(SystemControlPort.PORT) & 0x03);
    }
}
