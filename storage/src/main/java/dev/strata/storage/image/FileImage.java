package dev.strata.storage.image;

import dev.strata.storage.StorageException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * What every image kept in a file shares, whatever its format: the file and its channel, the read-only and closed
 * states, the checks every read and write makes, and flush and close. A format adds how it maps the disk's bytes.
 */
public abstract class FileImage implements DiskImage {
    protected final Path path;
    /** The main file's channel (a VMDK's descriptor file; its extents keep channels of their own). */
    protected final FileChannel ch;
    protected final boolean readOnly;
    /** Fixed while the image is open: a resize works on the file, not on an open image. */
    protected final long size;
    /** Set by the first write: only then does a flush need to force anything. */
    protected boolean written;
    private boolean closed;

    protected FileImage(Path path, FileChannel ch, boolean readOnly, long size) {
        this.path = path;
        this.ch = ch;
        this.readOnly = readOnly;
        this.size = size;
    }

    @Override
    public final Path path() {
        return path;
    }

    @Override
    public final long size() {
        return size;
    }

    @Override
    public final boolean readOnly() {
        return readOnly;
    }

    /** Fails for a range that is not wholly inside the disk. */
    protected final void checkRange(long offset, int len) throws StorageException {
        if (offset < 0 || len < 0 || offset > size - len) {
            throw new StorageException(path, "access of " + len + " bytes at byte offset " + offset
                    + " is outside the disk (" + size + " bytes)");
        }
    }

    protected final void checkOpen() throws StorageException {
        if (closed) {
            throw new StorageException(path, "the image is closed");
        }
    }

    /** Fails unless the image may be written now; a format that reads what it cannot write adds its refusal. */
    protected void checkWritable() throws StorageException {
        if (readOnly) {
            throw new StorageException(path, "the image is open read-only; writes are refused");
        }
        checkOpen();
    }

    @Override
    public synchronized void flush() throws IOException {
        if (!readOnly && written && !closed) {
            force();
        }
    }

    /** Makes what was written durable: the data, then whatever metadata the format still holds back. */
    protected void force() throws IOException {
        ch.force(true);
    }

    /** Flushes, lets the format finish ({@link #finishWriting}), then releases the files even when that fails. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        try {
            flush();
            finishWriting();
        } finally {
            closed = true;
            release();
        }
    }

    /** What a format writes last, after everything else is on disk (Parallels clears its in-use mark). */
    protected void finishWriting() throws IOException {
    }

    /** Closes the image's files. */
    protected void release() throws IOException {
        ch.close();
    }
}
