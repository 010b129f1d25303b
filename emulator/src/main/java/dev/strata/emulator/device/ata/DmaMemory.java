package dev.strata.emulator.device.ata;

import dev.strata.emulator.memory.PhysicalMemory;

/**
 * Guest physical memory as a bus-master sees it: ranges of bytes at physical addresses. The controller checks
 * {@link #contains} before every copy, so a PRD entry pointing outside RAM ends the transfer with the bus-master
 * error bit instead of touching anything.
 */
public interface DmaMemory {

    /** True if all {@code length} bytes from {@code physical} (unsigned) are RAM a bus master may use. */
    boolean contains(int physical, int length);

    /** Copies {@code length} bytes of guest memory at {@code physical} into {@code dst[offset..]}. */
    void read(int physical, byte[] dst, int offset, int length);

    /** Copies {@code src[offset..offset+length)} into guest memory at {@code physical}. */
    void write(int physical, byte[] src, int offset, int length);

    /**
     * Adapts the machine's RAM. Copies go through {@link PhysicalMemory}'s block copies, which check for decoded code
     * as CPU writes do (stale code dies) and hand pages of device regions to the map.
     */
    static DmaMemory of(PhysicalMemory memory) {
        return new PhysicalMemoryDma(memory);
    }
}
