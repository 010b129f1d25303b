package dev.strata.emulator.device.ata;

import dev.strata.emulator.io.IoBus;
import dev.strata.emulator.io.IoPortHandler;

/**
 * Keeps the 16 bus-master ports registered where BAR4 points: when software moves the BAR (or turns I/O decoding
 * off) the old ports are released and the new ones claimed. Base 0 means "not decoded".
 */
final class BusMasterWindow {

    private final IoBus bus;
    private final IoPortHandler handler;
    private int base;

    BusMasterWindow(IoBus bus, IoPortHandler handler) {
        this.bus = bus;
        this.handler = handler;
    }

    void moveTo(int newBase) {
        newBase &= 0xFFF0;
        if (newBase == base) {
            return;
        }
        if (base != 0) {
            bus.register(base, IdeController.BUS_MASTER_PORTS, null);
        }
        base = newBase;
        if (base != 0) {
            bus.register(base, IdeController.BUS_MASTER_PORTS, handler);
        }
    }

    int base() {
        return base;
    }
}
