package dev.strata.emulator.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class IoBusTest {

    @Test
    void unclaimedPortsReadAllOnes() {
        IoBus bus = new IoBus();
        assertEquals(0xFF, bus.in(0x80, 1));
        assertEquals(0xFFFF, bus.in(0x80, 2));
        assertEquals(-1, bus.in(0x80, 4));
    }

    @Test
    void claimedPortsReachTheirHandler() {
        IoBus bus = new IoBus();
        int[] last = new int[1];
        bus.register(0x60, 2, new IoPortHandler() {
            @Override
            public int in(int port, int size) {
                return port + 0x100;
            }

            @Override
            public void out(int port, int size, int value) {
                last[0] = value;
            }
        });
        assertEquals(0x61, bus.in(0x61, 1), "result masked to the access size");
        assertEquals(0x160, bus.in(0x60, 2));
        bus.out(0x60, 1, 0xAB);
        assertEquals(0xAB, last[0]);
        assertEquals(0xFF, bus.in(0x62, 1));
    }
}
