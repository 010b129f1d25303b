package dev.strata.storage.image.vmdk;

import dev.strata.storage.StorageException;
import dev.strata.storage.image.BlockState;
import dev.strata.storage.image.ImageBytes;
import dev.strata.storage.image.ImageFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/** A FLAT extent: the sectors one after another in a file, from a start offset on (every block is allocated). */
final class FlatExtent implements VmdkExtent {
    private final Path path;
    private final FileChannel ch;
    private final long start;
    private final long length;

    FlatExtent(Path path, FileChannel ch, long start, long length) {
        this.path = path;
        this.ch = ch;
        this.start = start;
        this.length = length;
    }

    @Override
    public Path file() {
        return path;
    }

    @Override
    public long length() {
        return length;
    }

    @Override
    public BlockState state(long offset) {
        return BlockState.ALLOCATED;
    }

    @Override
    public void read(long offset, byte[] buf, int bufOffset, int len) throws IOException {
        // a flat extent the host file system or a copy left short: its missing end reads as zeros
        ImageBytes.readOrZeros(ch, start + offset, buf, bufOffset, len);
    }

    @Override
    public int readRun(long offset, byte[] buf, int bufOffset, int len, int wanted) throws IOException {
        int n = (int) Math.min(wanted, length - offset);
        read(offset, buf, bufOffset, n);
        return n;
    }

    @Override
    public int writeRun(long offset, byte[] buf, int bufOffset, int len, int wanted, boolean keepZeros)
            throws IOException {
        int n = (int) Math.min(wanted, length - offset);
        write(offset, buf, bufOffset, n, keepZeros);
        return n;
    }

    @Override
    public void write(long offset, byte[] buf, int bufOffset, int len, boolean keepZeros) throws IOException {
        ImageFiles.writeAll(ch, ByteBuffer.wrap(buf, bufOffset, len), start + offset);
    }

    @Override
    public long allocatedBytes() {
        return length;
    }

    @Override
    public void force() throws IOException {
        ch.force(true);
    }

    @Override
    public void close() throws IOException {
        ch.close();
    }

    @Override
    public String toString() {
        return "flat extent " + path;
    }

    static StorageException tooShort(Path descriptor, Path extent, long have, long need) {
        return new StorageException(descriptor, "extent " + extent.getFileName() + " is " + have + " bytes long but "
                + "the descriptor gives it " + need + "; the extent was truncated: restore it from a backup");
    }
}
