package dev.strata.storage.image;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;

/** Byte-level helpers every driver needs: whether a buffer is all zeros, and reads of files that may end early. */
public final class ImageBytes {
    /** Compared against in chunks: {@link Arrays#mismatch} is vectorised, a byte loop is not. */
    private static final byte[] ZEROS = new byte[64 * 1024];

    private ImageBytes() {
    }

    /** True when {@code len} bytes of {@code buf} from {@code off} are all zero. */
    public static boolean allZero(byte[] buf, int off, int len) {
        while (len > 0) {
            int n = Math.min(len, ZEROS.length);
            if (Arrays.mismatch(buf, off, off + n, ZEROS, 0, n) >= 0) {
                return false;
            }
            off += n;
            len -= n;
        }
        return true;
    }

    /**
     * Reads {@code len} bytes at file offset {@code pos}; what lies past the end of the file reads as zeros (a last
     * block stored short, a flat file cut by a copy), as QEMU and VirtualBox read it.
     */
    public static void readOrZeros(FileChannel ch, long pos, byte[] buf, int off, int len) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(buf, off, len);
        while (bb.hasRemaining()) {
            if (ch.read(bb, pos + (bb.position() - off)) < 0) {
                Arrays.fill(buf, bb.position(), off + len, (byte) 0);
                return;
            }
        }
    }
}
