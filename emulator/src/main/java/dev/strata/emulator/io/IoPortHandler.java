package dev.strata.emulator.io;

/** A device's view of the I/O ports it claims; sizes are 1, 2 or 4 bytes. */
public interface IoPortHandler {

    int in(int port, int size);

    void out(int port, int size, int value);
}
