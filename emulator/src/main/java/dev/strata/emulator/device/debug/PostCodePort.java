package dev.strata.emulator.device.debug;

import dev.strata.emulator.device.Device;
import dev.strata.emulator.io.IoPortRange;
import dev.strata.emulator.state.DeviceSection;
import java.util.List;
import java.util.function.IntConsumer;
import dev.strata.emulator.state.FieldCodec;
import dev.strata.emulator.state.StateClass;
import dev.strata.emulator.state.StateField;
import dev.strata.emulator.state.StateFileException;
import dev.strata.emulator.state.StateReader;
import dev.strata.emulator.state.StateWriter;
import dev.strata.emulator.device.PortDevice;
import java.util.Arrays;

/**
 * The POST diagnostic port 80h: firmware writes a progress code before each step of power-on self test, so the
 * last code says where a hung boot stopped. Keeps the last code and the most recent codes in order.
 */
@StateClass("dev.strata.emulator.device.debug.PostCodePort")
public final class PostCodePort implements PortDevice, Device {

    public static final int PORT = 0x80;
    /** How many codes the log keeps before it drops the oldest. */
    public static final int DEFAULT_LOG_CAPACITY = 4096;

    @StateField("log") private final int[] log;
    @StateField("start") private int start;
    @StateField("size") private int size;
    @StateField("total") private long total;
    @StateField("lastCode") private int lastCode = -1;
    private transient IntConsumer listener = code -> { };

    public PostCodePort() {
        this(DEFAULT_LOG_CAPACITY);
    }

    /** @param logCapacity how many of the most recent codes to keep, at least 1 */
    public PostCodePort(int logCapacity) {
        if (logCapacity < 1) {
            throw new IllegalArgumentException("the POST code log needs room for at least one code, got "
                    + logCapacity);
        }
        this.log = new int[logCapacity];
    }

    /** Reads back the last code written, as many chipsets do; 0xFF before the first write. */
    @Override
    public int readPort(int port) {
        return port == PORT && lastCode >= 0 ? lastCode : 0xFF;
    }

    @Override
    public void writePort(int port, int value) {
        if (port != PORT) {
            return;
        }
        int code = value & 0xFF;
        lastCode = code;
        total++;
        if (size < log.length) {
            log[(start + size) % log.length] = code;
            size++;
        } else {
            log[start] = code;
            start = (start + 1) % log.length;
        }
        listener.accept(code);
    }

    /** The last code written, or -1 if the firmware has written none. */
    public int lastCode() {
        return lastCode;
    }

    /** The codes kept, oldest first (at most the log capacity). */
    public int[] codes() {
        int[] out = new int[size];
        for (int i = 0; i < size; i++) {
            out[i] = log[(start + i) % log.length];
        }
        return out;
    }

    /** How many codes were written since power-on, including any the log dropped. */
    public long codesWritten() {
        return total;
    }

    /** Forgets every code, as at power-on. */
    public void clear() {
        Arrays.fill(log, 0);
        start = 0;
        size = 0;
        total = 0;
        lastCode = -1;
    }

    /** Writes this device's state into a saved state (every state field, see {@link FieldCodec}). */
    public void saveState(StateWriter w) {
        FieldCodec.save(this, w);
    }

    /** Restores what {@link #saveState} wrote, re-arming this device's timers on the machine's scheduler. */
    public void loadState(StateReader r) throws StateFileException {
        FieldCodec.load(this, r);
    }

    /** Hears every code written (the machine's POST code listener), after the log took it. */
    public void setListener(IntConsumer listener) {
        this.listener = listener == null ? code -> { } : listener;
    }

    @Override
    public String name() {
        return "post";
    }

    @Override
    public List<IoPortRange> ioPorts() {
        return List.of(ports(name(), PORT, 1));
    }

    @Override
    public DeviceSection state() {
        return DeviceSection.of("post", this::saveState, this::loadState);
    }
}
