package dev.strata.emulator.memory;

import dev.strata.emulator.state.StateClass;
import dev.strata.emulator.state.StateField;
import dev.strata.emulator.state.StateLoadHook;
import dev.strata.emulator.state.StateReader;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Physical memory: RAM in one {@code byte[]} read through little-endian {@link VarHandle} views, the A20 gate, and
 * the code-page bitmap that makes writes to decoded code invalidate it. The array starts at
 * {@link #INITIAL_ALLOCATION} and grows when the guest first writes above it (RAM it never wrote reads as zeros):
 * zeroing 32 MiB the guest may never use took a tenth of a second of every start. Accesses that cross a 4 KiB page, fall
 * outside RAM or touch a code page take the slow path, which asks the {@link MemoryMap} what answers there.
 *
 * <p>Code is tracked at two granularities: a page bit keeps writes to pages without code on the fast path, and
 * per page a mask of the 64-byte lines that hold decoded code decides on the slow path whether a write touches
 * code at all. DOS keeps code, data and stacks in the same pages, so only writes to a code line reach the
 * listener, with the exact bytes written; the listener marks again the lines whose code it keeps.
 *
 * <p>Everything that is not plain RAM is a {@link MemoryRegion} in the {@link #map()}: device registers, ROM, and
 * RAM itself (at {@link MemoryMap#PRIORITY_RAM}). Without more regions (CPU tests) memory is flat RAM. A PC calls
 * {@link #mapLegacyRegion}, which takes A0000h-FFFFFh away from RAM (open bus until a device or ROM is mapped
 * there; the VGA maps its window at A0000h) and {@link #loadRom}, which maps the BIOS ending at 1 MiB and its
 * alias ending at 4 GiB. The fast path follows the map without consulting it: below the end of RAM, ROM and open
 * bus are mirrored in the RAM array (so ROM code and data read at RAM speed), every page where something other
 * than RAM answers keeps its code-page bit set for good (so writes to it go to the slow path and the map), and
 * reads pay one subtract-and-shift that keeps one aligned 128 KiB window of device registers below the end of RAM
 * (the VGA's, A0000h-BFFFFh) off the fast path; device registers that would hide RAM anywhere else are refused.
 * Above RAM, where PCI BARs live (below RAM in priority), every access takes the slow path anyway.
 *
 * <p>Regions backed by a {@link DeviceMemory} (a frame buffer) are device windows like any other, but the slow
 * path reads and writes their bytes itself, through a {@link DirectWindow} over the last one it found, instead of
 * asking the map and a handler per access; string runs ({@link #fillForward}, {@link #copyForward}) fill and copy
 * them as arrays, as they do RAM.
 */
@StateClass("dev.strata.emulator.memory.PhysicalMemory")
public final class PhysicalMemory implements StateLoadHook {

    public static final int PAGE_SHIFT = 12;
    /** Code is tracked in lines of 64 bytes, one bit each in a page's {@code long} mask. */
    public static final int LINE_SHIFT = 6;
    /** The legacy region a PC maps over RAM: the device window, option ROM space and the BIOS ROM. */
    public static final int LEGACY_START = 0xA0000;
    public static final int LEGACY_END = 0x100000;
    /**
     * The read window: the one aligned 128 KiB block below the end of RAM where device registers may hide RAM;
     * reads test {@code (p - mmioBase) >>> 17}. A constant shift keeps the RAM read fast path as short as it can be.
     */
    public static final int WINDOW_SIZE = 0x20000;
    private static final int WINDOW_SHIFT = 17;
    /** With no device registers below the end of RAM, the read window sits where RAM never reaches. */
    private static final int NO_WINDOW = 0x80000000;
    /** Where a PC's BIOS flash is decoded at the top of the address space: the last 2 MiB, bit 20 ignored. */
    public static final long HIGH_ROM_BASE = 0xFFE00000L;
    private static final int HIGH_ROM_SIZE = 0x200000;
    /** Largest ROM image: 256 KiB, from C0000h to the end of the first megabyte. */
    public static final int MAX_ROM_SIZE = 0x40000;
    /** RAM allocated at power-on (or all of it, when smaller): the first megabyte, its legacy region and the HMA. */
    public static final int INITIAL_ALLOCATION = 0x200000;
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** A page of open bus (all ones), copied where the map leaves a hole below the end of RAM. */
    private static final byte[] OPEN_BUS_PAGE = new byte[1 << PAGE_SHIFT];

    static {
        java.util.Arrays.fill(OPEN_BUS_PAGE, (byte) 0xFF);
    }

    /** RAM the guest has written up to; the bytes from its end to {@link #ramSize} are zeros not yet allocated. */
    private transient byte[] ram; // saved page by page in a section of its own
    /** All of RAM, being allocated on a thread of its own ({@link #allocateAllAhead}) for the next growth to take. */
    private transient java.util.concurrent.FutureTask<byte[]> allocationAhead;
    /**
     * The array the read fast paths test and read: {@link #ram}, or an empty one while a {@link ReadWatch} watches
     * a page, so that every read misses them and the slow path tells the watch. A field of its own keeps the fast
     * paths exactly as short as without watches: an unwatched machine pays nothing.
     */
    private transient byte[] readRam;
    private final int ramSize;
    // only steers the decoded-block cache, which a restore flushes
    private final transient long[] codePages;
    /** Per RAM page, the 64-byte lines holding decoded code (bit n: bytes 64n to 64n+63 of the page). */
    @StateField("codeLines") private final long[] codeLines;
    /**
     * First byte of the read window holding every device register below the end of RAM, or an address no RAM
     * access can reach. Derived from the map; saved for older readers.
     */
    @StateField("mmioBase") private int mmioBase = NO_WINDOW;
    /** Per page below the end of RAM, a bit when something other than RAM answers in it (mirrors codePages). */
    private transient long[] mappedPages;
    /**
     * The ranges of ROM and open bus {@link #followMap} last copied into {@link #mirroredIn}: a range the map still
     * has, with the same mapping, in the same array, needs no copy again (nothing but a new mapping or a new array
     * changes those bytes: writes there go to the map). Building a machine changes the map a few times, and copying
     * the whole legacy region each time took a tenth of its start-up (compared by hand, not by the records' equals,
     * whose first call costs the JVM more than a copy).
     */
    private transient java.util.List<MemoryMap.FlatRange> mirrored = java.util.List.of();
    private transient byte[] mirroredIn;
    /** The BIOS ROM below 1 MiB, whose bytes already are the RAM array's at their address: never mirrored. */
    private transient MemoryRegion biosRom;
    private final transient MemoryMap map = new MemoryMap();
    private final transient DirectWindow direct = new DirectWindow(map);
    private final transient java.util.List<MemoryMapping> ramMappings = new java.util.ArrayList<>();
    private final transient java.util.List<MemoryMapping> romMappings = new java.util.ArrayList<>();
    @StateField("legacyMap") private boolean legacyMap;
    @StateField("romSize") private int romSize;
    @StateField("a20Mask") private int a20Mask = -1;
    /** Per page below the end of RAM, a bit when a {@link WriteWatch} watches it; null while none does. */
    private transient long[] watchedPages;
    private transient WriteWatch writeWatch;
    /** Per RAM page, a bit when a {@link ReadWatch} watches reads there; null while none does. */
    private transient long[] readWatchedPages;
    private transient ReadWatch readWatch;
    /** Set while {@link #writeTableEntry} writes, so a {@link WriteWatch} does not hear it. */
    private transient boolean walkerWrites;
    private transient CodeWriteListener codeListener = new CodeWriteListener() {
        @Override
        public void codePageWritten(int page) {
        }
    };

    public PhysicalMemory(int ramBytes) {
        if (ramBytes <= 0 || (ramBytes & 0xFFF) != 0) {
            throw new IllegalArgumentException("RAM size must be a positive multiple of 4096 bytes, got " + ramBytes);
        }
        this.ram = new byte[Math.min(ramBytes, INITIAL_ALLOCATION)];
        this.readRam = ram;
        this.ramSize = ramBytes;
        this.codePages = new long[((ramBytes >>> PAGE_SHIFT) + 63) >>> 6];
        this.codeLines = new long[ramBytes >>> PAGE_SHIFT];
        this.mappedPages = new long[codePages.length];
        map.onChange(this::followMap);
        ramMappings.add(map.add(new MemoryRegion("ram", MemoryRegion.Kind.RAM, ramBytes, MemoryRegion.ANY_SIZE,
                new RamAccess(0)), 0, MemoryMap.PRIORITY_RAM));
    }

    /** The physical address space: RAM, ROM and device regions, and open bus where none answers. */
    public MemoryMap map() {
        return map;
    }

    public int size() {
        return ramSize;
    }

    public void setCodeWriteListener(CodeWriteListener listener) {
        this.codeListener = listener;
    }

    /** Enables or disables the A20 gate; disabled, address bit 20 reads as zero (the 1 MiB wrap of the 8086). */
    public void setA20(boolean enabled) {
        int mask = enabled ? -1 : ~(1 << 20);
        if (mask != a20Mask) {
            a20Mask = mask;
            codeListener.mappingChanged();
        }
    }

    public boolean a20() {
        return a20Mask == -1;
    }

    /**
     * Watches writes to the RAM page {@code page} (or stops watching it): {@code watch} hears each write there.
     * Pages outside RAM are ignored (device registers and ROM are not watched).
     */
    public void watchPage(int page, boolean watched, WriteWatch watch) {
        if (page < 0 || page >= (ramSize >>> PAGE_SHIFT) || (!watched && watchedPages == null)) {
            return;
        }
        if (watchedPages == null) {
            watchedPages = new long[codePages.length];
        }
        writeWatch = watch;
        if (watched) {
            watchedPages[page >>> 6] |= 1L << page;
            codePages[page >>> 6] |= 1L << page;
            codeListener.directAccessRevoked(page);
        } else {
            watchedPages[page >>> 6] &= ~(1L << page);
            if (codeLines[page] == 0 && !isMapped(page << PAGE_SHIFT)) {
                codePages[page >>> 6] &= ~(1L << page);
            }
        }
    }

    /**
     * Watches reads of the RAM page {@code page} (or stops watching it): {@code watch} hears each read there by the
     * guest or a device. While any page is watched every read takes the slow path (the machine runs slower); pages
     * outside RAM are ignored.
     */
    public void watchReads(int page, boolean watched, ReadWatch watch) {
        if (page < 0 || page >= (ramSize >>> PAGE_SHIFT) || (!watched && readWatchedPages == null)) {
            return;
        }
        if (readWatchedPages == null) {
            readWatchedPages = new long[codePages.length];
        }
        readWatch = watch;
        if (watched) {
            readWatchedPages[page >>> 6] |= 1L << page;
        } else {
            readWatchedPages[page >>> 6] &= ~(1L << page);
        }
        boolean any = false;
        for (long bits : readWatchedPages) {
            any |= bits != 0;
        }
        if (!any) {
            readWatchedPages = null;
        }
        ramChanged();
    }

    private boolean isReadWatched(int page) {
        return readWatchedPages != null && (readWatchedPages[page >>> 6] & (1L << page)) != 0;
    }

    /** The RAM array changed, or whether reads are watched: the read fast paths follow. */
    private void ramChanged() {
        readRam = readWatchedPages == null ? ram : new byte[0];
        codeListener.directAccessRevoked(-1);
    }

    private boolean isWatched(int page) {
        return watchedPages != null && (watchedPages[page >>> 6] & (1L << page)) != 0;
    }

    /** On the write slow path: tells the watch of a write to a watched page (not of the page walker's). */
    private void noteWrite(int p, int length) {
        if (watchedPages != null && !walkerWrites && isWatched(p >>> PAGE_SHIFT)) {
            writeWatch.written(p, length);
        }
    }

    /**
     * True when reads of the physical page holding {@code physical} (after the A20 gate) need nothing but
     * {@link #directArray}: allocated RAM, outside the device read window, no read watch. ROM below the end of RAM
     * is mirrored in the array and reads directly too.
     */
    public boolean readsDirectly(int physical) {
        int p = physical & 0xFFFFF000;
        return readRam == ram && Integer.compareUnsigned(p, ram.length) < 0 && (p - mmioBase) >>> WINDOW_SHIFT != 0;
    }

    /**
     * True when writes to the physical page holding {@code physical} (after the A20 gate) need nothing but
     * {@link #directArray}: allocated RAM holding no decoded code, no device or ROM and no write watch. Until
     * {@link CodeWriteListener#directAccessRevoked} says otherwise.
     */
    public boolean writesDirectly(int physical) {
        int p = physical & 0xFFFFF000;
        return Integer.compareUnsigned(p, ram.length) < 0 && (codePages[p >>> 18] & (1L << (p >>> PAGE_SHIFT))) == 0;
    }

    /**
     * The RAM array behind {@link #readsDirectly} and {@link #writesDirectly}, indexed by physical address. It is
     * replaced when RAM grows or is restored ({@link CodeWriteListener#directAccessRevoked} with -1).
     */
    public byte[] directArray() {
        return ram;
    }

    /** Applies the A20 gate to a linear address; paging, when it comes, sits before this step. */
    public int physical(int linear) {
        return linear & a20Mask;
    }

    /** Marks a whole page as holding decoded code: the next write to it calls the listener. */
    public void markCode(int page) {
        markCodeLines(page, -1L);
    }

    /** Adds 64-byte lines ({@link #lineMask}) of a page to those holding decoded code. */
    public void markCodeLines(int page, long lines) {
        if (page >= 0 && page < (ramSize >>> PAGE_SHIFT) && lines != 0) {
            if ((codePages[page >>> 6] & (1L << page)) == 0) {
                codePages[page >>> 6] |= 1L << page;
                codeListener.directAccessRevoked(page);
            }
            codeLines[page] |= lines;
        }
    }

    /** The lines of a page holding decoded code, as marked by {@link #markCodeLines}. */
    public long codeLines(int page) {
        return page >= 0 && page < (ramSize >>> PAGE_SHIFT) ? codeLines[page] : 0;
    }

    /** Forgets every page's code lines (all decoded code was dropped); pages of other regions keep the slow path. */
    public void clearCode() {
        java.util.Arrays.fill(codeLines, 0);
        System.arraycopy(mappedPages, 0, codePages, 0, codePages.length);
        if (watchedPages != null) {
            for (int i = 0; i < codePages.length; i++) {
                codePages[i] |= watchedPages[i];
            }
        }
    }

    /** The mask of the 64-byte lines covering page offsets {@code from} (inclusive) to {@code to} (exclusive). */
    public static long lineMask(int from, int to) {
        if (to <= from) {
            return 0;
        }
        int first = from >>> LINE_SHIFT;
        int last = (to - 1) >>> LINE_SHIFT;
        return (-1L << first) & (-1L >>> (63 - last));
    }

    /** True when writes to the page take the slow path: decoded code, or a region other than RAM answers there. */
    public boolean isCode(int page) {
        return page >= 0 && page < (ramSize >>> PAGE_SHIFT) && (codePages[page >>> 6] & (1L << page)) != 0;
    }

    // ---- reads: addresses as the CPU drives them onto the bus; the A20 gate is applied here ----

    public int read8(int linear) {
        int p = linear & a20Mask;
        byte[] ram = this.readRam;
        if (Integer.compareUnsigned(p, ram.length) < 0 && (p - mmioBase) >>> WINDOW_SHIFT != 0) {
            return ram[p] & 0xFF;
        }
        return readSlow(p, 1);
    }

    /** A read of {@code size} bytes inside one page that missed the fast path: RAM not yet written, or the map. */
    private int readSlow(int p, int size) {
        if (readWatchedPages != null && Integer.compareUnsigned(p, ramSize) < 0 && isReadWatched(p >>> PAGE_SHIFT)) {
            readWatch.read(p, size);
        }
        return readUnheard(p, size);
    }

    /** {@link #readSlow} without telling a {@link ReadWatch}. */
    private int readUnheard(int p, int size) {
        if (Integer.compareUnsigned(p, ramSize) < 0 && !isMapped(p)) {
            return loadRam(p, size);
        }
        DirectWindow d = direct;
        return d.covers(p, size) ? d.read(p, size) : map.read(p, size);
    }

    /** A write of {@code size} bytes inside one page where something other than RAM answers. */
    private void writeMapped(int p, int size, int value) {
        DirectWindow d = direct;
        if (d.covers(p, size)) {
            d.write(p, size, value);
        } else {
            map.write(p, size, value);
        }
    }

    /** A read of 2 or 4 bytes that missed the fast path; one crossing a page is split, each page mapped anew. */
    private int readWide(int linear, int size) {
        int p = linear & a20Mask;
        if ((p & 0xFFF) > 0x1000 - size) {
            return size == 4 ? read16(linear) | read16(linear + 2) << 16 : read8(linear) | read8(linear + 1) << 8;
        }
        return readSlow(p, size);
    }

    public int read16(int linear) {
        int p = linear & a20Mask;
        byte[] ram = this.readRam;
        if ((p & 0xFFF) <= 0xFFE && Integer.compareUnsigned(p, ram.length) < 0 && (p - mmioBase) >>> WINDOW_SHIFT != 0) {
            return (short) SHORT.get(ram, p) & 0xFFFF;
        }
        return readWide(linear, 2);
    }

    public int read32(int linear) {
        int p = linear & a20Mask;
        byte[] ram = this.readRam;
        if ((p & 0xFFF) <= 0xFFC && Integer.compareUnsigned(p, ram.length) < 0 && (p - mmioBase) >>> WINDOW_SHIFT != 0) {
            return (int) INT.get(ram, p);
        }
        return readWide(linear, 4);
    }

    /**
     * A page-directory or page-table entry read by the CPU's page walker: as {@link #read32}, but a
     * {@link ReadWatch} does not hear it. The walker's reads have no linear address, so a hardware data breakpoint
     * never sees them either, and a debugger's read watchpoint on a page table should stop only for instructions.
     */
    public int readTableEntry(int address) {
        int p = address & a20Mask;
        byte[] ram = this.ram; // not readRam, which is empty while reads are watched
        if ((p & 0xFFF) <= 0xFFC && Integer.compareUnsigned(p, ram.length) < 0
                && (p - mmioBase) >>> WINDOW_SHIFT != 0) {
            return (int) INT.get(ram, p);
        }
        return (p & 0xFFF) <= 0xFFC ? readUnheard(p, 4) : read32(address);
    }

    public long read64(int linear) {
        return (read32(linear) & 0xFFFFFFFFL) | (long) read32(linear + 4) << 32;
    }

    // ---- writes ----

    public void write8(int linear, int value) {
        int p = linear & a20Mask;
        if (Integer.compareUnsigned(p, ram.length) >= 0) {
            if (Integer.compareUnsigned(p, ramSize) >= 0) {
                writeMapped(p, 1, value); // beyond RAM: a device's registers, or open bus
                return;
            }
            grow(p); // the first write above the allocation: a RAM address, so it allocates up to it
        }
        if ((codePages[p >>> 18] & (1L << (p >>> PAGE_SHIFT))) != 0) {
            if ((mappedPages[p >>> 18] & (1L << (p >>> PAGE_SHIFT))) != 0) {
                writeMapped(p, 1, value);
                return;
            }
            if ((codeLines[p >>> PAGE_SHIFT] & (1L << (p >>> LINE_SHIFT))) != 0) {
                codeWritten(p, 1);
            }
            noteWrite(p, 1);
        }
        ram[p] = (byte) value;
    }

    public void write16(int linear, int value) {
        int p = linear & a20Mask;
        byte[] ram = this.ram;
        if ((p & 0xFFF) <= 0xFFE && Integer.compareUnsigned(p, ram.length) < 0
                && (codePages[p >>> 18] & (1L << (p >>> PAGE_SHIFT))) == 0) {
            SHORT.set(ram, p, (short) value);
            return;
        }
        if ((p & 0xFFF) <= 0xFFE && Integer.compareUnsigned(p, ram.length) < 0 && !isMapped(p)) {
            // data beside code (DOS stacks and variables share pages with code): test the one or two lines
            if ((codeLines[p >>> PAGE_SHIFT] & (1L << (p >>> LINE_SHIFT) | 1L << ((p + 1) >>> LINE_SHIFT))) != 0) {
                codeWritten(p, 2);
            }
            noteWrite(p, 2);
            SHORT.set(ram, p, (short) value);
            return;
        }
        writeWide(linear, 2, value);
    }

    public void write32(int linear, int value) {
        int p = linear & a20Mask;
        byte[] ram = this.ram;
        if ((p & 0xFFF) <= 0xFFC && Integer.compareUnsigned(p, ram.length) < 0
                && (codePages[p >>> 18] & (1L << (p >>> PAGE_SHIFT))) == 0) {
            INT.set(ram, p, value);
            return;
        }
        if ((p & 0xFFF) <= 0xFFC && Integer.compareUnsigned(p, ram.length) < 0 && !isMapped(p)) {
            if ((codeLines[p >>> PAGE_SHIFT] & (1L << (p >>> LINE_SHIFT) | 1L << ((p + 3) >>> LINE_SHIFT))) != 0) {
                codeWritten(p, 4);
            }
            noteWrite(p, 4);
            INT.set(ram, p, value);
            return;
        }
        writeWide(linear, 4, value);
    }

    /**
     * The page walker setting an entry's accessed or dirty bit: as {@link #write32} (decoded code there is still
     * dropped), but a {@link WriteWatch} does not hear it, as {@link #readTableEntry} is not heard.
     */
    public void writeTableEntry(int address, int value) {
        walkerWrites = true;
        try {
            write32(address, value);
        } finally {
            walkerWrites = false;
        }
    }

    /**
     * A write of 2 or 4 bytes that missed the fast path. One crossing a page is split, each page mapped anew; a
     * region gets the access whole (a device register sees one 4-byte write, not four bytes); RAM not yet
     * allocated goes byte by byte through {@link #write8}, which allocates it.
     */
    private void writeWide(int linear, int size, int value) {
        int p = linear & a20Mask;
        if ((p & 0xFFF) <= 0x1000 - size && (Integer.compareUnsigned(p, ramSize) >= 0 || isMapped(p))) {
            writeMapped(p, size, value);
        } else if (size == 4) {
            write16(linear, value);
            write16(linear + 2, value >>> 16);
        } else {
            write8(linear, value);
            write8(linear + 1, value >>> 8);
        }
    }

    /**
     * Writes {@code count} items of {@code size} bytes (1, 2 or 4) of {@code value} from {@code linear} up, as that
     * many writes in turn would: firmware clearing video memory. Where the items all land in one device's region
     * the device may take them in one go ({@link MmioHandler#fill}); anywhere else (RAM, ROM, a span across regions
     * or the A20 wrap) they are written one by one.
     */
    public void fill(int linear, int size, int count, int value) {
        int p = linear & a20Mask;
        long bytes = (long) size * count;
        long last = (p & 0xFFFFFFFFL) + bytes - 1;
        if (count > 0 && last <= 0xFFFFFFFFL && ((int) last & a20Mask) == (int) last && mappedThroughout(p, (int) last)) {
            map.fill(p, size, count, value);
            return;
        }
        for (int k = 0; k < count; k++) {
            int at = linear + k * size;
            switch (size) {
                case 1 -> write8(at, value);
                case 2 -> write16(at, value);
                default -> write32(at, value);
            }
        }
    }

    /** True when every page from physical {@code first} to {@code last} is outside RAM or mapped over it. */
    private boolean mappedThroughout(int first, int last) {
        for (long page = (first & 0xFFFFFFFFL) >>> PAGE_SHIFT; page <= (last & 0xFFFFFFFFL) >>> PAGE_SHIFT; page++) {
            int p = (int) (page << PAGE_SHIFT);
            if (Integer.compareUnsigned(p, ramSize) < 0 && !isMapped(p)) {
                return false;
            }
        }
        return true;
    }

    public void write64(int linear, long value) {
        write32(linear, (int) value);
        write32(linear + 4, (int) (value >>> 32));
    }

    /**
     * Copies {@code length} bytes of RAM for a forward string move whose source and destination each stay inside
     * one 4 KiB page. Returns false (and copies nothing) when the caller must move element by element: outside
     * RAM and {@link DeviceMemory}, in a page of another region (VGA window, ROM), or a destination overlapping just
     * above the source (a forward move then replicates bytes).
     */
    public boolean copyForward(int srcAddress, int dstAddress, int length) {
        int src = srcAddress & a20Mask;
        int dst = dstAddress & a20Mask;
        if (isReadWatched(src >>> PAGE_SHIFT)) {
            return false; // a read watch hears every element
        }
        boolean srcInRam = Integer.compareUnsigned(src, ram.length - length) <= 0 && !isMapped(src);
        boolean dstInRam = Integer.compareUnsigned(dst, ram.length - length) <= 0 && !isMapped(dst);
        if (!srcInRam || !dstInRam) {
            return copyWithDeviceMemory(src, srcInRam, dst, dstInRam, length);
        }
        if (dst > src && dst < src + length) {
            return false;
        }
        if ((codePages[dst >>> 18] & (1L << (dst >>> PAGE_SHIFT))) != 0) {
            checkCode(dst, length);
        }
        System.arraycopy(ram, src, ram, dst, length);
        return true;
    }

    /**
     * {@link #copyForward} where the source or the destination (or both) is not RAM: one array copy when each side
     * is RAM or {@link DeviceMemory} (a blit to or within a frame buffer), false for anything else.
     */
    private boolean copyWithDeviceMemory(int src, boolean srcInRam, int dst, boolean dstInRam, int length) {
        byte[] from;
        int fromOffset;
        if (srcInRam) {
            from = ram;
            fromOffset = src;
        } else if (direct.covers(src, length) && direct.memory().bytesOrNull() != null) {
            from = direct.memory().bytesOrNull();
            fromOffset = direct.offsetOf(src);
        } else {
            return false; // device registers, or device memory never written: element by element
        }
        if (dstInRam) {
            if (from == ram && dst > src && dst < src + length) {
                return false;
            }
            if ((codePages[dst >>> 18] & (1L << (dst >>> PAGE_SHIFT))) != 0) {
                checkCode(dst, length);
            }
            System.arraycopy(from, fromOffset, ram, dst, length);
            return true;
        }
        if (!direct.covers(dst, length)) {
            return false;
        }
        DeviceMemory to = direct.memory();
        int toOffset = direct.offsetOf(dst);
        byte[] into = to.bytesForWriting();
        if (from == into && toOffset > fromOffset && toOffset < fromOffset + length) {
            return false;
        }
        System.arraycopy(from, fromOffset, into, toOffset, length);
        to.written();
        return true;
    }

    /**
     * Stores {@code count} elements of {@code bytes} (1, 2 or 4) holding {@code value} for a forward string store
     * that stays inside one 4 KiB page. Returns false (storing nothing) outside RAM and {@link DeviceMemory}, and in
     * pages of other regions.
     */
    public boolean fillForward(int address, int count, int value, int bytes) {
        int p = address & a20Mask;
        int length = count * bytes;
        if (Integer.compareUnsigned(p, ram.length - length) > 0 || isMapped(p)) {
            if (!direct.covers(p, length)) {
                return false;
            }
            direct.memory().fill(direct.offsetOf(p), length, value, bytes);
            return true;
        }
        if ((codePages[p >>> 18] & (1L << (p >>> PAGE_SHIFT))) != 0) {
            checkCode(p, length);
        }
        ByteFill.fill(ram, p, length, value, bytes);
        return true;
    }

    /**
     * True when {@code p} (below the end of RAM) lies in a page where a region other than RAM answers (device
     * window, open bus, ROM), so writes and bulk string runs there go through the map.
     */
    private boolean isMapped(int p) {
        return (mappedPages[p >>> 18] & (1L << (p >>> PAGE_SHIFT))) != 0;
    }

    // ---- a bus master's transfers ----

    /**
     * Copies {@code length} bytes at {@code physical} into {@code dst[offset..]} as a bus master (a disk
     * controller's DMA) reads them: each stretch of RAM inside a page in one array copy, RAM never written as zeros.
     * A page where a device region answers, or that a read watch hears, goes byte by byte through {@link #read8}.
     */
    public void readBlock(int physical, byte[] dst, int offset, int length) {
        java.util.Objects.checkFromIndexSize(offset, length, dst.length);
        while (length > 0) {
            int p = physical & a20Mask;
            int n = Math.min(length, (1 << PAGE_SHIFT) - (p & 0xFFF));
            if (isPlainRam(p, n) && !isReadWatched(p >>> PAGE_SHIFT)) {
                int present = Math.max(0, Math.min(n, ram.length - p));
                System.arraycopy(ram, p, dst, offset, present);
                java.util.Arrays.fill(dst, offset + present, offset + n, (byte) 0);
            } else {
                for (int i = 0; i < n; i++) {
                    dst[offset + i] = (byte) read8(physical + i);
                }
            }
            physical += n;
            offset += n;
            length -= n;
        }
    }

    /**
     * Copies {@code src[offset..offset+length)} to {@code physical} as a bus master writes it: each stretch of RAM
     * inside a page in one array copy, after the same code-page check a CPU write gets (decoded code there dies,
     * write watches hear it). A page where a device region answers goes to the memory map, whose region may take the
     * bytes in one go ({@link MmioHandler#writeBytes}).
     */
    public void writeBlock(int physical, byte[] src, int offset, int length) {
        java.util.Objects.checkFromIndexSize(offset, length, src.length);
        while (length > 0) {
            int p = physical & a20Mask;
            int n = Math.min(length, (1 << PAGE_SHIFT) - (p & 0xFFF));
            if (isPlainRam(p, n)) {
                if (p + n > ram.length) {
                    grow(p + n - 1);
                }
                if ((codePages[p >>> 18] & (1L << (p >>> PAGE_SHIFT))) != 0) {
                    checkCode(p, n);
                }
                System.arraycopy(src, offset, ram, p, n);
            } else if (mappedThroughout(p, p + n - 1)) {
                map.writeBytes(p, src, offset, n); // a device's memory: it may take the bytes in one go
            } else {
                for (int i = 0; i < n; i++) {
                    write8(physical + i, src[offset + i]);
                }
            }
            physical += n;
            offset += n;
            length -= n;
        }
    }

    /** True when {@code n} bytes from {@code p} (inside one page) are RAM that no other region covers. */
    private boolean isPlainRam(int p, int n) {
        return Integer.compareUnsigned(p, ramSize - n) <= 0 && !isMapped(p);
    }

    /**
     * Copies bytes in for loaders and tests, as {@link #writeBlock} does (the code-page check included, so stale
     * blocks die): a page at a time, which for a Linux kernel and its initrd is milliseconds where byte by byte
     * was a tenth of a second of start-up.
     */
    public void load(int physical, byte[] data) {
        writeBlock(physical, data, 0, data.length);
    }

    /** Reads eight bytes for the decoder's fetch window without the A20/bounds dance of single reads. */
    public long peek64(int physical) {
        if ((physical & 0xFFF) <= 0xFF8 && Integer.compareUnsigned(physical, ram.length) < 0
                && (physical - mmioBase) >>> WINDOW_SHIFT != 0) {
            return (long) LONG.get(ram, physical);
        }
        return read64(physical);
    }

    /**
     * Takes the PC's legacy region A0000h-FFFFFh away from RAM: it is open bus (reads all ones, writes dropped) until
     * a device maps a window there (the VGA at A0000h) or {@link #loadRom} puts a ROM at its top. Needs at least
     * 1 MiB of RAM.
     */
    public void mapLegacyRegion() {
        if (ramSize < LEGACY_END) {
            throw new IllegalArgumentException("the PC memory map needs at least 1 MiB of RAM, got " + ramSize + " bytes");
        }
        if (legacyMap) {
            return;
        }
        legacyMap = true;
        // the two halves go in before the whole goes out, so RAM never turns into open bus (whose all-ones the
        // array would mirror) on the way
        MemoryMapping whole = ramMappings.remove(0);
        ramMappings.add(map.add(new MemoryRegion("ram.low", MemoryRegion.Kind.RAM, LEGACY_START,
                MemoryRegion.ANY_SIZE, new RamAccess(0)), 0, MemoryMap.PRIORITY_RAM));
        if (ramSize > LEGACY_END) {
            ramMappings.add(map.add(new MemoryRegion("ram.high", MemoryRegion.Kind.RAM, ramSize - LEGACY_END,
                    MemoryRegion.ANY_SIZE, new RamAccess(LEGACY_END)), LEGACY_END, MemoryMap.PRIORITY_RAM));
        }
        map.remove(whole);
    }

    /**
     * Puts a ROM image (a multiple of 4 KiB, at most 256 KiB) at the end of the first megabyte, where the CPU starts,
     * and its alias at the end of the 4 GiB address space. Decoded code from those pages is dropped.
     */
    public void loadRom(byte[] image) {
        if (!legacyMap) {
            throw new IllegalStateException("map the legacy region before loading a ROM");
        }
        if (image.length == 0 || image.length > MAX_ROM_SIZE || (image.length & 0xFFF) != 0) {
            throw new IllegalArgumentException("a ROM image must be a multiple of 4 KiB up to 256 KiB, got "
                    + image.length + " bytes");
        }
        for (MemoryMapping m : romMappings) {
            map.remove(m);
        }
        romMappings.clear();
        int base = LEGACY_END - image.length;
        System.arraycopy(image, 0, ram, base, image.length);
        romSize = image.length;
        // the ROM's bytes live in the RAM array at their own address, the copy the fast path reads
        biosRom = new MemoryRegion("bios.rom", MemoryRegion.Kind.ROM, image.length, MemoryRegion.ANY_SIZE,
                new RomAccess(base, image.length));
        romMappings.add(map.add(biosRom, base, MemoryMap.PRIORITY_OVERLAY));
        romMappings.add(map.add(new MemoryRegion("bios.rom.high", MemoryRegion.Kind.ROM, HIGH_ROM_SIZE,
                MemoryRegion.ANY_SIZE, new HighRomAccess()), HIGH_ROM_BASE, MemoryMap.PRIORITY_OVERLAY));
        for (int page = base >>> PAGE_SHIFT; page < LEGACY_END >>> PAGE_SHIFT; page++) {
            codeListener.codePageWritten(page);
        }
    }

    /**
     * Changes ROM bytes from the host side, for firmware that fills tables into its ROM at power-on (the guest
     * itself can never write there). {@code physical} is the address below 1 MiB; the alias changes with it.
     */
    public void patchRom(int physical, byte[] bytes) {
        int base = LEGACY_END - romSize;
        if (romSize == 0 || physical < base || physical + bytes.length > LEGACY_END) {
            throw new IllegalArgumentException(String.format("ROM patch at %05Xh (%d bytes) lies outside the ROM"
                    + " at %05Xh-FFFFFh", physical, bytes.length, base));
        }
        System.arraycopy(bytes, 0, ram, physical, bytes.length);
        for (int page = physical >>> PAGE_SHIFT; page <= (physical + bytes.length - 1) >>> PAGE_SHIFT; page++) {
            codeListener.codePageWritten(page);
        }
    }

    /** Size of the loaded ROM in bytes, 0 when none. */
    public int romSize() {
        return romSize;
    }

    /**
     * Starts allocating all of RAM on a thread of its own, for the first write above the allocation to take instead
     * of growing: for a guest known to fill its memory soon, such as a Linux kernel booted directly (its loader puts
     * the initrd at the top of RAM, and the kernel's early allocator works down from there). A new array costs its
     * first touch of every page, which on a virtual host is far dearer than the zeroing (about 0.35 s for 128 MiB
     * here, against 10 ms for an array whose pages the JVM has touched before), and Linux's loader paid it twice
     * on the CPU thread (32 MiB for the kernel, then all of it for the initrd) while the JIT compilers' thread had
     * little to do. Nothing changes what the guest sees: the array is zeros until the growth copies RAM into it.
     */
    public void allocateAllAhead() {
        if (ram.length == ramSize || allocationAhead != null) {
            return;
        }
        int size = ramSize;
        allocationAhead = new java.util.concurrent.FutureTask<>(() -> new byte[size]);
        Thread thread = new Thread(allocationAhead, "strata-ram-allocation");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Allocates RAM up to at least {@code p} (a RAM address above the allocation): to the next power of two, at
     * least twice the old size, at most all of RAM, so a guest that walks up through memory pays for a handful of
     * copies; or all of it, when {@link #allocateAllAhead} has it (or nearly) ready.
     */
    private void grow(int p) {
        byte[] ahead = takeAllocationAhead();
        if (ahead != null) {
            System.arraycopy(ram, 0, ahead, 0, ram.length);
            ram = ahead;
        } else {
            long wanted = Math.max(2L * ram.length, Long.highestOneBit(p) << 1);
            ram = java.util.Arrays.copyOf(ram, (int) Math.min(ramSize, wanted));
        }
        ramChanged();
        followMap(); // regions over the newly allocated part need their mirror
    }

    /**
     * The array {@link #allocateAllAhead} started, once its thread is done with it (waiting for it, uninterruptibly:
     * allocating here instead would only touch the same pages twice), or null when there is none or it failed
     * (out of memory: {@link #grow} then tries its own smaller step).
     */
    private byte[] takeAllocationAhead() {
        java.util.concurrent.FutureTask<byte[]> task = allocationAhead;
        if (task == null) {
            return null;
        }
        allocationAhead = null;
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return task.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (java.util.concurrent.ExecutionException e) {
                    return null;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * An array of all of RAM, zeros, for a RAM image to be built in before {@link #replaceRam}: the one
     * {@link #allocateAllAhead} started when there is one (a machine that boots a kernel and then restores a saved
     * state would otherwise allocate all of RAM twice), else a new one.
     */
    public byte[] zeroedRamArray() {
        byte[] ahead = takeAllocationAhead();
        return ahead != null ? ahead : new byte[ramSize];
    }

    /** How much RAM is allocated: the guest has written nothing at or above it. */
    public int allocatedRam() {
        return ram.length;
    }

    /** Copies {@code length} bytes of RAM from {@code physical} into {@code into}; RAM never written reads as zeros. */
    public void copyRam(int physical, byte[] into, int offset, int length) {
        java.util.Objects.checkFromIndexSize(physical, length, ramSize);
        int present = Math.max(0, Math.min(length, ram.length - physical));
        if (present > 0) {
            System.arraycopy(ram, physical, into, offset, present);
        }
        java.util.Arrays.fill(into, offset + present, offset + length, (byte) 0);
    }

    /**
     * Replaces all of RAM with {@code image} (exactly {@link #size()} bytes, which this memory keeps), as a saved
     * state restores it. Decoded code is the caller's to drop.
     */
    public void replaceRam(byte[] image) {
        if (image.length != ramSize) {
            throw new IllegalArgumentException("a RAM image of " + image.length + " bytes for " + ramSize
                    + " bytes of RAM");
        }
        ram = image;
        allocationAhead = null; // RAM is whole: the array being allocated is garbage once its thread is done
        ramChanged();
        followMap();
    }

    @Override
    public void afterLoad(int savedVersion, StateReader r) {
        mirroredIn = null;
        followMap(); // the read window, mapped pages and mirrors derive from the map, not from the file
    }

    /**
     * Brings the fast path in line with the map, below the end of RAM: marks the pages where a region other than
     * RAM answers (their writes go to the map), mirrors ROM and open bus into the RAM array (their reads stay
     * fast), and places the read window over the device registers there. A page that RAM alone answers again keeps
     * whatever the array holds.
     */
    private void followMap() {
        direct.forget();
        long[] mapped = new long[codePages.length];
        long windowStart = -1;
        long windowEnd = -1;
        java.util.List<MemoryMap.FlatRange> mirrors = new java.util.ArrayList<>();
        for (MemoryMap.FlatRange range : map.flatRanges()) {
            if (range.start() >= ramSize) {
                break;
            }
            MemoryMapping m = range.mapping();
            if (m != null && m.region().kind() == MemoryRegion.Kind.RAM) {
                continue;
            }
            long end = Math.min(range.end(), ramSize);
            for (long page = range.start() >>> PAGE_SHIFT; page <= (end - 1) >>> PAGE_SHIFT; page++) {
                mapped[(int) (page >>> 6)] |= 1L << page;
            }
            if (m == null || m.region().kind() == MemoryRegion.Kind.ROM) {
                MemoryMap.FlatRange below = new MemoryMap.FlatRange(range.start(), end, m);
                if (mirroredIn != ram || !mirroredBefore(below)) {
                    mirror(range.start(), end, m);
                }
                mirrors.add(below);
            } else {
                windowStart = windowStart < 0 ? range.start() : windowStart;
                windowEnd = end;
            }
        }
        for (int i = 0; i < codePages.length; i++) {
            long released = mappedPages[i] & ~mapped[i];
            for (long bits = released; bits != 0; bits &= bits - 1) {
                int page = i * 64 + Long.numberOfTrailingZeros(bits);
                if (codeLines[page] == 0 && !isWatched(page)) {
                    codePages[i] &= ~(1L << page);
                }
            }
            codePages[i] |= mapped[i];
        }
        mappedPages = mapped;
        mirrored = mirrors;
        mirroredIn = ram;
        codeListener.directAccessRevoked(-1);
        if (windowStart < 0) {
            mmioBase = NO_WINDOW;
        } else if (windowStart >>> WINDOW_SHIFT == (windowEnd - 1) >>> WINDOW_SHIFT) {
            mmioBase = (int) windowStart & -WINDOW_SIZE;
        } else {
            throw new IllegalArgumentException(String.format("device registers hide RAM at %08Xh-%08Xh: below the"
                    + " end of RAM they must fit one aligned 128 KiB block (as the VGA's A0000h-BFFFFh does), or the"
                    + " RAM read fast path could not keep them off it; map the region below RAM's priority or above"
                    + " RAM", windowStart, windowEnd - 1));
        }
    }

    /** True when the last {@link #followMap} mirrored exactly {@code range}, from the same mapping. */
    private boolean mirroredBefore(MemoryMap.FlatRange range) {
        for (MemoryMap.FlatRange r : mirrored) {
            if (r.start() == range.start() && r.end() == range.end() && r.mapping() == range.mapping()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Copies what ROM (or open bus, all ones) answers at {@code start..end-1} into the allocated RAM array, a dword
     * at a time (reading ROM has no side effects, whatever the size).
     */
    private void mirror(long start, long end, MemoryMapping m) {
        int last = (int) Math.min(end, ram.length);
        int a = (int) Math.min(start, last);
        if (m == null) {
            // page by page from a page of ones: Arrays.fill over the 160 KiB of holes ran in the JVM's interpreter
            // and then drew a C2 compile of its own (45 ms of the compiler's thread) as the guest started
            for (int p = a; p < last; p += OPEN_BUS_PAGE.length) {
                System.arraycopy(OPEN_BUS_PAGE, 0, ram, p, Math.min(OPEN_BUS_PAGE.length, last - p));
            }
            return;
        }
        MemoryRegion rom = m.region();
        if (rom == biosRom) {
            return; // copying it onto itself, 4 bytes a call in the JVM's interpreter, cost 5 ms of each start
        }
        for (; a + 4 <= last; a += 4) {
            int v = rom.read((int) (a - m.base()), 4);
            ram[a] = (byte) v;
            ram[a + 1] = (byte) (v >>> 8);
            ram[a + 2] = (byte) (v >>> 16);
            ram[a + 3] = (byte) (v >>> 24);
        }
        for (; a < last; a++) {
            ram[a] = (byte) rom.read((int) (a - m.base()), 1);
        }
    }

    /** RAM as a region, for accesses the fast path hands to the map (pages RAM shares with a device). */
    private final class RamAccess implements MmioHandler {
        private final int base;

        RamAccess(int base) {
            this.base = base;
        }

        @Override
        public int read(int offset, int size) {
            return loadRam(base + offset, size);
        }

        @Override
        public void write(int offset, int size, int value) {
            int p = base + offset;
            if (Integer.compareUnsigned(p + size - 1, ram.length) >= 0) {
                grow(p + size - 1);
            }
            if ((codePages[p >>> 18] & (1L << (p >>> PAGE_SHIFT))) != 0) {
                checkCode(p, size);
            }
            for (int i = 0; i < size; i++) {
                ram[p + i] = (byte) (value >>> (8 * i));
            }
        }
    }

    /** The BIOS ROM below 1 MiB: its bytes are in the RAM array at their own address. */
    private final class RomAccess implements MmioHandler {
        private final int base;
        private final int length;

        RomAccess(int base, int length) {
            this.base = base;
            this.length = length;
        }

        @Override
        public int read(int offset, int size) {
            return offset + size <= length ? loadRam(base + offset, size) : -1;
        }

        @Override
        public void write(int offset, int size, int value) {
            // ROM: dropped
        }
    }

    /**
     * The BIOS flash decoded at the top 2 MiB of the address space with address bit 20 ignored, so the ROM ends at
     * 4 GiB and also answers at its reset vector while A20 is gated off.
     */
    private final class HighRomAccess implements MmioHandler {
        @Override
        public int read(int offset, int size) {
            int value = 0;
            for (int i = 0; i < size; i++) {
                int folded = (offset + i) | LEGACY_END;
                int fromRomStart = folded - (HIGH_ROM_SIZE - romSize);
                int b = fromRomStart >= 0 ? ram[LEGACY_END - romSize + fromRomStart] & 0xFF : 0xFF;
                value |= b << (8 * i);
            }
            return value;
        }

        @Override
        public void write(int offset, int size, int value) {
            // ROM: dropped
        }
    }

    /** {@code size} bytes of RAM at {@code p} (inside one page); RAM never written reads as zeros. */
    private int loadRam(int p, int size) {
        if (Integer.compareUnsigned(p, ram.length - size) > 0) {
            return 0;
        }
        return size == 1 ? ram[p] & 0xFF : size == 2 ? (short) SHORT.get(ram, p) & 0xFFFF : (int) INT.get(ram, p);
    }

    /** Tells the listener about a write of {@code length} bytes inside one page if it touches a code line. */
    private void checkCode(int p, int length) {
        noteWrite(p, length);
        int offset = p & 0xFFF;
        if ((codeLines[p >>> PAGE_SHIFT] & lineMask(offset, offset + length)) != 0) {
            codeWritten(p, length);
        }
    }

    /**
     * A write to a code line: the page forgets its code lines and the listener marks again those whose code it
     * keeps, so a page whose code all died goes back to the fast path.
     */
    private void codeWritten(int physical, int length) {
        int page = physical >>> PAGE_SHIFT;
        if (!isWatched(page)) {
            codePages[page >>> 6] &= ~(1L << page);
        }
        codeLines[page] = 0;
        codeListener.codeWritten(physical, length);
    }
}
