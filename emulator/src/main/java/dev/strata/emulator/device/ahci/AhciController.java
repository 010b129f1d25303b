package dev.strata.emulator.device.ahci;

import static dev.strata.emulator.device.ahci.AhciRegisters.*;

import dev.strata.emulator.device.Device;
import dev.strata.emulator.device.ata.DmaMemory;
import dev.strata.emulator.device.ata.SataDevice;
import dev.strata.emulator.memory.MemoryRegion;
import dev.strata.emulator.memory.MmioHandler;
import dev.strata.emulator.state.DeviceSection;
import dev.strata.emulator.state.FieldCodec;
import dev.strata.emulator.state.StateClass;
import dev.strata.emulator.state.StateField;
import dev.strata.storage.image.DiskImage;

/**
 * An Intel ICH9-class AHCI 1.3 SATA controller with six ports: the generic host control registers (CAP, GHC with
 * AHCI enable, interrupt enable and HBA reset, IS, PI, VS, CAP2) and the ports' registers in the ABAR window, one
 * interrupt (INTA# of its PCI function) shared by all ports, and DMA to guest RAM for command lists, received FISes
 * and data. The devices on its ports are the ATA disk and ATAPI drive the IDE controller uses ({@link SataDevice}).
 *
 * <p>Wiring: construct it with the guest's memory, {@link #connect(AhciPciFunction)} it to its PCI function (the
 * PCI code maps the registers where the guest puts BAR5, and DMA runs only while bus mastering is on), and put
 * drives in with {@link #attachDisk} and {@link #attachCdrom}.
 */
@StateClass("dev.strata.emulator.device.ahci.AhciController")
public final class AhciController implements Device {

    public static final int PORTS = 6;
    /** Command slots per port (CAP.NCS + 1). */
    public static final int SLOTS = 32;

    private static final int CAPABILITIES = (PORTS - 1) | (SLOTS - 1) << 8 | CAP_PMD | CAP_ISS_GEN2 | CAP_SAM
            | CAP_SCLO | CAP_SNCQ;

    @StateField("ports") private final AhciPort[] ports = new AhciPort[PORTS];
    @StateField("ghc") private int ghc = GHC_AE;
    @StateField("is") private int is;
    private transient AhciPciFunction function;
    private final transient MemoryRegion registers =
            MemoryRegion.mmio("ahci", AhciPciFunction.ABAR_SIZE, MemoryRegion.DWORD, new Registers());

    /** A controller whose ports reach {@code memory} for command lists, FISes and data. */
    public AhciController(DmaMemory memory) {
        if (memory == null) {
            throw new IllegalArgumentException("the AHCI controller needs guest memory for its DMA");
        }
        DmaMemory gated = new BusMasterGate(memory, () -> function == null || function.busMasterEnabled());
        for (int i = 0; i < PORTS; i++) {
            ports[i] = new AhciPort(i, gated, this::updateInterrupt);
        }
        reset();
    }

    /** Puts the registers in {@code pci}'s BAR5 and the interrupt on its INTA#. */
    public void connect(AhciPciFunction pci) {
        this.function = pci;
        pci.connectBar(AhciPciFunction.ABAR, registers);
        updateInterrupt();
    }

    /** The register window (2 KiB), for a caller that maps it without a PCI function. */
    public MemoryRegion registers() {
        return registers;
    }

    /** Puts a hard disk over {@code image} on port {@code port} (0..5), which must be empty. */
    public SataDevice attachDisk(int port, DiskImage image) {
        SataDevice disk = SataDevice.disk(image, "STRATA-SATA" + port, "sata" + port);
        port(port).attach(disk);
        return disk;
    }

    /** Puts an empty ATAPI CD/DVD drive on port {@code port}; insert media through {@link SataDevice#cdrom()}. */
    public SataDevice attachCdrom(int port) {
        SataDevice drive = SataDevice.cdrom("STRATA-SATACD" + port, "sata" + port);
        port(port).attach(drive);
        return drive;
    }

    /** The device on port {@code port}, or null. */
    public SataDevice device(int port) {
        return port(port).device();
    }

    /** Empties port {@code port}; the caller closes the device's image. */
    public void detach(int port) {
        port(port).detach();
    }

    private AhciPort port(int port) {
        if (port < 0 || port >= PORTS) {
            throw new IllegalArgumentException("SATA port " + port + " does not exist: ports are 0.." + (PORTS - 1));
        }
        return ports[port];
    }

    /** HBA reset (GHC.HR, and the machine's reset line): every port's registers and link reset. */
    public void reset() {
        ghc = GHC_AE;
        is = 0;
        for (AhciPort p : ports) {
            p.reset();
        }
        updateInterrupt();
    }

    @Override
    public String name() {
        return "ahci";
    }

    @Override
    public void machineReset() {
        reset();
    }

    @Override
    public DeviceSection state() {
        return DeviceSection.of("ahci", w -> FieldCodec.save(this, w), r -> {
            FieldCodec.load(this, r);
            updateInterrupt();
        });
    }

    /** True while the controller asks for its interrupt (IS has a bit and GHC.IE is on). */
    public boolean interruptRequested() {
        return (ghc & GHC_IE) != 0 && is != 0;
    }

    private void updateInterrupt() {
        if (ports[PORTS - 1] == null) {
            return; // still building the ports
        }
        for (int i = 0; i < PORTS; i++) {
            if (ports[i].interruptPending()) {
                is |= 1 << i;
            }
        }
        if (function != null) {
            function.interrupt(interruptRequested());
        }
    }

    /**
     * The dword a guest reads at {@code offset} in the register window (HBA registers, then port {@code n} at
     * 100h + 80h*n). Reading has no side effects, so the monitor can look without disturbing the guest.
     */
    public int register(int offset) {
        if (offset < 0 || offset >= AhciPciFunction.ABAR_SIZE || (offset & 3) != 0) {
            throw new IllegalArgumentException(String.format(
                    "AHCI register offset %xh is not a dword in the %xh-byte window", offset,
                    AhciPciFunction.ABAR_SIZE));
        }
        return readRegister(offset);
    }

    int readRegister(int offset) {
        if (offset >= PORT_BASE) {
            int port = (offset - PORT_BASE) / PORT_SIZE;
            return port < PORTS ? ports[port].read((offset - PORT_BASE) % PORT_SIZE) : 0;
        }
        return switch (offset) {
            case CAP -> CAPABILITIES;
            case GHC -> ghc;
            case IS -> is;
            case PI -> (1 << PORTS) - 1;
            case VS -> VERSION_1_3;
            default -> 0; // CCC, enclosure management, CAP2 and BOHC: nothing implemented, all zero
        };
    }

    void writeRegister(int offset, int value) {
        if (offset >= PORT_BASE) {
            int port = (offset - PORT_BASE) / PORT_SIZE;
            if (port < PORTS) {
                ports[port].write((offset - PORT_BASE) % PORT_SIZE, value);
            }
            return;
        }
        switch (offset) {
            case GHC -> {
                if ((value & GHC_HR) != 0) {
                    reset(); // done at once, so HR reads back 0
                    return;
                }
                ghc = GHC_AE | (value & GHC_IE);
                updateInterrupt();
            }
            case IS -> {
                is &= ~value;
                updateInterrupt(); // a port whose PxIS still holds an enabled bit sets its bit again
            }
            default -> { } // read-only or not implemented
        }
    }

    /** Dword registers; the memory region adapts other access sizes. */
    private final class Registers implements MmioHandler {
        @Override
        public int read(int offset, int size) {
            return readRegister(offset);
        }

        @Override
        public void write(int offset, int size, int value) {
            writeRegister(offset, value);
        }
    }
}
