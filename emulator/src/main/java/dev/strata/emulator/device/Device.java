package dev.strata.emulator.device;

import dev.strata.emulator.io.IoPortRange;
import dev.strata.emulator.memory.MemoryMapping;
import dev.strata.emulator.state.DeviceSection;
import java.util.List;

/**
 * What every device tells the machine that plugs it in: the I/O ports and memory regions it answers at fixed
 * addresses, what it does on the reset line, and its saved-state section. The machine registers its devices in one
 * loop, so a new device is one entry in a list; windows that software moves (PCI BARs) are the PCI code's to map.
 */
public interface Device {

    /** A short name for logs, errors and listings ("pic", "com1", "ide"). */
    String name();

    /** The port ranges the device claims; the bus refuses any that overlaps another device's. */
    default List<IoPortRange> ioPorts() {
        return List.of();
    }

    /** The memory regions the device maps at fixed addresses (the VGA's window at A0000h). */
    default List<MemoryMapping> memoryRegions() {
        return List.of();
    }

    /**
     * The machine's reset line (a reset request, a triple fault), not power-on: most ISA devices ignore it, as the
     * BIOS initializes them anyway; chipset registers return to their power-on values.
     */
    default void machineReset() {
    }

    /** The device's section in a saved state, or null when it keeps nothing worth saving. */
    default DeviceSection state() {
        return null;
    }
}
