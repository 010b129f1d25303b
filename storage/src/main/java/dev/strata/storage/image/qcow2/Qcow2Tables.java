package dev.strata.storage.image.qcow2;

import dev.strata.storage.StorageException;
import dev.strata.storage.image.ImageFiles;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/** Reading qcow2's big-endian tables, and the check every table pointer in a header passes before it is followed. */
final class Qcow2Tables {
    private Qcow2Tables() {
    }

    /** Reads {@code count} big-endian 64-bit entries at {@code offset}. */
    static long[] readLongs(FileChannel ch, long offset, int count) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(count * 8);
        readFully(ch, b, offset);
        long[] out = new long[count];
        b.flip().asLongBuffer().get(out);
        return out;
    }

    static void readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
        while (b.hasRemaining()) {
            if (ch.read(b, pos + b.position()) < 0) {
                throw new EOFException("end of file at " + (pos + b.position()));
            }
        }
    }

    /**
     * Fails naming the header {@code field} at {@code fieldOffset} unless {@code bytes} bytes at {@code offset} start
     * on a cluster boundary after the header cluster and end inside the file.
     */
    static void requireRegion(Path path, String field, long fieldOffset, long offset, long bytes, int clusterSize,
                              long fileLength) throws StorageException {
        if (offset <= 0 || (offset & (clusterSize - 1)) != 0) {
            throw Qcow2Header.bad(path, field, fieldOffset, ImageFiles.hex(offset), "it must point to a cluster "
                    + "boundary after the header (clusters of " + clusterSize + " bytes)");
        }
        if (bytes < 0 || offset > fileLength - bytes) {
            throw Qcow2Header.bad(path, field, fieldOffset, ImageFiles.hex(offset), "the " + bytes + " bytes there "
                    + "run past the end of the file (" + fileLength + " bytes); the image is truncated");
        }
    }
}
