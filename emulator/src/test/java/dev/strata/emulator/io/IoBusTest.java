package dev.strata.emulator.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
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
        bus.register("test", 0x60, 2, new IoPortHandler() {
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

    private static IoPortHandler answering(int value) {
        return new IoPortHandler() {
            @Override
            public int in(int port, int size) {
                return value;
            }

            @Override
            public void out(int port, int size, int v) {
            }
        };
    }

    @Test
    void anOverlappingClaimIsRefusedNamingBothDevices() {
        IoBus bus = new IoBus();
        bus.register("com1", 0x3F8, 8, answering(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> bus.register("ide.busmaster", 0x3F0, 16, answering(2)));
        assertEquals("I/O ports 3F0h-3FFh of 'ide.busmaster' overlap 'com1' at ports 3F8h-3FFh (port 3F8h): each"
                + " port can belong to one device only; move or drop one of them", e.getMessage());
        assertEquals(0xFF, bus.in(0x3F0, 1), "a refused claim takes no port at all");
        assertEquals(1, bus.in(0x3F8, 1));
    }

    @Test
    void aClaimGivenBackFreesItsPortsForAnotherDevice() {
        IoBus bus = new IoBus();
        IoPortRange first = bus.register("first", 0xC000, 16, answering(1));
        bus.unregister(first);
        assertEquals(0xFF, bus.in(0xC000, 1));
        bus.register("second", 0xC008, 16, answering(2));
        assertEquals(2, bus.in(0xC00F, 1));
        assertEquals("second", bus.owner(0xC010).name());
        assertEquals(List.of("second"), bus.ranges().stream().map(IoPortRange::name).toList());
        assertThrows(IllegalArgumentException.class, () -> bus.unregister(first), "not its ports any more");
    }

    @Test
    void aByteWideDeviceSeesAWordAsBytesAndTheNextPortsOwnerTakesItsByte() {
        IoBus bus = new IoBus();
        bus.register(new IoPortRange("pic", 0x20, 1, answering(0x12), true));
        bus.register(new IoPortRange("pic2", 0x21, 1, answering(0x34), true));
        assertEquals(0x3412, bus.in(0x20, 2));
        assertEquals(0xFFFF3412, bus.in(0x20, 4), "unclaimed ports read all ones");
    }

    @Test
    void aRangeOutsideTheIoSpaceIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new IoPortRange("x", 0xFFF8, 16, answering(0)));
        assertThrows(IllegalArgumentException.class, () -> new IoPortRange(" ", 0x80, 1, answering(0)));
    }
}
