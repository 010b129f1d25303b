package dev.strata.emulator.device.vga;

import dev.strata.emulator.state.StateClass;
import dev.strata.emulator.state.StateField;
import dev.strata.emulator.state.StateLoadHook;
import dev.strata.emulator.state.StateReader;
import dev.strata.emulator.state.StateFileException;
import dev.strata.emulator.memory.DeviceMemory;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The 16 MiB of linear video memory the DISPI modes draw from, reached through the linear frame buffer (PCI BAR0)
 * and the 64 KiB bank window at A0000h. The bytes are a {@link DeviceMemory}, so the CPU writes the frame buffer as
 * it writes RAM; they are only allocated when something is first written, so a machine that never leaves the
 * standard VGA modes pays nothing for them. Saved state keeps only the part up to the last byte that is not zero,
 * Deflate-compressed.
 */
@StateClass("dev.strata.emulator.device.vga.LinearVideoMemory")
final class LinearVideoMemory implements StateLoadHook {

    static final int SIZE = 16 << 20;
    private static final byte[] NONE = new byte[0];

    private final transient DeviceMemory bytes = new DeviceMemory(SIZE);
    /** The bytes below this offset may be non-zero; the rest are zero. Set while a state is written. */
    @StateField("used") private int used;
    /** Bytes 0..used-1, Deflate-compressed; filled only while a state is written (see {@link #packForSave}). */
    @StateField("deflated") private byte[] deflated = NONE;

    /** The bytes, for the frame buffer's memory region. */
    DeviceMemory deviceMemory() {
        return bytes;
    }

    /** Reads {@code size} (1, 2 or 4) bytes little-endian at {@code offset}, which must lie inside. */
    int read(int offset, int size) {
        return bytes.read(offset, size);
    }

    /** Writes the low {@code size} (1, 2 or 4) bytes of {@code value} at {@code offset}, which must lie inside. */
    void write(int offset, int size, int value) {
        bytes.write(offset, size, value);
    }

    /** Zeroes {@code length} bytes from {@code offset} (a DISPI mode set without the no-clear bit). */
    void clear(int offset, int length) {
        bytes.clear(offset, Math.min(length, SIZE - offset));
    }

    /** The bytes as they are (null when nothing was ever written); for the renderer, which only reads. */
    byte[] bytesOrNull() {
        return bytes.bytesOrNull();
    }

    /** Compresses the written part into the state field; call right before the state is written. */
    void packForSave() {
        used = bytes.usedLength();
        if (used == 0) {
            deflated = NONE;
            return;
        }
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        try {
            deflater.setInput(bytes.bytesOrNull(), 0, used);
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
            if (bytes.bytesOrNull() != null) {
                bytes.clear(0, SIZE);
            }
            deflated = NONE;
            return;
        }
        byte[] b = bytes.bytesToRestore();
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
