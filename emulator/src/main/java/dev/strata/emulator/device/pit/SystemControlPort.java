package dev.strata.emulator.device.pit;

import dev.strata.emulator.device.Device;
import dev.strata.emulator.io.IoPortRange;
import dev.strata.emulator.state.DeviceSection;
import java.util.List;
import dev.strata.emulator.state.FieldCodec;
import dev.strata.emulator.state.StateClass;
import dev.strata.emulator.state.StateField;
import dev.strata.emulator.state.StateFileException;
import dev.strata.emulator.state.StateReader;
import dev.strata.emulator.state.StateWriter;
import dev.strata.emulator.clock.VirtualClock;
import dev.strata.emulator.device.PortDevice;

/**
 * Port 61h of the PC/AT ("port B"): bit 0 gates timer counter 2, bit 1 enables the speaker, bits 2-3 are the
 * parity and channel check enables (kept, no effect), bit 4 toggles with every DRAM refresh request (every 15.085
 * microseconds; BIOSes time short delays by polling it) and bit 5 reads counter 2's output.
 */
@StateClass(value = "dev.strata.emulator.device.pit.SystemControlPort", retired = "pit")
public final class SystemControlPort implements PortDevice, Device {

    public static final int PORT = 0x61;
    /** Refresh requests come every 18 timer ticks (15.085 us). */
    static final long REFRESH_TICKS = 18;

    private final transient Pit8254 pit; // saved by its own section
    private final transient VirtualClock clock;
    @StateField("control") private int control;

    public SystemControlPort(Pit8254 pit, VirtualClock clock) {
        this.pit = pit;
        this.clock = clock;
    }

    @Override
    public int readPort(int port) {
        if (port != PORT) {
            return 0xFF;
        }
        boolean refresh = (PitTiming.ticksAt(clock.nanos()) / REFRESH_TICKS & 1) != 0;
        return control | (refresh ? 0x10 : 0) | (pit.output(2) ? 0x20 : 0);
    }

    @Override
    public void writePort(int port, int value) {
        if (port != PORT) {
            return;
        }
        control = value & 0x0F;
        pit.setGate(2, (control & 0x01) != 0);
    }

    /** True when the speaker is connected to counter 2 (bit 1); what it plays is {@link #speakerLevel()}. */
    public boolean speakerEnabled() {
        return (control & 0x02) != 0;
    }

    /** The speaker cone's position now: counter 2's output ANDed with the enable bit. */
    public boolean speakerLevel() {
        return speakerEnabled() && pit.output(2);
    }

    /** Writes this device's state into a saved state (every state field, see {@link FieldCodec}). */
    public void saveState(StateWriter w) {
        FieldCodec.save(this, w);
    }

    /** Restores what {@link #saveState} wrote, re-arming this device's timers on the machine's scheduler. */
    public void loadState(StateReader r) throws StateFileException {
        FieldCodec.load(this, r);
    }

    @Override
    public String name() {
        return "port61";
    }

    @Override
    public List<IoPortRange> ioPorts() {
        return List.of(ports(name(), PORT, 1));
    }

    /** Version 2 has no copy of the PIT, which has its own section (version 1 files carry one, read and dropped). */
    @Override
    public DeviceSection state() {
        return new DeviceSection("port61", 2, 1, this::saveState, this::loadState);
    }
}
