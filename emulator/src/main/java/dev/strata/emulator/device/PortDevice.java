package dev.strata.emulator.device;

import dev.strata.emulator.io.IoPortHandler;
import dev.strata.emulator.io.IoPortRange;

/**
 * A device's byte-wide I/O port handlers, in the shape the machine registers on the CPU's port bus. Ports are the
 * full 16-bit port numbers; values are 0..255.
 */
public interface PortDevice {

    /** Reads one byte from {@code port}; 0xFF when the port is not one of the device's. */
    int readPort(int port);

    /** Writes the low byte of {@code value} to {@code port}; ignored when the port is not one of the device's. */
    void writePort(int port, int value);

    /**
     * Ports {@code first..first+count-1} of this device as a byte-wide range named {@code name}: the bus splits
     * wider accesses into bytes at ascending ports, as the ISA bus does for an 8-bit device.
     */
    default IoPortRange ports(String name, int first, int count) {
        PortDevice device = this;
        return new IoPortRange(name, first, count, new IoPortHandler() {
            @Override
            public int in(int port, int size) {
                return device.readPort(port) & 0xFF;
            }

            @Override
            public void out(int port, int size, int value) {
                device.writePort(port, value & 0xFF);
            }
        }, true);
    }
}
