package dev.strata.emulator.device.debug;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.emulator.state.StateRoundTrip;
import org.junit.jupiter.api.Test;

class PostCodePortStateTest {

    @Test
    void restoredPortKeepsItsLogAndLastCode() throws Exception {
        PostCodePort a = new PostCodePort(4);
        for (int code : new int[] {0x01, 0x02, 0x10, 0x20, 0x55}) {
            a.writePort(PostCodePort.PORT, code);
        }
        byte[] saved = StateRoundTrip.save(a::saveState);
        PostCodePort b = new PostCodePort(4);
        StateRoundTrip.loadAndCompare(saved, null, b::loadState, b::saveState);
        assertEquals(0x55, b.lastCode());
        assertArrayEquals(a.codes(), b.codes());
        assertEquals(5, b.codesWritten());
    }
}
