package dev.strata.emulator.memory;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The physical address space as a set of overlapping {@link MemoryMapping}s (RAM, ROM, device registers), flattened
 * after every change into the non-overlapping ranges where one region answers. Lookups search the flat ranges
 * (after trying the last one hit, since device accesses come in runs), so the cost of many regions is paid when the
 * map changes, not per access. An address no region covers is open bus: reads all ones, writes are dropped, and
 * both are counted and logged at debug level so a driver poking a BAR that is not mapped can be found.
 *
 * <p>{@link PhysicalMemory} reads and writes RAM (and ROM mirrored in its RAM array) on its own fast path; only its
 * slow path comes here, and it is told of every change so it can keep its fast path honest.
 */
public final class MemoryMap {

    /** PCI memory BARs: below RAM and ROM, as the chipset decodes DRAM before forwarding to PCI. */
    public static final int PRIORITY_PCI = -1;
    /** System RAM. */
    public static final int PRIORITY_RAM = 0;
    /** ROM and legacy device windows, which hide the RAM beneath them. */
    public static final int PRIORITY_OVERLAY = 1;

    private static final Logger LOG = LoggerFactory.getLogger(MemoryMap.class);
    private static final long SPACE = 1L << 32;

    private final List<MemoryMapping> mappings = new ArrayList<>();
    private FlatRange[] flat = {new FlatRange(0, SPACE, null)};
    private FlatRange last = flat[0];
    private Runnable changeListener = () -> { };
    private long openBusReads;
    private long openBusWrites;

    /** One stretch of the flattened map: {@code mapping} answers {@code start..end-1}, or nothing when null. */
    public record FlatRange(long start, long end, MemoryMapping mapping) {

        boolean contains(long address) {
            return address >= start && address < end;
        }
    }

    /**
     * Tells {@code listener} after every change of the map (the memory's fast path depends on it). A listener that
     * cannot follow a change refuses it by throwing; the map is then put back as it was and the exception goes to
     * whoever asked for the change.
     */
    public void onChange(Runnable listener) {
        this.changeListener = listener == null ? () -> { } : listener;
    }

    /** Maps {@code region} at {@code base} with {@code priority}; returns the mapping, to give to {@link #remove}. */
    public MemoryMapping add(MemoryRegion region, long base, int priority) {
        MemoryMapping mapping = new MemoryMapping(region, base, priority);
        add(mapping);
        return mapping;
    }

    /** Adds {@code mapping}; the same mapping twice is refused, a region may be mapped at several places. */
    public void add(MemoryMapping mapping) {
        for (MemoryMapping m : mappings) {
            if (m == mapping) {
                throw new IllegalArgumentException(mapping + " is mapped already");
            }
        }
        mappings.add(mapping);
        try {
            rebuild();
        } catch (RuntimeException refused) {
            mappings.remove(mappings.size() - 1);
            rebuild();
            throw refused;
        }
    }

    /** Removes a mapping made by {@link #add}; the region beneath it (or open bus) answers again. */
    public void remove(MemoryMapping mapping) {
        if (!mappings.removeIf(m -> m == mapping)) {
            throw new IllegalArgumentException(mapping + " is not mapped");
        }
        rebuild();
    }

    /** Every mapping, in the order they were added. */
    public List<MemoryMapping> mappings() {
        return List.copyOf(mappings);
    }

    /** The flattened map: ranges in address order covering all 4 GiB, with null mappings for open bus. */
    public List<FlatRange> flatRanges() {
        return List.of(flat);
    }

    /** The stretch of the flattened map holding {@code address} (0 to 4 GiB - 1). */
    public FlatRange range(long address) {
        return find(address);
    }

    /** The mapping that answers at {@code address} (0 to 4 GiB - 1), or null for open bus. */
    public MemoryMapping resolve(long address) {
        return find(address).mapping;
    }

    /** Reads {@code size} bytes (1, 2 or 4) at physical {@code address}; open bus reads all ones. */
    public int read(int address, int size) {
        long at = address & 0xFFFFFFFFL;
        FlatRange r = find(at);
        if (at + size > r.end) {
            return readBytes(address, size); // the access straddles two ranges: each byte goes where it belongs
        }
        MemoryMapping m = r.mapping;
        if (m == null) {
            openBusReads++;
            if (LOG.isDebugEnabled()) {
                LOG.debug(String.format("open bus: %d-byte read at %08Xh hits no memory region", size, at));
            }
            return size == 4 ? -1 : (1 << (8 * size)) - 1;
        }
        return m.region().read((int) (at - m.base()), size);
    }

    /** Writes the low {@code size} bytes of {@code value} at physical {@code address}; open bus drops them. */
    public void write(int address, int size, int value) {
        long at = address & 0xFFFFFFFFL;
        FlatRange r = find(at);
        if (at + size > r.end) {
            writeBytes(address, size, value);
            return;
        }
        MemoryMapping m = r.mapping;
        if (m == null) {
            openBusWrites++;
            if (LOG.isDebugEnabled()) {
                LOG.debug(String.format("open bus: %d-byte write of %Xh at %08Xh hits no memory region, dropped",
                        size, value, at));
            }
            return;
        }
        m.region().write((int) (at - m.base()), size, value);
    }

    /**
     * Writes {@code count} items of {@code size} bytes of {@code value} from physical {@code address} up: in one go
     * when they all land in one region ({@link MemoryRegion#fill}), else as that many {@link #write}s.
     */
    public void fill(int address, int size, int count, int value) {
        long at = address & 0xFFFFFFFFL;
        FlatRange r = find(at);
        MemoryMapping m = r.mapping;
        if (m != null && at + (long) size * count <= r.end) {
            m.region().fill((int) (at - m.base()), size, count, value);
            return;
        }
        for (int k = 0; k < count; k++) {
            write(address + k * size, size, value);
        }
    }

    /**
     * Writes {@code length} bytes of {@code src} from {@code from} at physical {@code address} up: in one go when they
     * all land in one region ({@link MemoryRegion#writeBytes}), else byte by byte through {@link #write}.
     */
    public void writeBytes(int address, byte[] src, int from, int length) {
        long at = address & 0xFFFFFFFFL;
        FlatRange r = find(at);
        MemoryMapping m = r.mapping;
        if (m != null && at + length <= r.end) {
            m.region().writeBytes((int) (at - m.base()), src, from, length);
            return;
        }
        for (int k = 0; k < length; k++) {
            write(address + k, 1, src[from + k]);
        }
    }

    /** Reads that hit no region since the map was made. */
    public long openBusReads() {
        return openBusReads;
    }

    /** Writes that hit no region (and were dropped) since the map was made. */
    public long openBusWrites() {
        return openBusWrites;
    }

    private int readBytes(int address, int size) {
        int value = 0;
        for (int i = 0; i < size; i++) {
            value |= read(address + i, 1) << (8 * i);
        }
        return value;
    }

    private void writeBytes(int address, int size, int value) {
        for (int i = 0; i < size; i++) {
            write(address + i, 1, value >>> (8 * i));
        }
    }

    private FlatRange find(long address) {
        FlatRange r = last;
        if (r.contains(address)) {
            return r;
        }
        FlatRange[] ranges = flat;
        int low = 0;
        int high = ranges.length - 1;
        while (low < high) {
            int mid = (low + high + 1) >>> 1;
            if (ranges[mid].start <= address) {
                low = mid;
            } else {
                high = mid - 1;
            }
        }
        last = ranges[low];
        return last;
    }

    /**
     * Flattens the mappings: between every two consecutive region edges the winner is the covering mapping of the
     * highest priority, the latest of equals; neighbours with the same winner merge. Maps hold a few dozen regions.
     */
    private void rebuild() {
        List<Long> edges = new ArrayList<>();
        edges.add(0L);
        edges.add(SPACE);
        for (MemoryMapping m : mappings) {
            edges.add(m.base());
            edges.add(m.end());
        }
        long[] sorted = edges.stream().mapToLong(Long::longValue).sorted().distinct().toArray();
        List<FlatRange> ranges = new ArrayList<>();
        for (int i = 0; i + 1 < sorted.length; i++) {
            long start = sorted[i];
            MemoryMapping winner = null;
            for (MemoryMapping m : mappings) {
                if (m.base() <= start && start < m.end() && (winner == null || m.priority() >= winner.priority())) {
                    winner = m;
                }
            }
            int n = ranges.size();
            if (n > 0 && ranges.get(n - 1).mapping == winner) {
                ranges.set(n - 1, new FlatRange(ranges.get(n - 1).start, sorted[i + 1], winner));
            } else {
                ranges.add(new FlatRange(start, sorted[i + 1], winner));
            }
        }
        flat = ranges.toArray(new FlatRange[0]);
        last = flat[0];
        changeListener.run();
    }
}
