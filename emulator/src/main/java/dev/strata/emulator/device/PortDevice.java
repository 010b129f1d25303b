package dev.strata.emulator.device;

/**
 * A device's byte-wide I/O port handlers, in the shape the machine registers on the CPU's port bus. Ports are the
 * full 16-bit port numbers; values are 0..255.
 */
public interface PortDevice {

    /** Reads one byte from {@code port}; 0xFF when the port is not one of the device's. */
    int readPort(int port);

    /** Writes the low byte of {@code value} to {@code port}; ignored when the port is not one of the device's. */
    void writePort(int port, int value);
}
