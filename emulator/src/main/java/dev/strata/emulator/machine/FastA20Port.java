package dev.strata.emulator.machine;

import dev.strata.emulator.device.Device;
import dev.strata.emulator.io.IoPortRange;
import dev.strata.emulator.state.DeviceSection;
import java.util.List;
import dev.strata.emulator.device.PortDevice;
import dev.strata.emulator.state.FieldCodec;
import dev.strata.emulator.state.StateClass;
import dev.strata.emulator.state.StateField;
import dev.strata.emulator.state.StateFileException;
import dev.strata.emulator.state.StateReader;
import dev.strata.emulator.state.StateWriter;

/**
 * System control port A at 92h ("fast A20"): bit 1 opens the A20 gate without the keyboard controller, and a
 * write that sets bit 0 resets the processor (bit 0 reads back as written, like the PS/2 chipsets).
 */
@StateClass("dev.strata.emulator.machine.FastA20Port")
public final class FastA20Port implements PortDevice, Device {

    static final int PORT = 0x92;
    private static final int RESET = 0x01;
    private static final int A20 = 0x02;

    private final transient Runnable a20Changed;
    private final transient Runnable reset;
    @StateField("value") private int value;

    /**
     * @param a20Changed told after bit 1 changed (the machine then reads {@link #a20Enabled()})
     * @param reset      told when bit 0 goes from 0 to 1
     */
    FastA20Port(Runnable a20Changed, Runnable reset) {
        this.a20Changed = a20Changed;
        this.reset = reset;
    }

    boolean a20Enabled() {
        return (value & A20) != 0;
    }

    @Override
    public int readPort(int port) {
        return port == PORT ? value : 0xFF;
    }

    @Override
    public void writePort(int port, int v) {
        if (port != PORT) {
            return;
        }
        int old = value;
        value = v & (A20 | RESET);
        if (((old ^ value) & A20) != 0) {
            a20Changed.run();
        }
        if ((value & RESET) != 0 && (old & RESET) == 0) {
            reset.run();
        }
    }

    /** Power-on value: gate closed, no reset. */
    void powerOn() {
        value = 0;
    }

    /** Writes the port's value into a saved state. */
    public void saveState(StateWriter w) {
        FieldCodec.save(this, w);
    }

    /** Restores what {@link #saveState} wrote; the A20 gate follows when the machine recomputes it. */
    public void loadState(StateReader r) throws StateFileException {
        FieldCodec.load(this, r);
    }

    @Override
    public String name() {
        return "port92";
    }

    @Override
    public List<IoPortRange> ioPorts() {
        return List.of(ports(name(), PORT, 1));
    }

    @Override
    public void machineReset() {
        powerOn();
    }

    @Override
    public DeviceSection state() {
        return DeviceSection.of("port92", this::saveState, this::loadState);
    }
}
