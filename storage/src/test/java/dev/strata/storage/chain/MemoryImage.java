package dev.strata.storage.chain;

import dev.strata.storage.StorageException;
import dev.strata.storage.image.BlockState;
import dev.strata.storage.image.DiskImage;
import dev.strata.storage.image.ImageFormat;
import dev.strata.storage.image.ImageVariant;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * An in-memory {@link DiskImage} for chain tests: a block map and a parent UUID. Several handles (read-only or
 * writable) can share one {@link Content}, like several opens of one file; the content counts open handles
 * and changes so tests can check that opening changes nothing and closes what it opened.
 */
final class MemoryImage implements DiskImage {

    /** The "file": what survives closing a handle. */
    static final class Content {
        final long size;
        final int blockSize;
        final Map<Long, byte[]> blocks = new HashMap<>();
        final Set<Long> zeroBlocks = new HashSet<>();
        UUID uuid;
        UUID parentUuid;
        /** What the image's format would record as its parent's file name, or null. */
        String parentHint;
        int openHandles;
        int changes;

        Content(long size, int blockSize, UUID uuid, UUID parentUuid) {
            this.size = size;
            this.blockSize = blockSize;
            this.uuid = uuid;
            this.parentUuid = parentUuid;
        }
    }

    private final Content c;
    private final Path path;
    private final boolean readOnly;
    private boolean closed;

    MemoryImage(Content content, Path path, boolean readOnly) {
        this.c = content;
        this.path = path;
        this.readOnly = readOnly;
        content.openHandles++;
    }

    static MemoryImage create(Path path, long size, int blockSize, UUID parent) {
        return new MemoryImage(new Content(size, blockSize, UUID.randomUUID(), parent), path, false);
    }

    Content content() {
        return c;
    }

    /** Another handle on the same content, as a second open of the file would give. */
    MemoryImage reopen(boolean ro) {
        return new MemoryImage(c, path, ro);
    }

    /** Records block {@code b} as zero, as a discard would. */
    void markZero(long b) {
        c.blocks.remove(b);
        c.zeroBlocks.add(b);
        c.changes++;
    }

    @Override
    public Path path() {
        return path;
    }

    @Override
    public ImageFormat format() {
        return ImageFormat.VDI;
    }

    @Override
    public ImageVariant variant() {
        return c.parentUuid == null ? ImageVariant.STANDARD : ImageVariant.DIFF;
    }

    @Override
    public long size() {
        return c.size;
    }

    @Override
    public int blockSize() {
        return c.blockSize;
    }

    @Override
    public BlockState blockState(long block) {
        if (c.blocks.containsKey(block)) {
            return BlockState.ALLOCATED;
        }
        return c.zeroBlocks.contains(block) ? BlockState.ZERO : BlockState.UNALLOCATED;
    }

    @Override
    public long allocatedBytes() {
        return (long) c.blocks.size() * c.blockSize;
    }

    @Override
    public UUID uuid() {
        return c.uuid;
    }

    @Override
    public UUID parentUuid() {
        return c.parentUuid;
    }

    @Override
    public String parentPathHint() {
        return c.parentHint;
    }

    @Override
    public void setParentUuid(UUID parent) throws IOException {
        checkWritable();
        c.parentUuid = parent;
        c.changes++;
    }

    @Override
    public boolean readOnly() {
        return readOnly;
    }

    @Override
    public void read(long offset, byte[] buf, int bufOffset, int len) throws IOException {
        checkOpen();
        checkRange(offset, len);
        while (len > 0) {
            long b = offset / c.blockSize;
            int in = (int) (offset % c.blockSize);
            int n = Math.min(len, c.blockSize - in);
            byte[] data = c.blocks.get(b);
            if (data == null) {
                Arrays.fill(buf, bufOffset, bufOffset + n, (byte) 0);
            } else {
                System.arraycopy(data, in, buf, bufOffset, n);
            }
            offset += n;
            bufOffset += n;
            len -= n;
        }
    }

    @Override
    public void write(long offset, byte[] buf, int bufOffset, int len) throws IOException {
        checkOpen();
        checkWritable();
        checkRange(offset, len);
        c.changes++;
        while (len > 0) {
            long b = offset / c.blockSize;
            int in = (int) (offset % c.blockSize);
            int n = Math.min(len, c.blockSize - in);
            byte[] data = c.blocks.computeIfAbsent(b, k -> new byte[c.blockSize]);
            c.zeroBlocks.remove(b);
            System.arraycopy(buf, bufOffset, data, in, n);
            offset += n;
            bufOffset += n;
            len -= n;
        }
    }

    @Override
    public void flush() throws IOException {
        checkOpen();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            c.openHandles--;
        }
    }

    private void checkOpen() throws StorageException {
        if (closed) {
            throw new StorageException(path, "closed");
        }
    }

    private void checkWritable() throws StorageException {
        if (readOnly) {
            throw new StorageException(path, "read-only");
        }
    }

    private void checkRange(long offset, int len) throws StorageException {
        if (offset < 0 || len < 0 || offset + len > c.size) {
            throw new StorageException(path, "out of range " + offset + "+" + len);
        }
    }
}
