package dev.strata.emulator.memory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Memory a device owns as plain bytes that the CPU reads and writes as it does RAM (video memory behind a frame
 * buffer BAR), as QEMU's RAM-backed memory regions. Mapped through {@link MemoryRegion#mmio(String, DeviceMemory)},
 * it sits in the map like any device window, but {@link PhysicalMemory} reads and writes its array straight away
 * instead of calling a handler per access.
 *
 * <p>The device learns of writes through {@link #writeCount()}, a counter every write moves (one increment, so the
 * fast path stays short), not through a call. The array is only allocated at the first write: until then every
 * byte reads as zero, and a device that is never used costs nothing.
 */
public final class DeviceMemory {

    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final int size;
    /** Null until the first write. */
    private byte[] bytes;
    /** Moves at every write (wraps; compare for equality). A plain int: only the CPU thread writes it. */
    private int writes;

    /** {@code size} bytes (at least 4 KiB, a multiple of 4 KiB, as a memory BAR's window). */
    public DeviceMemory(int size) {
        if (size < 0x1000 || (size & 0xFFF) != 0) {
            throw new IllegalArgumentException("device memory of " + size + " bytes: give a multiple of 4 KiB");
        }
        this.size = size;
    }

    public int size() {
        return size;
    }

    /** The bytes as they are, or null while nothing was ever written (all zeros); for readers such as a renderer. */
    public byte[] bytesOrNull() {
        return bytes;
    }

    /** The bytes, allocated now if nothing was written yet: for whoever is about to write them. */
    byte[] bytesForWriting() {
        byte[] b = bytes;
        return b != null ? b : (bytes = new byte[size]);
    }

    /** A number that moves at every write, by the CPU or the device; it wraps, so compare for equality only. */
    public int writeCount() {
        return writes;
    }

    /** Counts a write made straight into the array (by {@link PhysicalMemory}). */
    void written() {
        writes++;
    }

    /** Reads {@code size} (1, 2 or 4) bytes little-endian at {@code offset}, which must lie inside. */
    public int read(int offset, int size) {
        byte[] b = bytes;
        if (b == null) {
            return 0;
        }
        return size == 1 ? b[offset] & 0xFF
                : size == 2 ? (short) SHORT.get(b, offset) & 0xFFFF : (int) INT.get(b, offset);
    }

    /** Writes the low {@code size} (1, 2 or 4) bytes of {@code value} at {@code offset}, which must lie inside. */
    public void write(int offset, int size, int value) {
        byte[] b = bytesForWriting();
        switch (size) {
            case 1 -> b[offset] = (byte) value;
            case 2 -> SHORT.set(b, offset, (short) value);
            default -> INT.set(b, offset, value);
        }
        writes++;
    }

    /**
     * Fills {@code length} bytes from {@code offset} with elements of {@code bytes} (1, 2 or 4) holding {@code value}.
     */
    void fill(int offset, int length, int value, int bytes) {
        byte[] b = bytesForWriting();
        ByteFill.fill(b, offset, length, value, bytes);
        writes++;
    }

    /** Zeroes {@code length} bytes from {@code offset}. */
    public void clear(int offset, int length) {
        if (bytes != null) {
            Arrays.fill(bytes, offset, offset + length, (byte) 0);
            writes++;
        }
    }

    /** One more than the offset of the last byte that is not zero; 0 when all are. */
    public int usedLength() {
        byte[] b = bytes;
        if (b == null) {
            return 0;
        }
        int end = size;
        while (end >= 8 && (long) LONG.get(b, end - 8) == 0) {
            end -= 8;
        }
        while (end > 0 && b[end - 1] == 0) {
            end--;
        }
        return end;
    }

    /** The bytes to fill from a saved image: the array, allocated, with the device's writes counted as one. */
    public byte[] bytesToRestore() {
        writes++;
        return bytesForWriting();
    }
}
