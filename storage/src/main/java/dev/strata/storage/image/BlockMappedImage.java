package dev.strata.storage.image;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * An image that maps its disk block by block (VDI blocks, VHD blocks, Parallels and qcow2 clusters, VMDK grains):
 * reads and writes are split at block boundaries here, and the format serves one block at a time.
 */
public abstract class BlockMappedImage extends FileImage {
    protected final int blockSize;
    protected final int blockShift;
    protected final int blockMask;

    protected BlockMappedImage(Path path, FileChannel ch, boolean readOnly, long size, int blockSize) {
        super(path, ch, readOnly, size);
        this.blockSize = blockSize;
        this.blockShift = Integer.numberOfTrailingZeros(blockSize);
        this.blockMask = blockSize - 1;
    }

    @Override
    public final int blockSize() {
        return blockSize;
    }

    /** Fails for a block number outside the disk, as {@link #blockState} promises. */
    protected final void checkBlock(long block) {
        if (block < 0 || block >= blockCount()) {
            throw new IndexOutOfBoundsException("block " + block + " of " + blockCount());
        }
    }

    @Override
    public void read(long offset, byte[] buf, int bufOffset, int len) throws IOException {
        checkRange(offset, len);
        checkOpen();
        while (len > 0) {
            int inBlock = (int) (offset & blockMask);
            int n = readBlock(offset >>> blockShift, inBlock, buf, bufOffset, Math.min(len, blockSize - inBlock), len);
            offset += n;
            bufOffset += n;
            len -= n;
        }
    }

    /**
     * Reads {@code n} bytes of block {@code block} from {@code inBlock} (they end at the block's end or sooner) and
     * returns {@code n}; a format whose following blocks lie right after this one in the file may serve them in the
     * same file read, up to {@code wanted} bytes in all, and returns how many it read.
     */
    protected abstract int readBlock(long block, int inBlock, byte[] buf, int off, int n, int wanted)
            throws IOException;

    @Override
    public synchronized void write(long offset, byte[] buf, int bufOffset, int len) throws IOException {
        checkWritable();
        checkRange(offset, len);
        if (len == 0) {
            return;
        }
        written = true;
        beforeWrite();
        while (len > 0) {
            int inBlock = (int) (offset & blockMask);
            int n = writeBlock(offset >>> blockShift, inBlock, buf, bufOffset, Math.min(len, blockSize - inBlock), len);
            offset += n;
            bufOffset += n;
            len -= n;
        }
        afterWrite();
    }

    /** Writes {@code n} bytes into block {@code block} from {@code inBlock}, allocating the block if it needs to. */
    protected abstract void writeBlock(long block, int inBlock, byte[] buf, int off, int n) throws IOException;

    /**
     * Writes {@code n} bytes into block {@code block} from {@code inBlock} (they end at the block's end or sooner) and
     * returns {@code n}; a format whose following blocks it already holds right after this one in the file may write
     * them in the same file write, up to {@code wanted} bytes in all, and returns how many it wrote.
     */
    protected int writeBlock(long block, int inBlock, byte[] buf, int off, int n, int wanted) throws IOException {
        writeBlock(block, inBlock, buf, off, n);
        return n;
    }

    /** What a format records before the first byte of a write lands (a new content ID, cleared feature bits). */
    protected void beforeWrite() throws IOException {
    }

    /** What a format does once a write's blocks are all written (commit metadata gathered on the way). */
    protected void afterWrite() throws IOException {
    }
}
