package dev.strata.emulator.memory;

/**
 * The stretch of the map where {@link PhysicalMemory} last found a {@link DeviceMemory}, so its slow path reaches
 * those bytes with one compare instead of a map lookup and a handler call per access (frame buffer accesses come
 * in long runs). Only the part of the region the flattened map gives it counts: a window mapped over it keeps its
 * own accesses. {@link #forget} it at every change of the map.
 */
final class DirectWindow {

    private final MemoryMap map;
    private int start;
    /** Bytes from {@link #start}; 0 while no device memory is known. */
    private long length;
    /** Offset of {@link #start} in the device memory. */
    private int offset;
    private DeviceMemory memory;

    DirectWindow(MemoryMap map) {
        this.map = map;
    }

    /** True when all {@code size} bytes at physical {@code p} lie in device memory (which becomes the window). */
    boolean covers(int p, int size) {
        return ((p - start) & 0xFFFFFFFFL) + size <= length || refill(p, size);
    }

    private boolean refill(int p, int size) {
        MemoryMap.FlatRange range = map.range(p & 0xFFFFFFFFL);
        MemoryMapping m = range.mapping();
        if (m == null || m.region().deviceMemory() == null) {
            return false; // the window stays where it was: runs of frame buffer accesses come back to it
        }
        start = (int) range.start();
        length = range.end() - range.start();
        offset = (int) (range.start() - m.base());
        memory = m.region().deviceMemory();
        return ((p - start) & 0xFFFFFFFFL) + size <= length;
    }

    /** The window is stale: the map changed. */
    void forget() {
        length = 0;
        memory = null;
    }

    /** The device memory {@link #covers} found. */
    DeviceMemory memory() {
        return memory;
    }

    /** Where physical {@code p}, which {@link #covers} accepted, lies in {@link #memory()}. */
    int offsetOf(int p) {
        return p - start + offset;
    }

    int read(int p, int size) {
        return memory.read(offsetOf(p), size);
    }

    void write(int p, int size, int value) {
        memory.write(offsetOf(p), size, value);
    }
}
