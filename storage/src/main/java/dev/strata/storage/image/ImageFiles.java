package dev.strata.storage.image;

import dev.strata.storage.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** File access every driver shares: opening an image file with errors that name it, and writing a buffer whole. */
public final class ImageFiles {
    private ImageFiles() {
    }

    /** Opens {@code path} for reading, and for writing unless {@code readOnly}. */
    public static FileChannel open(Path path, boolean readOnly) throws IOException {
        try {
            return readOnly ? FileChannel.open(path, StandardOpenOption.READ)
                    : FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (NoSuchFileException e) {
            throw new StorageException(path, "no such file; check the path");
        } catch (AccessDeniedException e) {
            throw new StorageException(path, "permission denied" + (readOnly ? "" : " for writing; open it read-only or fix its permissions"));
        }
    }

    /** {@code v} in hexadecimal as errors show offsets, e.g. 0x1F000. */
    public static String hex(long v) {
        return VdiLayout.hex(v);
    }

    /** Writes all of {@code bb} at {@code pos}. */
    public static void writeAll(FileChannel ch, ByteBuffer bb, long pos) throws IOException {
        while (bb.hasRemaining()) {
            pos += ch.write(bb, pos);
        }
    }
}
