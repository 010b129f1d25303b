package dev.strata.emulator.pci;

import dev.strata.emulator.device.Device;
import dev.strata.emulator.io.IoPortRange;
import dev.strata.emulator.state.DeviceSection;
import dev.strata.emulator.state.FieldCodec;
import dev.strata.emulator.state.StateClass;
import dev.strata.emulator.state.StateField;
import dev.strata.emulator.state.StateFileException;
import dev.strata.emulator.state.StateReader;
import dev.strata.emulator.state.StateWriter;
import java.util.List;

/**
 * The PCI side of a 440FX/PIIX3 PC, as QEMU's "pc" machine lays it out: bus 0 with the host bridge at 00.0, the
 * PIIX3 ISA bridge at 01.0 and its IDE function at 01.1, reached through the configuration ports at CF8h..CFFh
 * (which also hold the PIIX3's reset control register at CF9h, see {@link #connectReset}).
 * Cards go in slots 2..31 with {@code bus().register(...)}.
 */
@StateClass("dev.strata.emulator.pci.I440fxPciSystem")
public final class I440fxPciSystem implements Device {

    public static final int HOST_BRIDGE_DEVICE = 0;
    public static final int PIIX3_DEVICE = 1;
    public static final int PIIX3_ISA_FUNCTION = 0;
    public static final int PIIX3_IDE_FUNCTION = 1;
    /** The first slot free for cards. */
    public static final int FIRST_FREE_DEVICE = 2;

    @StateField("bus") private final PciBus bus = new PciBus();
    @StateField("configPorts") private final PciConfigPorts configPorts = new PciConfigPorts(bus);
    @StateField("hostBridge") private final I440fxHostBridge hostBridge = new I440fxHostBridge();
    @StateField("isaBridge") private final Piix3IsaBridge isaBridge = new Piix3IsaBridge();
    @StateField("ide") private final Piix3IdeFunction ide = new Piix3IdeFunction();
    @StateField("resetControl") private Piix3ResetControl resetControl;

    public I440fxPciSystem() {
        bus.register(HOST_BRIDGE_DEVICE, 0, hostBridge);
        bus.register(PIIX3_DEVICE, PIIX3_ISA_FUNCTION, isaBridge);
        bus.register(PIIX3_DEVICE, PIIX3_IDE_FUNCTION, ide);
    }

    /**
     * Which PIRQ (0..3 for PIRQA#..PIRQD#) the interrupt pin {@code pin} (1..4, INTA#..INTD#) of a card in slot
     * {@code device} is wired to. The board rotates the wires by one per slot, so slot 1's INTA# is PIRQA#, slot 2's
     * is PIRQB#, and so on (the same wiring as QEMU and SeaBIOS use). The BIOS's interrupt routing table must
     * describe the same wiring.
     */
    public static int pirqOf(int device, int pin) {
        if (device < 0 || device >= PciBus.DEVICES || pin < 1 || pin > 4) {
            throw new IllegalArgumentException("no PIRQ for device " + device + " pin " + pin
                    + ": devices are 0..31, pins 1..4 (INTA#..INTD#)");
        }
        return (pin - 1 + device - 1) & 3;
    }

    /**
     * Connects the PIIX3's reset control register (byte port CF9h) to the machine's reset, so a guest can reboot
     * by writing 06h there. Until then CF9h reads FFh and ignores writes.
     */
    public Piix3ResetControl connectReset(Runnable machineReset) {
        resetControl = new Piix3ResetControl(machineReset);
        configPorts.connectResetControl(resetControl);
        return resetControl;
    }

    public PciBus bus() {
        return bus;
    }

    /** The CF8h..CFFh ports to register on the port bus. */
    public PciConfigPorts configPorts() {
        return configPorts;
    }

    public I440fxHostBridge hostBridge() {
        return hostBridge;
    }

    public Piix3IsaBridge isaBridge() {
        return isaBridge;
    }

    public Piix3IdeFunction ide() {
        return ide;
    }

    @Override
    public String name() {
        return "pci";
    }

    /** The configuration ports CF8h..CFFh, which also hold the reset control register at CF9h. */
    @Override
    public List<IoPortRange> ioPorts() {
        return List.of(new IoPortRange("pci", PciConfigPorts.FIRST_PORT, PciConfigPorts.PORT_COUNT, configPorts));
    }

    @Override
    public void machineReset() {
        reset();
    }

    @Override
    public DeviceSection state() {
        // 2: a card may sit in a slot (the AHCI controller of a machine with SATA drives); version 1 files,
        // from machines without cards, load unchanged. 3: every machine has the VGA's function; older files
        // lack it, and it stays as it powered on (see loadState)
        return new DeviceSection("pci", 3, 1, this::saveState, this::loadState);
    }

    /** A machine reset: every function back to power-on values, the address latch and reset control cleared. */
    public void reset() {
        bus.reset();
        configPorts.reset();
        if (resetControl != null) {
            resetControl.reset();
        }
    }

    /** Writes this device's state into a saved state (every state field, see {@link FieldCodec}). */
    public void saveState(StateWriter w) {
        FieldCodec.save(this, w);
    }

    /** Restores what {@link #saveState} wrote, re-arming this device's timers on the machine's scheduler. */
    public void loadState(StateReader r) throws StateFileException {
        List<PciBus.Slot> before = bus.slots();
        FieldCodec.load(this, r);
        bus.keepFunctionsTheFileLacks(before);
    }
}
