package dev.strata.emulator.memory;

import dev.strata.emulator.state.StateClass;
import dev.strata.emulator.state.StateField;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Physical memory: RAM in one {@code byte[]} read through little-endian {@link VarHandle} views, the A20 gate, and
 * the code-page bitmap that makes writes to decoded code invalidate it. The array starts at
 * {@link #INITIAL_ALLOCATION} and grows when the guest first writes above it (RAM it never wrote reads as zeros):
 * zeroing 32 MiB the guest may never use took a tenth of a second of every start. Accesses that cross a 4 KiB page, fall
 * outside RAM or touch a code page take the slow path (open bus reads all ones, writes are dropped).
 *
 * <p>Code is tracked at two granularities: a page bit keeps writes to pages without code on the fast path, and
 * per page a mask of the 64-byte lines that hold decoded code decides on the slow path whether a write touches
 * code at all. DOS keeps code, data and stacks in the same pages, so only writes to a code line reach the
 * listener, with the exact bytes written; the listener marks again the lines whose code it keeps.
 *
 * <p>A PC maps its legacy region over RAM with {@link #mapLegacyRegion}: a memory-mapped device window at
 * A0000h-BFFFFh (the VGA), open bus at C0000h-DFFFFh and ROM ({@link #loadRom}) ending at 1 MiB, aliased to end at
 * 4 GiB. ROM and open bus live in the RAM array (so ROM code and data read at RAM speed); their pages keep their
 * code-page bit set for good, which sends every write to them to the slow path, where it is dropped or handed to
 * the device. Only reads pay for the map: one subtract-and-shift that keeps the device window off the fast path.
 * Without the map (CPU tests) memory is flat RAM.
 */
@StateClass("dev.strata.emulator.memory.PhysicalMemory")
public final class PhysicalMemory {

    public static final int PAGE_SHIFT = 12;
    /** Code is tracked in lines of 64 bytes, one bit each in a page's {@code long} mask. */
    public static final int LINE_SHIFT = 6;
    /** The legacy region a PC maps over RAM: the device window, option ROM space and the BIOS ROM. */
    public static final int LEGACY_START = 0xA0000;
    public static final int LEGACY_END = 0x100000;
    /** The device window is 128 KiB from {@link #LEGACY_START}; reads test {@code (p - mmioBase) >>> 17}. */
    public static final int WINDOW_SIZE = 0x20000;
    private static final int WINDOW_SHIFT = 17;
    private static final int NO_WINDOW = 0x80000000;
    /** Largest ROM image: 256 KiB, from C0000h to the end of the first megabyte. */
    public static final int MAX_ROM_SIZE = 0x40000;
    /** RAM allocated at power-on (or all of it, when smaller): the first megabyte, its legacy region and the HMA. */
    public static final int INITIAL_ALLOCATION = 0x200000;
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** RAM the guest has written up to; the bytes from its end to {@link #ramSize} are zeros not yet allocated. */
    private transient byte[] ram; // saved page by page in a section of its own
    private final int ramSize;
    // only steers the decoded-block cache, which a restore flushes
    private final transient long[] codePages;
    /** Per RAM page, the 64-byte lines holding decoded code (bit n: bytes 64n to 64n+63 of the page). */
    @StateField("codeLines") private final long[] codeLines;
    /** First byte of the device window, or an address no RAM access can reach while nothing is mapped. */
    @StateField("mmioBase") private int mmioBase = NO_WINDOW;
    private transient MemoryMappedDevice mmio;
    @StateField("legacyMap") private boolean legacyMap;
    @StateField("romSize") private int romSize;
    @StateField("a20Mask") private int a20Mask = -1;
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
        this.ramSize = ramBytes;
        this.codePages = new long[((ramBytes >>> PAGE_SHIFT) + 63) >>> 6];
        this.codeLines = new long[ramBytes >>> PAGE_SHIFT];
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
            codePages[page >>> 6] |= 1L << page;
            codeLines[page] |= lines;
        }
    }

    /** The lines of a page holding decoded code, as marked by {@link #markCodeLines}. */
    public long codeLines(int page) {
        return page >= 0 && page < (ramSize >>> PAGE_SHIFT) ? codeLines[page] : 0;
    }

    /** Forgets every page's code lines (all decoded code was dropped); the legacy region keeps its slow path. */
    public void clearCode() {
        java.util.Arrays.fill(codeLines, 0);
        java.util.Arrays.fill(codePages, 0);
        if (legacyMap) {
            for (int page = LEGACY_START >>> PAGE_SHIFT; page < LEGACY_END >>> PAGE_SHIFT; page++) {
                codePages[page >>> 6] |= 1L << page;
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

    /** True when writes to the page take the slow path: decoded code, or (with the legacy map) A0000h-FFFFFh. */
    public boolean isCode(int page) {
        return page >= 0 && page < (ramSize >>> PAGE_SHIFT) && (codePages[page >>> 6] & (1L << page)) != 0;
    }

    // ---- reads: addresses as the CPU drives them onto the bus; the A20 gate is applied here ----

    public int read8(int linear) {
        int p = linear & a20Mask;
        byte[] ram = this.ram;
        if (Integer.compareUnsigned(p, ram.length) < 0 && (p - mmioBase) >>> WINDOW_SHIFT != 0) {
            return ram[p] & 0xFF;
        }
        return readSlow(p);
    }

    private int readSlow(int p) {
        if (mmio != null && Integer.compareUnsigned(p - mmioBase, WINDOW_SIZE) < 0) {
            return mmio.readMemory(p) & 0xFF;
        }
        if (Integer.compareUnsigned(p, ramSize) < 0) {
            return Integer.compareUnsigned(p, ram.length) < 0 ? ram[p] & 0xFF : 0;
        }
        // the ROM's alias ending at 4 GiB; bit 20 is ignored there so the alias also answers with A20 gated off
        int q = p | LEGACY_END;
        if (romSize != 0 && Integer.compareUnsigned(q, -romSize) >= 0) {
            return ram[LEGACY_END + q] & 0xFF;
        }
        return 0xFF;
    }

    public int read16(int linear) {
        int p = linear & a20Mask;
        byte[] ram = this.ram;
        if ((p & 0xFFF) <= 0xFFE && Integer.compareUnsigned(p, ram.length) < 0 && (p - mmioBase) >>> WINDOW_SHIFT != 0) {
            return (short) SHORT.get(ram, p) & 0xFFFF;
        }
        return read8(linear) | read8(linear + 1) << 8;
    }

    public int read32(int linear) {
        int p = linear & a20Mask;
        byte[] ram = this.ram;
        if ((p & 0xFFF) <= 0xFFC && Integer.compareUnsigned(p, ram.length) < 0 && (p - mmioBase) >>> WINDOW_SHIFT != 0) {
            return (int) INT.get(ram, p);
        }
        return read16(linear) | read16(linear + 2) << 16;
    }

    public long read64(int linear) {
        return (read32(linear) & 0xFFFFFFFFL) | (long) read32(linear + 4) << 32;
    }

    // ---- writes ----

    public void write8(int linear, int value) {
        int p = linear & a20Mask;
        if (Integer.compareUnsigned(p, ram.length) >= 0) {
            if (Integer.compareUnsigned(p, ramSize) >= 0) {
                return; // beyond RAM: dropped
            }
            grow(p); // the first write above the allocation: a RAM address, so it allocates up to it
        }
        if ((codePages[p >>> 18] & (1L << (p >>> PAGE_SHIFT))) != 0) {
            if (legacyMap && Integer.compareUnsigned(p - LEGACY_START, LEGACY_END - LEGACY_START) < 0) {
                writeLegacy(p, value);
                return;
            }
            if ((codeLines[p >>> PAGE_SHIFT] & (1L << (p >>> LINE_SHIFT))) != 0) {
                codeWritten(p, 1);
            }
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
        if ((p & 0xFFF) <= 0xFFE && Integer.compareUnsigned(p, ram.length) < 0 && !inLegacyRegion(p)) {
            // data beside code (DOS stacks and variables share pages with code): test the one or two lines
            if ((codeLines[p >>> PAGE_SHIFT] & (1L << (p >>> LINE_SHIFT) | 1L << ((p + 1) >>> LINE_SHIFT))) != 0) {
                codeWritten(p, 2);
            }
            SHORT.set(ram, p, (short) value);
            return;
        }
        write8(linear, value);
        write8(linear + 1, value >>> 8);
    }

    public void write32(int linear, int value) {
        int p = linear & a20Mask;
        byte[] ram = this.ram;
        if ((p & 0xFFF) <= 0xFFC && Integer.compareUnsigned(p, ram.length) < 0
                && (codePages[p >>> 18] & (1L << (p >>> PAGE_SHIFT))) == 0) {
            INT.set(ram, p, value);
            return;
        }
        if ((p & 0xFFF) <= 0xFFC && Integer.compareUnsigned(p, ram.length) < 0 && !inLegacyRegion(p)) {
            if ((codeLines[p >>> PAGE_SHIFT] & (1L << (p >>> LINE_SHIFT) | 1L << ((p + 3) >>> LINE_SHIFT))) != 0) {
                codeWritten(p, 4);
            }
            INT.set(ram, p, value);
            return;
        }
        write16(linear, value);
        write16(linear + 2, value >>> 16);
    }

    public void write64(int linear, long value) {
        write32(linear, (int) value);
        write32(linear + 4, (int) (value >>> 32));
    }

    /**
     * Copies {@code length} bytes of RAM for a forward string move whose source and destination each stay inside
     * one 4 KiB page. Returns false (and copies nothing) when the caller must move element by element: outside
     * RAM, in the legacy region (VGA window, ROM), or a destination overlapping just above the source (a forward
     * move then replicates bytes).
     */
    public boolean copyForward(int srcAddress, int dstAddress, int length) {
        int src = srcAddress & a20Mask;
        int dst = dstAddress & a20Mask;
        if (Integer.compareUnsigned(src, ram.length - length) > 0 || Integer.compareUnsigned(dst, ram.length - length) > 0
                || (dst > src && dst < src + length) || inLegacyRegion(src) || inLegacyRegion(dst)) {
            return false;
        }
        if ((codePages[dst >>> 18] & (1L << (dst >>> PAGE_SHIFT))) != 0) {
            checkCode(dst, length);
        }
        System.arraycopy(ram, src, ram, dst, length);
        return true;
    }

    /**
     * Stores {@code count} elements of {@code bytes} (1, 2 or 4) holding {@code value} for a forward string store
     * that stays inside one 4 KiB page. Returns false (storing nothing) outside RAM and in the legacy region.
     */
    public boolean fillForward(int address, int count, int value, int bytes) {
        int p = address & a20Mask;
        int length = count * bytes;
        if (Integer.compareUnsigned(p, ram.length - length) > 0 || inLegacyRegion(p)) {
            return false;
        }
        if ((codePages[p >>> 18] & (1L << (p >>> PAGE_SHIFT))) != 0) {
            checkCode(p, length);
        }
        switch (bytes) {
            case 1:
                java.util.Arrays.fill(ram, p, p + length, (byte) value);
                break;
            case 2:
                for (int k = 0; k < length; k += 2) {
                    SHORT.set(ram, p + k, (short) value);
                }
                break;
            default:
                for (int k = 0; k < length; k += 4) {
                    INT.set(ram, p + k, value);
                }
                break;
        }
        return true;
    }

    /**
     * True when {@code p} lies in the mapped legacy region (device window, open bus, ROM), where bulk string runs
     * must go element by element. A run never crosses a page and the region is page-aligned, so its start decides.
     */
    private boolean inLegacyRegion(int p) {
        return legacyMap && Integer.compareUnsigned(p - LEGACY_START, LEGACY_END - LEGACY_START) < 0;
    }

    /** Copies bytes in for loaders and tests (goes through the code-page check, so stale blocks die). */
    public void load(int physical, byte[] data) {
        for (int i = 0; i < data.length; i++) {
            write8(physical + i, data[i]);
        }
    }

    /** Reads eight bytes for the decoder's fetch window without the A20/bounds dance of single reads. */
    public long peek64(int physical) {
        if ((physical & 0xFFF) <= 0xFF8 && Integer.compareUnsigned(physical, ram.length) < 0
                && (physical - mmioBase) >>> WINDOW_SHIFT != 0) {
            return (long) LONG.get(ram, physical);
        }
        return read64(physical);
    }

    /** A write into the legacy region: the device window takes it; ROM and open bus ignore it. */
    private void writeLegacy(int p, int value) {
        if (Integer.compareUnsigned(p - mmioBase, WINDOW_SIZE) < 0) {
            mmio.writeMemory(p, value & 0xFF);
        }
    }

    /**
     * Maps the PC's legacy region over RAM: {@code window} answers A0000h-BFFFFh, C0000h-FFFFFh reads as open bus
     * until {@link #loadRom} puts a ROM there, and writes to C0000h-FFFFFh are ignored. Needs at least 1 MiB of RAM.
     */
    public void mapLegacyRegion(MemoryMappedDevice window) {
        if (ramSize < LEGACY_END) {
            throw new IllegalArgumentException("the PC memory map needs at least 1 MiB of RAM, got " + ramSize + " bytes");
        }
        java.util.Arrays.fill(ram, LEGACY_START + WINDOW_SIZE, LEGACY_END, (byte) 0xFF);
        for (int page = LEGACY_START >>> PAGE_SHIFT; page < LEGACY_END >>> PAGE_SHIFT; page++) {
            codePages[page >>> 6] |= 1L << page;
        }
        this.mmio = window;
        this.mmioBase = LEGACY_START;
        this.legacyMap = true;
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
        int base = LEGACY_END - image.length;
        System.arraycopy(image, 0, ram, base, image.length);
        romSize = image.length;
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
     * Allocates RAM up to at least {@code p} (a RAM address above the allocation): to the next power of two, at
     * least twice the old size, at most all of RAM, so a guest that walks up through memory pays for a handful of
     * copies. Linux fills its memory from the top down and gets all of it at its first write.
     */
    private void grow(int p) {
        long wanted = Math.max(2L * ram.length, Long.highestOneBit(p) << 1);
        ram = java.util.Arrays.copyOf(ram, (int) Math.min(ramSize, wanted));
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
    }

    /** Tells the listener about a write of {@code length} bytes inside one page if it touches a code line. */
    private void checkCode(int p, int length) {
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
        codePages[page >>> 6] &= ~(1L << page);
        codeLines[page] = 0;
        codeListener.codeWritten(physical, length);
    }
}
