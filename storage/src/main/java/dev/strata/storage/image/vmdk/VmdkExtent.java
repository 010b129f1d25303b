package dev.strata.storage.image.vmdk;

import dev.strata.storage.image.BlockState;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;

/**
 * One extent of a VMDK: a run of the disk's sectors kept in a file of its own (or in the descriptor's file). Offsets
 * are bytes from the extent's start; a read or write never crosses one of the image's blocks.
 */
interface VmdkExtent extends Closeable {

    /** The file the extent lives in. */
    Path file();

    /** The extent's length in bytes. */
    long length();

    /** What the extent holds for the block of {@code blockSize} bytes at {@code offset}. */
    BlockState state(long offset);

    void read(long offset, byte[] buf, int bufOffset, int len) throws IOException;

    /**
     * Reads {@code len} bytes at {@code offset} (within one block) and returns {@code len}; where the following blocks
     * lie right after in the file, it may read on over them in the same file read, up to {@code wanted} bytes in all
     * and never past the extent's end, and returns how many it read.
     */
    default int readRun(long offset, byte[] buf, int bufOffset, int len, int wanted) throws IOException {
        read(offset, buf, bufOffset, len);
        return len;
    }

    /** The same for writes: on over following blocks only where the extent already holds them in place. */
    default int writeRun(long offset, byte[] buf, int bufOffset, int len, int wanted, boolean keepZeros)
            throws IOException {
        write(offset, buf, bufOffset, len, keepZeros);
        return len;
    }

    /**
     * Writes {@code len} bytes at {@code offset}; {@code keepZeros} asks a sparse extent to store zeros even where it
     * holds nothing (a differencing image, where nothing means "ask the parent").
     */
    void write(long offset, byte[] buf, int bufOffset, int len, boolean keepZeros) throws IOException;

    /** Bytes the extent's file holds for data. */
    long allocatedBytes();

    void force() throws IOException;
}
