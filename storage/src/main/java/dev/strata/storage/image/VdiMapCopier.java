package dev.strata.storage.image;

import static dev.strata.storage.image.VdiLayout.*;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Gives a larger block map to a VDI whose map fills its room while every data block index is in use (a fixed image,
 * or a fully written one, as qemu-img lays them out with the data right after the map): no block can move aside in
 * place, so a copy of the file is written with the data start further on and renamed over the original. The disk,
 * UUIDs and block indexes stay; blocks that read as zeros stay holes. Until the rename the original is untouched, so
 * an interruption leaves it and a hidden {@code .NAME.strata-resizing} file that the next attempt removes.
 */
final class VdiMapCopier {
    /** What the copy's name ends with while it is written. */
    static final String SUFFIX = ".strata-resizing";

    private VdiMapCopier() {
    }

    /** Rewrites {@code path} (open as {@code ch}, inspected as {@code in}) with room for {@code blocks} entries. */
    static void copyWithRoom(Path path, FileChannel ch, VdiInspector.Inspection in, long blocks) throws IOException {
        VdiHeader h = in.header;
        long stride = h.blockSize() + h.blockExtra();
        long offData = (h.offBlocks() + 4 * blocks + DATA_ALIGN - 1) / DATA_ALIGN * DATA_ALIGN;
        Path tmp = path.resolveSibling("." + path.getFileName() + SUFFIX);
        Files.deleteIfExists(tmp);
        boolean done = false;
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            // everything before the data (pre-header, header, map) as it is, then the header's data start
            ByteBuffer head = ByteBuffer.allocate((int) h.offData());
            VdiInspector.readFully(ch, head, 0);
            VdiHeader.putI32(head.array(), OFF_DATA, (int) offData);
            head.clear();
            ImageFiles.writeAll(out, head, 0);
            ByteBuffer block = ByteBuffer.allocate((int) stride);
            for (long i = 0; i < in.nextIndex; i++) {
                block.clear();
                VdiInspector.readFully(ch, block, h.offData() + i * stride);
                if (!ImageBytes.allZero(block.array(), 0, (int) stride)) {
                    block.flip();
                    ImageFiles.writeAll(out, block, offData + i * stride);
                }
            }
            long end = offData + in.nextIndex * stride;
            if (out.size() < end) {
                ImageFiles.writeAll(out, ByteBuffer.allocate(1), end - 1);
            }
            out.force(true);
            Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            done = true;
        } finally {
            if (!done) {
                Files.deleteIfExists(tmp);
            }
        }
        try (FileChannel dir = FileChannel.open(path.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // folders cannot be forced on every OS; the rename is then as durable as it gets
        }
    }
}
