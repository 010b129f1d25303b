package dev.strata.emulator.state;

import dev.strata.emulator.clock.EventScheduler;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Reads one saved-state section's payload; every error names the file, the section and the file offset. Carries
 * the target machine's scheduler so devices can re-arm their timers.
 */
public final class StateReader {

    private final ByteBuffer buf;
    private final String file;
    private final String section;
    private final long fileOffset;
    private final EventScheduler scheduler;
    private final int version;

    /** The version of a payload this build's own code wrote (a round trip in memory): every field is there. */
    public static final int CURRENT = Integer.MAX_VALUE;

    /** A reader of a payload this build wrote, see {@link #CURRENT}. */
    public StateReader(byte[] payload, String file, String section, long fileOffset, EventScheduler scheduler) {
        this(payload, file, section, fileOffset, scheduler, CURRENT);
    }

    /**
     * @param fileOffset where {@code payload} starts in the file, for messages
     * @param scheduler  where restored events go (null when reading without a machine)
     * @param version    the section's version in the file, which decides the fields it has
     */
    public StateReader(byte[] payload, String file, String section, long fileOffset, EventScheduler scheduler,
            int version) {
        this.buf = ByteBuffer.wrap(payload);
        this.file = file;
        this.section = section;
        this.fileOffset = fileOffset;
        this.scheduler = scheduler;
        this.version = version;
    }

    /** The section's version in the file. */
    public int version() {
        return version;
    }

    public EventScheduler scheduler() {
        return scheduler;
    }

    public String section() {
        return section;
    }

    public boolean readBoolean() throws StateFileException {
        int b = readByte();
        if (b != 0 && b != 1) {
            throw error("a boolean is " + b);
        }
        return b == 1;
    }

    public int readByte() throws StateFileException {
        need(1);
        return buf.get() & 0xFF;
    }

    public int readInt() throws StateFileException {
        need(4);
        return buf.getInt();
    }

    public long readLong() throws StateFileException {
        need(8);
        return buf.getLong();
    }

    public String readString() throws StateFileException {
        byte[] b = readBytes();
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    public byte[] readBytes() throws StateFileException {
        int n = readInt();
        if (n == -1) {
            return null;
        }
        if (n < 0 || n > buf.remaining()) {
            throw error("a length of " + n + " bytes runs past the section's end (" + buf.remaining() + " left)");
        }
        byte[] b = new byte[n];
        buf.get(b);
        return b;
    }

    /** Reads past {@code n} bytes. */
    public void skip(int n) throws StateFileException {
        need(n);
        buf.position(buf.position() + n);
    }

    /** Bytes not yet read. */
    public int remaining() {
        return buf.remaining();
    }

    /** Fails unless the whole payload was consumed (a section longer than its reader expects is foreign). */
    public void expectEnd() throws StateFileException {
        if (buf.hasRemaining()) {
            throw error(buf.remaining() + " unexpected bytes at the end of the section");
        }
    }

    /** An error naming the file, the section and the current file offset. */
    public StateFileException error(String what) {
        return new StateFileException(file + ": section '" + section + "' at offset " + (fileOffset + buf.position())
                + ": " + what + " (the file is corrupt or was saved by an incompatible Strata)");
    }

    private void need(int n) throws StateFileException {
        if (buf.remaining() < n) {
            throw error("needs " + n + " more bytes but the section ends");
        }
    }

}
