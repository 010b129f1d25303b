package dev.strata.storage.image;

import static dev.strata.storage.image.VdiLayout.*;

import dev.strata.storage.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Grows a VDI as VirtualBox's modifymedium --resize does: new block map entries after the old ones, then the header's
 * disk size and block count. A fixed image gets its new blocks allocated (a sparse end of the file) first. A map that
 * outgrows the room before the data moves first ({@link VdiMapMover}), the disk unchanged, or, when every block index
 * is in use so nothing can move aside, the file is rewritten with more room ({@link VdiMapCopier}).
 */
final class VdiResizer {
    private VdiResizer() {
    }

    static void grow(Path path, long newSize) throws IOException {
        if (!growInPlace(path, newSize) && !growInPlace(path, newSize)) {
            throw new IllegalStateException(path + ": the block map still has no room after the copy");
        }
    }

    /**
     * Grows the image unless its map must move and cannot in place; then gives it room through a copy
     * ({@link VdiMapCopier}) and returns false, the disk unchanged, for the caller to grow the copy.
     */
    private static boolean growInPlace(Path path, long newSize) throws IOException {
        try (FileChannel ch = ImageFiles.open(path, false)) {
            VdiInspector.Inspection in = VdiInspector.inspect(ch);
            ImageFinding err = in.firstError();
            if (err != null) {
                throw ImageFinding.openRefusal(path, err, in.errorCount());
            }
            VdiHeader h = in.header;
            long bs = h.blockSize();
            long stride = bs + h.blockExtra();
            long oldBlocks = h.blockCount(); // entries are written from here on, over any that making room added
            long newBlocks = Math.max(oldBlocks, (newSize + bs - 1) / bs);
            if (newBlocks > MAX_BLOCKS) {
                throw new StorageException(path, "a VDI holds at most " + MAX_BLOCKS + " blocks of " + bs
                        + " bytes (" + MAX_BLOCKS * bs + " bytes); " + newSize + " bytes need " + newBlocks);
            }
            long room = (h.offData() - h.offBlocks()) / 4;
            if (newBlocks > room) {
                if (!VdiMapMover.makeRoom(path, ch, in, newBlocks)) {
                    VdiMapCopier.copyWithRoom(path, ch, in, newBlocks);
                    return false;
                }
                in = VdiInspector.inspect(ch);
                err = in.firstError();
                if (err != null) {
                    throw ImageFinding.openRefusal(path, err, in.errorCount());
                }
                h = in.header;
            }
            zeroTail(ch, in, stride);
            boolean fixed = h.variant() == ImageVariant.FIXED;
            long next = in.nextIndex;
            if (fixed) {
                // the new blocks' data first: a sparse end of the file, which reads as zeros
                long end = h.offData() + (next + newBlocks - oldBlocks) * stride;
                ImageFiles.writeAll(ch, ByteBuffer.allocate(1), end - 1);
                ch.force(false);
            }
            ByteBuffer entries = ByteBuffer.allocate((int) (4 * (newBlocks - oldBlocks)))
                    .order(ByteOrder.LITTLE_ENDIAN);
            for (long b = oldBlocks; b < newBlocks; b++) {
                entries.putInt(fixed ? (int) next++ : BLOCK_FREE);
            }
            entries.flip();
            ImageFiles.writeAll(ch, entries, h.offBlocks() + 4 * oldBlocks);
            ch.force(false);
            // the header last: until it is written the disk is the old one and the new entries lie unused
            byte[] header = in.firstSector;
            VdiHeader.putI64(header, DISK_SIZE, newSize);
            VdiHeader.putI32(header, BLOCK_COUNT, (int) newBlocks);
            VdiHeader.putI32(header, BLOCKS_ALLOCATED, (int) next);
            ImageFiles.writeAll(ch, ByteBuffer.wrap(header, 0, (int) Math.min(SECTOR, h.offBlocks())), 0);
            ch.force(false);
        }
        return true;
    }

    /** The bytes past the old end in a last block that is only partly the disk must read as zeros once they are. */
    private static void zeroTail(FileChannel ch, VdiInspector.Inspection in, long stride) throws IOException {
        VdiHeader h = in.header;
        long used = h.diskSize() % h.blockSize();
        if (used == 0) {
            return;
        }
        int e = in.map[(int) (h.diskSize() / h.blockSize())];
        if (e == BLOCK_FREE || e == BLOCK_ZERO) {
            return;
        }
        long data = h.offData() + (e & 0xFFFFFFFFL) * stride + h.blockExtra();
        ImageFiles.writeAll(ch, ByteBuffer.allocate((int) (h.blockSize() - used)), data + used);
        ch.force(false);
    }
}
