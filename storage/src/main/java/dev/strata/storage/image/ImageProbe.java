package dev.strata.storage.image;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * What format probes look at, read once for every driver: a file's first bytes, its last 512 (where VHD and DMG
 * keep their footers) and its length.
 *
 * @param head the file's first {@link #HEAD} bytes, or all of a shorter file
 * @param tail the file's last 512 bytes, or null for a file shorter than 1 KiB (no trailer format fits)
 */
public record ImageProbe(Path path, byte[] head, byte[] tail, long length) {

    /** How much of a file's start the probes see: every format Strata knows keeps its signature in it. */
    public static final int HEAD = 512;

    /** Reads the probe of the file open on {@code ch}. */
    static ImageProbe read(Path path, FileChannel ch) throws IOException {
        long length = ch.size();
        byte[] head = readAt(ch, 0, (int) Math.min(HEAD, length));
        byte[] tail = length >= 1024 ? readAt(ch, length - 512, 512) : null;
        return new ImageProbe(path, head, tail, length);
    }

    private static byte[] readAt(FileChannel ch, long pos, int len) throws IOException {
        ByteBuffer bb = ByteBuffer.allocate(len);
        while (bb.hasRemaining()) {
            if (ch.read(bb, pos + bb.position()) < 0) {
                break;
            }
        }
        byte[] b = new byte[bb.position()];
        bb.flip().get(b);
        return b;
    }

    /** True when the file starts with {@code text} (ISO-8859-1, as format signatures are written). */
    public boolean startsWith(String text) {
        return new String(head, StandardCharsets.ISO_8859_1).startsWith(text);
    }
}
