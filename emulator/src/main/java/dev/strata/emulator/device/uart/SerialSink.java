package dev.strata.emulator.device.uart;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/** Where a serial port's transmitted bytes go: a terminal, a log file, a test's buffer. */
@FunctionalInterface
public interface SerialSink {

    /** Takes one transmitted byte (0..255), called on the CPU thread. */
    void write(int b);

    /** Discards everything, like an unplugged cable. */
    SerialSink NONE = b -> { };

    /** Writes each byte to {@code out} and flushes it, so a terminal sees output as the guest sends it. */
    static SerialSink of(OutputStream out) {
        return b -> {
            try {
                out.write(b);
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("serial output could not be written: " + e.getMessage(), e);
            }
        };
    }
}
