package dev.strata.emulator.device.debug;

import dev.strata.emulator.device.Device;
import dev.strata.emulator.io.IoPortRange;
import java.util.List;
import dev.strata.emulator.device.PortDevice;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.function.IntConsumer;

/**
 * The Bochs/QEMU debug console port E9h: every byte the guest writes goes to a sink (a terminal, a log, a test's
 * buffer), which is how firmware and test programs print without a screen or serial port. Reading the port returns
 * E9h, the value Bochs uses to say the port is present.
 */
public final class DebugConsolePort implements PortDevice, Device {

    public static final int PORT = 0xE9;

    private final IntConsumer sink;

    /** @param sink receives each byte (0..255) on the CPU thread */
    public DebugConsolePort(IntConsumer sink) {
        if (sink == null) {
            throw new IllegalArgumentException("the debug console port needs a sink for its bytes");
        }
        this.sink = sink;
    }

    /** A sink that writes each byte to {@code out} and flushes, so a terminal shows output as it comes. */
    public static IntConsumer streamSink(OutputStream out) {
        return b -> {
            try {
                out.write(b);
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("debug console output could not be written: " + e.getMessage(), e);
            }
        };
    }

    @Override
    public int readPort(int port) {
        return port == PORT ? PORT : 0xFF;
    }

    @Override
    public void writePort(int port, int value) {
        if (port == PORT) {
            sink.accept(value & 0xFF);
        }
    }

    @Override
    public String name() {
        return "debugcon";
    }

    @Override
    public List<IoPortRange> ioPorts() {
        return List.of(ports(name(), PORT, 1));
    }
}
