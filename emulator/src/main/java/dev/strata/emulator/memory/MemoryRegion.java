package dev.strata.emulator.memory;

/**
 * A piece of the physical address space that answers accesses: RAM, ROM or a device's registers (MMIO). A region
 * knows its size and which access sizes it takes natively; it does not know where it is mapped ({@link
 * MemoryMapping} says that), so the same region can move or appear twice.
 *
 * <p>Accesses of other sizes are adapted before they reach {@link #read}/{@link #write}: a wider access is split
 * into the largest native size that fits, a narrower or unaligned one is widened to the smallest native size
 * around it (a read keeps the bytes asked for; a write sends zeros in the other bytes rather than reading them
 * back first, because a read-modify-write would clear neighbouring write-one-to-clear bits, as the byte enables of
 * a real bus never would).
 */
public class MemoryRegion {

    /** Access size bits for {@link #accessSizes()}: 1, 2 and 4 bytes. */
    public static final int BYTE = 1;
    public static final int WORD = 2;
    public static final int DWORD = 4;
    public static final int ANY_SIZE = BYTE | WORD | DWORD;

    /** What a region is; the memory fast path reads RAM and ROM straight from an array, MMIO never. */
    public enum Kind {
        RAM, ROM, MMIO
    }

    private final String name;
    private final Kind kind;
    private final long size;
    private final int accessSizes;
    private final MmioHandler handler;
    /** The bytes behind the region when the memory fast path may read and write them directly; null for others. */
    private final DeviceMemory deviceMemory;

    /**
     * A region of {@code size} bytes (1 to 4 GiB) named {@code name} (the device's name, for listings and errors),
     * answering natively the access sizes in {@code accessSizes} ({@link #BYTE}, {@link #WORD}, {@link #DWORD}).
     */
    public MemoryRegion(String name, Kind kind, long size, int accessSizes, MmioHandler handler) {
        this(name, kind, size, accessSizes, handler, null);
    }

    private MemoryRegion(String name, Kind kind, long size, int accessSizes, MmioHandler handler,
            DeviceMemory deviceMemory) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a memory region needs the name of the device it belongs to");
        }
        if (kind == null || handler == null) {
            throw new IllegalArgumentException("memory region '" + name + "' needs a kind and a handler");
        }
        if (size < 1 || size > 1L << 32) {
            throw new IllegalArgumentException("memory region '" + name + "' has size " + size
                    + ": it must be 1 byte to 4 GiB");
        }
        if (accessSizes == 0 || (accessSizes & ~ANY_SIZE) != 0) {
            throw new IllegalArgumentException("memory region '" + name + "' declares access sizes " + accessSizes
                    + ": give a combination of BYTE (1), WORD (2) and DWORD (4)");
        }
        this.name = name;
        this.kind = kind;
        this.size = size;
        this.accessSizes = accessSizes;
        this.handler = handler;
        this.deviceMemory = deviceMemory;
    }

    /** Device registers of {@code size} bytes answering the access sizes {@code accessSizes} natively. */
    public static MemoryRegion mmio(String name, long size, int accessSizes, MmioHandler handler) {
        return new MemoryRegion(name, Kind.MMIO, size, accessSizes, handler);
    }

    /**
     * A device's window onto {@code memory}, all of it: the memory fast path reads and writes the bytes directly
     * (the device sees the writes through {@link DeviceMemory#writeCount()}); the map's own path, for accesses that
     * straddle the region's edge, goes through the same bytes.
     */
    public static MemoryRegion mmio(String name, DeviceMemory memory) {
        return new MemoryRegion(name, Kind.MMIO, memory.size(), ANY_SIZE, new MmioHandler() {
            @Override
            public int read(int offset, int size) {
                return memory.read(offset, size);
            }

            @Override
            public void write(int offset, int size, int value) {
                memory.write(offset, size, value);
            }
        }, memory);
    }

    /** Read-only memory holding {@code image} (the array itself, so host-side patches show); writes are ignored. */
    public static MemoryRegion rom(String name, byte[] image) {
        return new MemoryRegion(name, Kind.ROM, image.length, ANY_SIZE, new MmioHandler() {
            @Override
            public int read(int offset, int size) {
                int value = 0;
                for (int i = 0; i < size; i++) {
                    value |= (image[offset + i] & 0xFF) << (8 * i);
                }
                return value;
            }

            @Override
            public void write(int offset, int size, int value) {
                // ROM: the write cycle ends with nothing stored, as on a real board
            }
        });
    }

    public final String name() {
        return name;
    }

    public final Kind kind() {
        return kind;
    }

    public final long size() {
        return size;
    }

    /** The plain bytes behind this region, which the memory fast path may use directly; null for most regions. */
    public final DeviceMemory deviceMemory() {
        return deviceMemory;
    }

    /** The access sizes the handler takes as they are (a mask of {@link #BYTE}, {@link #WORD}, {@link #DWORD}). */
    public final int accessSizes() {
        return accessSizes;
    }

    /** Reads {@code size} bytes at {@code offset} (inside the region), adapted to the native sizes. */
    public final int read(int offset, int size) {
        if ((accessSizes & size) != 0 && (offset & (size - 1)) == 0) {
            return handler.read(offset, size) & mask(size);
        }
        int wider = widerSize(offset, size);
        if (wider != 0) {
            int at = offset & -wider;
            int shift = 8 * (offset - at);
            return (handler.read(at, wider) >>> shift) & mask(size);
        }
        if (size == 1) {
            return handler.read(offset, 1) & 0xFF; // nothing wider fits at the region's end: the device gets a byte
        }
        int half = splitSize(size);
        return read(offset, half) | read(offset + half, size - half) << (8 * half);
    }

    /** Writes the low {@code size} bytes of {@code value} at {@code offset}, adapted to the native sizes. */
    public final void write(int offset, int size, int value) {
        if ((accessSizes & size) != 0 && (offset & (size - 1)) == 0) {
            handler.write(offset, size, value & mask(size));
            return;
        }
        int wider = widerSize(offset, size);
        if (wider != 0) {
            int at = offset & -wider;
            handler.write(at, wider, (value & mask(size)) << (8 * (offset - at)));
            return;
        }
        if (size == 1) {
            handler.write(offset, 1, value & 0xFF);
            return;
        }
        int half = splitSize(size);
        write(offset, half, value);
        write(offset + half, size - half, value >>> (8 * half));
    }

    /**
     * Writes {@code count} items of {@code size} bytes of {@code value} from {@code offset} up (all inside the
     * region), in the handler's bulk way if it has one ({@link MmioHandler#fill}), else item by item.
     */
    public final void fill(int offset, int size, int count, int value) {
        if (handler.fill(offset, size, count, value & mask(size))) {
            return;
        }
        for (int k = 0; k < count; k++) {
            write(offset + k * size, size, value);
        }
    }

    /**
     * Writes {@code length} bytes of {@code src} from {@code from} at {@code offset} up (all inside the region), in
     * the handler's bulk way if it has one ({@link MmioHandler#writeBytes}), else byte by byte.
     */
    public final void writeBytes(int offset, byte[] src, int from, int length) {
        if (handler.writeBytes(offset, src, from, length)) {
            return;
        }
        for (int k = 0; k < length; k++) {
            write(offset + k, 1, src[from + k]);
        }
    }

    /** The smallest native size whose aligned unit holds the whole access and lies inside the region, or 0. */
    private int widerSize(int offset, int size) {
        for (int wider = size == 1 ? 2 : 4; wider <= 4; wider <<= 1) {
            int at = offset & -wider;
            if ((accessSizes & wider) != 0 && offset + size <= at + wider && at + wider <= this.size) {
                return wider;
            }
        }
        return 0;
    }

    /** How to cut an access no native size covers: bytes for a 2- or 3-byte access, halves for 4. */
    private static int splitSize(int size) {
        return size == 4 ? 2 : 1;
    }

    private static int mask(int size) {
        return size == 4 ? -1 : (1 << (8 * size)) - 1;
    }

    @Override
    public String toString() {
        return kind + " '" + name + "' (" + size + " bytes)";
    }
}
