package dev.strata.emulator.device.pic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.state.StateRoundTrip;
import org.junit.jupiter.api.Test;

class DualPicStateTest {

    private static void init(DualPic pic) {
        pic.writePort(0x20, 0x11);
        pic.writePort(0x21, 0x08);
        pic.writePort(0x21, 0x04);
        pic.writePort(0x21, 0x01);
        pic.writePort(0x21, 0xF0);
    }

    @Test
    void restoredPicKeepsMaskVectorsAndPendingRequests() throws Exception {
        DualPic a = new DualPic();
        init(a);
        a.raiseIrq(3);
        a.raiseIrq(1);
        byte[] saved = StateRoundTrip.save(a::saveState);
        DualPic b = new DualPic();
        StateRoundTrip.loadAndCompare(saved, null, b::loadState, b::saveState);
        assertEquals(0xF0, b.readPort(0x21));
        assertTrue(b.hasInterrupt());
        int first = a.acknowledge();
        assertEquals(0x09, first, "IRQ 1 comes first");
        assertEquals(first, b.acknowledge());
        assertEquals(a.acknowledge(), b.acknowledge(), "then IRQ 3");
    }
}
