package dev.strata.emulator.memory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Physical memory: RAM in one {@code byte[]} read through little-endian {@link VarHandle} views, the A20 gate, and
 * the code-page bitmap that makes writes to decoded code invalidate it. Accesses that cross a 4 KiB page, fall
 * outside RAM or touch a code page take the slow path (bytewise; open bus reads all ones, writes are dropped).
 */
public final class PhysicalMemory {

    public static final int PAGE_SHIFT = 12;
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final byte[] ram;
    private final int ramSize;
    private final long[] codePages;
    private int a20Mask = -1;
    private CodeWriteListener codeListener = new CodeWriteListener() {
        @Override
        public void codePageWritten(int page) {
        }
    };

    public PhysicalMemory(int ramBytes) {
        if (ramBytes <= 0 || (ramBytes & 0xFFF) != 0) {
            throw new IllegalArgumentException("RAM size must be a positive multiple of 4096 bytes, got " + ramBytes);
        }
        this.ram = new byte[ramBytes];
        this.ramSize = ramBytes;
        this.codePages = new long[((ramBytes >>> PAGE_SHIFT) + 63) >>> 6];
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

    /** Marks a page as holding decoded code: the next write to it calls the listener. */
    public void markCode(int page) {
        if (page >= 0 && page < (ramSize >>> PAGE_SHIFT)) {
            codePages[page >>> 6] |= 1L << page;
        }
    }

    public boolean isCode(int page) {
        return page >= 0 && page < (ramSize >>> PAGE_SHIFT) && (codePages[page >>> 6] & (1L << page)) != 0;
    }

    // ---- reads: addresses as the CPU drives them onto the bus; the A20 gate is applied here ----

    public int read8(int linear) {
        int p = linear & a20Mask;
        if (Integer.compareUnsigned(p, ramSize) < 0) {
            return ram[p] & 0xFF;
        }
        return 0xFF;
    }

    public int read16(int linear) {
        int p = linear & a20Mask;
        if ((p & 0xFFF) <= 0xFFE && Integer.compareUnsigned(p, ramSize) < 0) {
            return (short) SHORT.get(ram, p) & 0xFFFF;
        }
        return read8(linear) | read8(linear + 1) << 8;
    }

    public int read32(int linear) {
        int p = linear & a20Mask;
        if ((p & 0xFFF) <= 0xFFC && Integer.compareUnsigned(p, ramSize) < 0) {
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
        if (Integer.compareUnsigned(p, ramSize) < 0) {
            if ((codePages[p >>> 18] & (1L << (p >>> PAGE_SHIFT))) != 0) {
                codeWritten(p);
            }
            ram[p] = (byte) value;
        }
    }

    public void write16(int linear, int value) {
        int p = linear & a20Mask;
        if ((p & 0xFFF) <= 0xFFE && Integer.compareUnsigned(p, ramSize) < 0
                && (codePages[p >>> 18] & (1L << (p >>> PAGE_SHIFT))) == 0) {
            SHORT.set(ram, p, (short) value);
            return;
        }
        write8(linear, value);
        write8(linear + 1, value >>> 8);
    }

    public void write32(int linear, int value) {
        int p = linear & a20Mask;
        if ((p & 0xFFF) <= 0xFFC && Integer.compareUnsigned(p, ramSize) < 0
                && (codePages[p >>> 18] & (1L << (p >>> PAGE_SHIFT))) == 0) {
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
     * RAM, or a destination overlapping just above the source (a forward move then replicates bytes).
     */
    public boolean copyForward(int srcAddress, int dstAddress, int length) {
        int src = srcAddress & a20Mask;
        int dst = dstAddress & a20Mask;
        if (Integer.compareUnsigned(src, ramSize - length) > 0 || Integer.compareUnsigned(dst, ramSize - length) > 0
                || (dst > src && dst < src + length)) {
            return false;
        }
        if ((codePages[dst >>> 18] & (1L << (dst >>> PAGE_SHIFT))) != 0) {
            codeWritten(dst);
        }
        System.arraycopy(ram, src, ram, dst, length);
        return true;
    }

    /**
     * Stores {@code count} elements of {@code bytes} (1, 2 or 4) holding {@code value} for a forward string store
     * that stays inside one 4 KiB page. Returns false (storing nothing) outside RAM.
     */
    public boolean fillForward(int address, int count, int value, int bytes) {
        int p = address & a20Mask;
        int length = count * bytes;
        if (Integer.compareUnsigned(p, ramSize - length) > 0) {
            return false;
        }
        if ((codePages[p >>> 18] & (1L << (p >>> PAGE_SHIFT))) != 0) {
            codeWritten(p);
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

    /** Copies bytes in for loaders and tests (goes through the code-page check, so stale blocks die). */
    public void load(int physical, byte[] data) {
        for (int i = 0; i < data.length; i++) {
            write8(physical + i, data[i]);
        }
    }

    /** Reads eight bytes for the decoder's fetch window without the A20/bounds dance of single reads. */
    public long peek64(int physical) {
        if ((physical & 0xFFF) <= 0xFF8 && Integer.compareUnsigned(physical, ramSize) < 0) {
            return (long) LONG.get(ram, physical);
        }
        return read64(physical);
    }

    private void codeWritten(int physical) {
        int page = physical >>> PAGE_SHIFT;
        codePages[page >>> 6] &= ~(1L << page);
        codeListener.codePageWritten(page);
    }
}
