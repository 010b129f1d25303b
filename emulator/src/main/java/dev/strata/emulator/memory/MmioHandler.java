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

    /**
     * Writes {@code count} items of {@code size} bytes (1, 2 or 4, little-endian, whatever sizes the region takes
     * natively) of {@code value} from {@code offset} up, as that many writes in turn would, and returns true; or
     * returns false, having written nothing, when the device has no quicker way than those writes (the default),
     * which its region then makes ({@link MemoryRegion#fill}). For a device whose memory firmware clears in bulk.
     */
    default boolean fill(int offset, int size, int count, int value) {
        return false;
    }

    /**
     * Writes {@code length} bytes of {@code src} from {@code from} at {@code offset} up, as that many one-byte writes
     * in turn would, and returns true; or returns false, having written nothing, when the device has no quicker way
     * (the default: its region then writes them byte by byte, {@link MemoryRegion#writeBytes}). For firmware and bus
     * masters copying blocks into a device's memory (the BIOS loading a font into the VGA).
     */
    default boolean writeBytes(int offset, byte[] src, int from, int length) {
        return false;
    }
}
