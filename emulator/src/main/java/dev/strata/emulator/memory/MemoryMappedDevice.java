package dev.strata.emulator.memory;

/** A device that answers CPU memory accesses in a window of the physical address space (the VGA at A0000h). */
public interface MemoryMappedDevice {

    /** The byte the device returns at physical {@code address}. */
    int readMemory(int address);

    /** Stores the low byte of {@code value} at physical {@code address}. */
    void writeMemory(int address, int value);
}
