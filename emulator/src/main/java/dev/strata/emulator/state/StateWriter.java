package dev.strata.emulator.state;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;

/** Big-endian typed writer for one saved-state section's payload (kept in memory until the section is complete). */
public final class StateWriter {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final DataOutputStream out = new DataOutputStream(bytes);
    /** Where the classes written are collected for the schema listing, or null. */
    private Set<Class<?>> classes;

    /** Collects into {@code into} every state class this writer is given from now on. */
    StateWriter recordClasses(Set<Class<?>> into) {
        this.classes = into;
        return this;
    }

    void noteClass(Class<?> c) {
        if (classes != null) {
            classes.add(c);
        }
    }

    public StateWriter writeBoolean(boolean v) {
        return run(() -> out.writeBoolean(v));
    }

    public StateWriter writeByte(int v) {
        return run(() -> out.writeByte(v));
    }

    public StateWriter writeInt(int v) {
        return run(() -> out.writeInt(v));
    }

    public StateWriter writeLong(long v) {
        return run(() -> out.writeLong(v));
    }

    /** A string of any length, UTF-8 with a 32-bit length (null allowed). */
    public StateWriter writeString(String v) {
        if (v == null) {
            return writeInt(-1);
        }
        byte[] b = v.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        writeInt(b.length);
        return writeRaw(b);
    }

    /** A byte array with its length (null allowed). */
    public StateWriter writeBytes(byte[] v) {
        if (v == null) {
            return writeInt(-1);
        }
        writeInt(v.length);
        return writeRaw(v);
    }

    StateWriter writeRaw(byte[] b) {
        return run(() -> out.write(b));
    }

    /** Bytes written so far. */
    public int size() {
        return bytes.size();
    }

    /** The bytes written so far. */
    public byte[] toByteArray() {
        return bytes.toByteArray();
    }

    private interface Io {
        void run() throws IOException;
    }

    private StateWriter run(Io io) {
        try {
            io.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream never throws
        }
        return this;
    }
}
