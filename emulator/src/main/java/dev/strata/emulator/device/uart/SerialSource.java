package dev.strata.emulator.device.uart;

/** Where a serial port's received bytes come from; polled on the CPU thread at the line's character rate. */
@FunctionalInterface
public interface SerialSource {

    /** The next byte (0..255), or -1 when nothing is waiting now. */
    int read();

    /** Never has anything to say. */
    SerialSource NONE = () -> -1;
}
