package dev.strata.bios;

import dev.strata.emulator.io.IoBus;
import dev.strata.emulator.pci.I440fxHostBridge;
import dev.strata.emulator.pci.I440fxPciSystem;
import dev.strata.emulator.pci.PciConfig;
import dev.strata.emulator.pci.PciConfigPorts;
import dev.strata.emulator.pci.Piix3IdeFunction;

/**
 * The POST step that sets up the PIIX3 IDE function (00:01.1) through configuration mechanism #1 (CF8h/CFCh), as
 * a PC BIOS does: it turns on the decode of both legacy channels in IDETIM (40h, 42h bit 15), gives the bus-master
 * window (BAR4) an I/O address and enables I/O space and bus mastering. Operating systems take the chipset as the
 * BIOS left it: Linux's ata_piix treats a channel whose IDETIM decode bit is clear as disabled and never probes it.
 */
final class PciSetup {

    /** Where BAR4 goes: the first I/O address SeaBIOS hands out, above the ISA range. */
    static final int BUS_MASTER_BASE = 0xC000;

    private final IoBus io;

    PciSetup(IoBus io) {
        this.io = io;
    }

    /** Sets up the IDE function if the machine has it; a machine without PCI reads FFFFFFFFh and is left alone. */
    void run() {
        int device = I440fxPciSystem.PIIX3_DEVICE, function = I440fxPciSystem.PIIX3_IDE_FUNCTION;
        int id = read(device, function, PciConfig.VENDOR_ID);
        if ((id & 0xFFFF) != I440fxHostBridge.VENDOR_INTEL || id >>> 16 != Piix3IdeFunction.DEVICE_ID) {
            return;
        }
        int bothChannels = Piix3IdeFunction.IDETIM_DECODE_ENABLE | Piix3IdeFunction.IDETIM_DECODE_ENABLE << 16;
        write(device, function, Piix3IdeFunction.IDETIM_PRIMARY, bothChannels);
        write(device, function, PciConfig.bar(Piix3IdeFunction.BUS_MASTER_BAR), BUS_MASTER_BASE);
        int command = read(device, function, PciConfig.COMMAND) & 0xFFFF;
        write(device, function, PciConfig.COMMAND,
                command | PciConfig.COMMAND_IO_SPACE | PciConfig.COMMAND_BUS_MASTER);
    }

    private int read(int device, int function, int register) {
        io.out(PciConfigPorts.ADDRESS_PORT, 4, address(device, function, register));
        return io.in(PciConfigPorts.DATA_PORT, 4);
    }

    /** Writes the whole dword at {@code register}; for the command register that leaves the status bits alone. */
    private void write(int device, int function, int register, int value) {
        io.out(PciConfigPorts.ADDRESS_PORT, 4, address(device, function, register));
        io.out(PciConfigPorts.DATA_PORT, 4, value);
    }

    private static int address(int device, int function, int register) {
        return PciConfigPorts.ENABLE | device << 11 | function << 8 | register & 0xFC;
    }
}
