package dev.strata.emulator.device.vga;

import dev.strata.emulator.state.StateClass;
import dev.strata.emulator.state.StateField;
import dev.strata.emulator.state.StateLoadHook;
import dev.strata.emulator.state.StateReader;
import dev.strata.emulator.state.StateFileException;
import java.io.ByteArrayOutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The 16 MiB of linear video memory the DISPI modes draw from, reached through the linear frame buffer (PCI BAR0)
 * and the 64 KiB bank window at A0000h. The array is only allocated when something is first written, so a machine
 * that never leaves the standard VGA modes pays nothing for it; saved state keeps only the part ever written,
 * Deflate-compressed.
 */
@StateClass("dev.strata.emulator.device.vga.LinearVideoMemory")
final class LinearVideoMemory implements StateLoadHook {

    static final int SIZE = 16 << 20;
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final byte[] NONE = new byte[0];

    /** Null until the first write: reads see zeros. */
    private transient byte[] bytes;
    /** The bytes below this offset may be non-zero; the rest are zero. */
    @StateField("used") private int used;
    /** Bytes 0..used-1, Deflate-compressed; filled only while a state is written (see {@link #packForSave}). */
    @StateField("deflated") private byte[] deflated = NONE;

    /** Reads {@code size} (1, 2 or 4) bytes little-endian at {@code offset}, which must lie inside. */
    int read(int offset, int size) {
        if (bytes == null || offset >= used) {
            return 0;
        }
        return switch (size) {
            case 1 -> bytes[offset] & 0xFF;
            case 2 -> (short) SHORT.get(bytes, offset) & 0xFFFF;
            default -> (int) INT.get(bytes, offset);
        };
    }

    /** Writes the low {@code size} (1, 2 or 4) bytes of {@code value} at {@code offset}, which must lie inside. */
    void write(int offset, int size, int value) {
        byte[] b = bytes != null ? bytes : allocate();
        switch (size) {
            case 1 -> b[offset] = (byte) value;
            case 2 -> SHORT.set(b, offset, (short) value);
            default -> INT.set(b, offset, value);
        }
        if (offset + size > used) {
            used = offset + size;
        }
    }

    /** Zeroes {@code length} bytes from {@code offset} (a DISPI mode set without the no-clear bit). */
    void clear(int offset, int length) {
        if (bytes != null && offset < used) {
            Arrays.fill(bytes, offset, Math.min(used, offset + length), (byte) 0);
        }
    }

    /** The bytes as they are (null when nothing was ever written); for the renderer, which only reads. */
    byte[] bytesOrNull() {
        return bytes;
    }

    private byte[] allocate() {
        bytes = new byte[SIZE];
        return bytes;
    }

    /** Compresses the written part into the state field; call right before the state is written. */
    void packForSave() {
        if (used == 0) {
            deflated = NONE;
            return;
        }
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        try {
            deflater.setInput(bytes, 0, used);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, used / 16));
            byte[] chunk = new byte[1 << 16];
            while (!deflater.finished()) {
                out.write(chunk, 0, deflater.deflate(chunk));
            }
            deflated = out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    /** Drops the compressed copy once the state is written. */
    void releaseSaved() {
        deflated = NONE;
    }

    @Override
    public void afterLoad(int savedVersion, StateReader r) throws StateFileException {
        if (used < 0 || used > SIZE) {
            throw r.error("vga linear memory: " + used + " bytes used, but it holds " + SIZE);
        }
        if (used == 0) {
            if (bytes != null) {
                Arrays.fill(bytes, (byte) 0);
            }
            deflated = NONE;
            return;
        }
        byte[] b = bytes != null ? bytes : allocate();
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(deflated);
            int n = inflater.inflate(b, 0, used);
            if (n != used || !inflater.finished()) {
                throw r.error("vga linear memory: the compressed image holds " + n + " bytes, not the " + used
                        + " the state says; the file is damaged");
            }
        } catch (DataFormatException e) {
            throw r.error("vga linear memory: the compressed image is damaged: " + e.getMessage());
        } finally {
            inflater.end();
        }
        Arrays.fill(b, used, SIZE, (byte) 0);
        deflated = NONE;
    }
}
