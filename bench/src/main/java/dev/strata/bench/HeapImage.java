package dev.strata.bench;

import dev.strata.storage.image.BlockState;
import dev.strata.storage.image.DiskImage;
import dev.strata.storage.image.ImageFormat;
import dev.strata.storage.image.ImageVariant;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.UUID;

/**
 * A differencing image held in the Java heap, for measuring what a {@link dev.strata.storage.chain.DiskChain}
 * itself costs per read at different depths without file-system noise.
 */
final class HeapImage implements DiskImage {

    private final Path path;
    private final long size;
    private final int blockSize;
    private final byte[][] blocks;
    private final UUID uuid = UUID.randomUUID();
    private UUID parent;

    HeapImage(String name, long size, int blockSize, UUID parent) {
        this.path = Path.of(name);
        this.size = size;
        this.blockSize = blockSize;
        this.blocks = new byte[(int) ((size + blockSize - 1) / blockSize)][];
        this.parent = parent;
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
        return parent == null ? ImageVariant.STANDARD : ImageVariant.DIFF;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public int blockSize() {
        return blockSize;
    }

    @Override
    public BlockState blockState(long block) {
        return blocks[(int) block] != null ? BlockState.ALLOCATED : BlockState.UNALLOCATED;
    }

    @Override
    public long allocatedBytes() {
        return Arrays.stream(blocks).filter(b -> b != null).count() * blockSize;
    }

    @Override
    public UUID uuid() {
        return uuid;
    }

    @Override
    public UUID parentUuid() {
        return parent;
    }

    @Override
    public void setParentUuid(UUID parent) {
        this.parent = parent;
    }

    @Override
    public boolean readOnly() {
        return false;
    }

    @Override
    public void read(long offset, byte[] buf, int bufOffset, int len) {
        while (len > 0) {
            int b = (int) (offset / blockSize);
            int in = (int) (offset % blockSize);
            int n = Math.min(len, blockSize - in);
            byte[] data = blocks[b];
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
    public void write(long offset, byte[] buf, int bufOffset, int len) {
        while (len > 0) {
            int b = (int) (offset / blockSize);
            int in = (int) (offset % blockSize);
            int n = Math.min(len, blockSize - in);
            if (blocks[b] == null) {
                blocks[b] = new byte[blockSize];
            }
            System.arraycopy(buf, bufOffset, blocks[b], in, n);
            offset += n;
            bufOffset += n;
            len -= n;
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
