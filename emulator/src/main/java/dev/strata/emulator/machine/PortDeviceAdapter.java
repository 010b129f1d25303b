package dev.strata.emulator.machine;

import dev.strata.emulator.device.PortDevice;
import dev.strata.emulator.io.IoBus;
import dev.strata.emulator.io.IoPortHandler;

/**
 * Puts a byte-wide {@link PortDevice} on the CPU's port bus. A word or doubleword access becomes byte accesses at
 * ascending ports, least significant byte first, each sent through the bus to whichever device owns that port, as
 * the ISA bus splits a wide access for an 8-bit device.
 */
final class PortDeviceAdapter implements IoPortHandler {

    private final PortDevice device;
    private final IoBus bus;

    PortDeviceAdapter(PortDevice device, IoBus bus) {
        this.device = device;
        this.bus = bus;
    }

    @Override
    public int in(int port, int size) {
        if (size == 1) {
            return device.readPort(port) & 0xFF;
        }
        int value = device.readPort(port) & 0xFF;
        for (int i = 1; i < size; i++) {
            value |= bus.in(port + i, 1) << (8 * i);
        }
        return value;
    }

    @Override
    public void out(int port, int size, int value) {
        device.writePort(port, value & 0xFF);
        for (int i = 1; i < size; i++) {
            bus.out(port + i, 1, (value >>> (8 * i)) & 0xFF);
        }
    }
}
