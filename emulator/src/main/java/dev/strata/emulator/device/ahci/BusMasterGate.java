package dev.strata.emulator.device.ahci;

import dev.strata.emulator.device.ata.DmaMemory;
import java.util.function.BooleanSupplier;

/**
 * Guest memory as a PCI bus master reaches it: nothing at all while the function's command register has bus
 * mastering off, so a controller the guest has not enabled fails its transfers instead of touching RAM.
 */
final class BusMasterGate implements DmaMemory {

    private final DmaMemory memory;
    private final BooleanSupplier enabled;

    BusMasterGate(DmaMemory memory, BooleanSupplier enabled) {
        this.memory = memory;
        this.enabled = enabled;
    }

    @Override
    public boolean contains(int physical, int length) {
        return enabled.getAsBoolean() && memory.contains(physical, length);
    }

    @Override
    public void read(int physical, byte[] dst, int offset, int length) {
        memory.read(physical, dst, offset, length);
    }

    @Override
    public void write(int physical, byte[] src, int offset, int length) {
        memory.write(physical, src, offset, length);
    }
}
