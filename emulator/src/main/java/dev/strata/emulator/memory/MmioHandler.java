package dev.strata.emulator.memory;

/**
 * What a device's memory-mapped registers answer: accesses of the sizes its {@link MemoryRegion} declares, at
 * offsets from the region's start (so a region can move, as a PCI BAR does, without the device knowing).
 */
public interface MmioHandler {

    /** Reads {@code size} bytes (1, 2 or 4, little-endian) at {@code offset}; the value's higher bits are ignored. */
    int read(int offset, int size);

    /** Writes the low {@code size} bytes (1, 2 or 4, little-endian) of {@code value} at {@code offset}. */
    void write(int offset, int size, int value);
}
