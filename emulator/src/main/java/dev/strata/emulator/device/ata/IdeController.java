package dev.strata.emulator.device.ata;

import dev.strata.emulator.state.FieldCodec;
import dev.strata.emulator.state.StateClass;
import dev.strata.emulator.state.StateField;
import dev.strata.emulator.state.StateFileException;
import dev.strata.emulator.state.StateReader;
import dev.strata.emulator.state.StateWriter;
import dev.strata.emulator.device.IrqLine;
import dev.strata.emulator.device.Device;
import dev.strata.emulator.io.IoPortHandler;
import dev.strata.emulator.io.IoPortRange;
import dev.strata.emulator.state.DeviceSection;
import java.util.List;
import dev.strata.emulator.pci.Piix3IdeFunction;
import dev.strata.storage.image.DiskImage;
import java.util.function.BooleanSupplier;

/**
 * The PIIX3 IDE controller behind PCI function 01.1: the primary and secondary channels at their legacy ports and
 * IRQs, and the 16-port bus-master window of BAR4 (primary at +0, secondary at +8).
 *
 * <p>Wiring: construct it with the guest's memory and the two IRQ wires (ISA IRQ 14 and 15 of the PIC), register
 * its legacy {@link #ioPorts()} and {@link #connect(Piix3IdeFunction)} it to its PCI function, whose BAR4 then holds
 * the bus-master ports wherever software puts them. Put drives in with {@link #attachDisk} and
 * {@link #attachCdrom}; the machine's reset line resets it.
 */
@StateClass("dev.strata.emulator.device.ata.IdeController")
public final class IdeController implements Device {

    public static final int PRIMARY = 0;
    public static final int SECONDARY = 1;
    public static final int MASTER = 0;
    public static final int SLAVE = 1;

    public static final int PRIMARY_COMMAND_BASE = 0x1F0;
    public static final int PRIMARY_CONTROL_PORT = 0x3F6;
    public static final int PRIMARY_IRQ = 14;
    public static final int SECONDARY_COMMAND_BASE = 0x170;
    public static final int SECONDARY_CONTROL_PORT = 0x376;
    public static final int SECONDARY_IRQ = 15;
    /** Ports in the bus-master window (BAR4). */
    public static final int BUS_MASTER_PORTS = 16;

    @StateField("channels") private final IdeChannel[] channels = new IdeChannel[2];
    private final transient IoPortHandler busMasterPorts = new BusMasterPorts();
    private transient BooleanSupplier busMasterAllowed = () -> true;

    /** A controller whose bus master reaches {@code memory} and whose channels drive the two wires. */
    public IdeController(DmaMemory memory, IrqLine primaryIrq, IrqLine secondaryIrq) {
        if (memory == null) {
            throw new IllegalArgumentException("the IDE controller needs guest memory for bus-master DMA");
        }
        BooleanSupplier allowed = () -> busMasterAllowed.getAsBoolean();
        channels[PRIMARY] = new IdeChannel(PRIMARY, primaryIrq, memory, allowed);
        channels[SECONDARY] = new IdeChannel(SECONDARY, secondaryIrq, memory, allowed);
    }

    public IdeChannel channel(int channel) {
        if (channel != PRIMARY && channel != SECONDARY) {
            throw new IllegalArgumentException("IDE channel " + channel + " is not 0 (primary) or 1 (secondary)");
        }
        return channels[channel];
    }

    /**
     * Puts a hard disk over {@code image} at {@code channel}/{@code position}. Its serial number is
     * {@code STRATA-HD<channel><position>}; pass your own with {@link #attach(int, int, IdeDevice)}.
     */
    public AtaDisk attachDisk(int channel, int position, DiskImage image) {
        AtaDisk disk = new AtaDisk(image, "STRATA-HD" + channel + position);
        attach(channel, position, disk);
        return disk;
    }

    /** Puts an empty CD-ROM drive at {@code channel}/{@code position}; insert media with {@link AtapiCdrom#insert}. */
    public AtapiCdrom attachCdrom(int channel, int position) {
        AtapiCdrom drive = new AtapiCdrom("STRATA-CD" + channel + position);
        attach(channel, position, drive);
        return drive;
    }

    /** Puts {@code device} at {@code channel}/{@code position}, which must be empty. */
    public void attach(int channel, int position, IdeDevice device) {
        channel(channel).attach(position, device);
    }

    /** Empties {@code channel}/{@code position}; the caller closes the device's image. */
    public void detach(int channel, int position) {
        channel(channel).detach(position);
    }

    @Override
    public String name() {
        return "ide";
    }

    /** Both channels' legacy ports: 1F0h..1F7h, 3F6h, 170h..177h, 376h. */
    @Override
    public List<IoPortRange> ioPorts() {
        return List.of(new IoPortRange("ide.primary", PRIMARY_COMMAND_BASE, 8, channels[PRIMARY].commandBlock()),
                new IoPortRange("ide.primary", PRIMARY_CONTROL_PORT, 1, channels[PRIMARY].controlBlock()),
                new IoPortRange("ide.secondary", SECONDARY_COMMAND_BASE, 8, channels[SECONDARY].commandBlock()),
                new IoPortRange("ide.secondary", SECONDARY_CONTROL_PORT, 1, channels[SECONDARY].controlBlock()));
    }

    /**
     * Puts the bus-master ports in {@code function}'s BAR4 (the PCI code maps them where software puts the BAR,
     * while I/O space is on), and lets DMA run only while its command register has bus mastering on.
     */
    public void connect(Piix3IdeFunction function) {
        busMasterAllowed = function::busMasterEnabled;
        function.connectBar(Piix3IdeFunction.BUS_MASTER_BAR, "ide.busmaster", busMasterPorts);
    }

    /**
     * The 16 bus-master ports; the handler decodes {@code port & 15}. {@link #connect} puts them in BAR4; register
     * them yourself only if you map the window some other way.
     */
    public IoPortHandler busMasterPorts() {
        return busMasterPorts;
    }

    @Override
    public void machineReset() {
        reset();
    }

    @Override
    public DeviceSection state() {
        return DeviceSection.of("ide", this::saveState, this::loadState);
    }

    /** Machine reset: every device to its power-on state, both bus masters idle. Media stay in their drives. */
    public void reset() {
        channels[PRIMARY].reset();
        channels[SECONDARY].reset();
    }

    private final class BusMasterPorts implements IoPortHandler {
        @Override
        public int in(int port, int size) {
            int offset = port & 15;
            BusMasterChannel bm = channels[offset >>> 3].busMaster();
            int value = 0;
            for (int i = 0; i < size && (offset & 7) + i < 8; i++) {
                value |= bm.read((offset & 7) + i) << (8 * i);
            }
            return value;
        }

        @Override
        public void out(int port, int size, int value) {
            int offset = port & 15;
            BusMasterChannel bm = channels[offset >>> 3].busMaster();
            for (int i = 0; i < size && (offset & 7) + i < 8; i++) {
                bm.write((offset & 7) + i, value >>> (8 * i));
            }
        }
    }

    /**
     * Writes the channels, drives (with any command in flight) and bus-master registers into a saved state; the
     * drives' images are not part of it. Where the bus-master window sits follows from the PCI configuration.
     */
    public void saveState(StateWriter w) {
        FieldCodec.save(this, w);
    }

    /**
     * Restores what {@link #saveState} wrote onto a controller with the same drives; the bus-master window moves
     * with the PCI configuration, which restores itself.
     */
    public void loadState(StateReader r) throws StateFileException {
        FieldCodec.load(this, r);
    }
}
