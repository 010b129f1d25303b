package dev.strata.storage.image;

import static dev.strata.storage.image.VdiLayout.*;

import dev.strata.storage.Progress;
import dev.strata.storage.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Compacts a VDI as VirtualBox's modifymedium --compact does: blocks holding only zeros leave the block map, the
 * blocks at the end of the file move down into the holes, and the file is cut after the last block.
 *
 * <p>Crash safety: every step leaves a valid image showing the same disk. A zero block's entry becomes free (zero in
 * a differencing image, where free would show the parent); a moved block's data is copied into a slot no entry points
 * to and forced before its entry is rewritten; the block count, then the cut, come last. An interruption leaves
 * unused slots or bytes past the last block at worst, which the next compact (or check --repair) gives back.
 */
final class VdiCompactor {
    /** Blocks copied before their entries are rewritten together: one force covers them all. */
    private static final int BATCH = 64;

    private final FileChannel ch;
    private final VdiHeader h;
    private final int[] map;
    private final long stride;
    private final byte[] block;

    private VdiCompactor(FileChannel ch, VdiInspector.Inspection in) {
        this.ch = ch;
        this.h = in.header;
        this.map = in.map;
        this.stride = h.blockSize() + h.blockExtra();
        this.block = new byte[(int) h.blockSize()];
    }

    /** Compacts the VDI in {@code path}; returns how many bytes the file shrank by. */
    static long compact(Path path, Progress progress) throws IOException {
        try (FileChannel ch = ImageFiles.open(path, false)) {
            VdiInspector.Inspection in = VdiInspector.inspect(ch);
            ImageFinding err = in.firstError();
            if (err != null) {
                throw ImageFinding.openRefusal(path, err, in.errorCount());
            }
            if (in.header.variant() == ImageVariant.FIXED) {
                throw new StorageException(path, "is a fixed-size VDI: every block is allocated by design, so there is "
                        + "nothing to compact (VirtualBox compacts only dynamic images); clone it with --variant "
                        + "Standard to get a dynamic copy");
            }
            long before = in.fileLength;
            new VdiCompactor(ch, in).run(in, progress);
            return before - ch.size();
        }
    }

    private void run(VdiInspector.Inspection in, Progress progress) throws IOException {
        long total = map.length * 2L;
        dropZeroBlocks(progress, total);
        // owner[slot] is the block whose data lies in data slot 'slot', or -1
        int[] owner = new int[(int) Math.max(in.nextIndex, 0)];
        Arrays.fill(owner, -1);
        for (int b = 0; b < map.length; b++) {
            if (allocated(map[b])) {
                owner[map[b]] = b;
            }
        }
        int free = 0;
        int last = owner.length - 1;
        long moved = 0;
        long[] pending = new long[BATCH];
        int n = 0;
        while (true) {
            while (free < owner.length && owner[free] >= 0) {
                free++;
            }
            while (last >= 0 && owner[last] < 0) {
                last--;
            }
            if (free >= last) {
                break;
            }
            int b = owner[last];
            copy(last, free);
            owner[free] = b;
            owner[last] = -1;
            pending[n++] = ((long) b << 32) | free;
            if (n == BATCH) {
                repoint(pending, n);
                n = 0;
            }
            progress.update(map.length + Math.min(++moved, map.length - 1), total);
        }
        repoint(pending, n);
        long used = last + 1L;
        byte[] header = in.firstSector;
        VdiHeader.putI32(header, BLOCKS_ALLOCATED, (int) used);
        ImageFiles.writeAll(ch, ByteBuffer.wrap(header, 0, (int) Math.min(SECTOR, h.offBlocks())), 0);
        ch.force(false);
        long end = h.offData() + used * stride;
        if (ch.size() > end) {
            ch.truncate(end);
            ch.force(false);
        }
        progress.update(total, total);
    }

    /** Entries of blocks that hold only zeros stop pointing at data; their data stays until it is overwritten. */
    private void dropZeroBlocks(Progress progress, long total) throws IOException {
        int replacement = h.variant() == ImageVariant.DIFF ? BLOCK_ZERO : BLOCK_FREE;
        boolean changed = false;
        for (int b = 0; b < map.length; b++) {
            if (allocated(map[b])) {
                readSlot(map[b]);
                if (ImageBytes.allZero(block, 0, block.length)) {
                    map[b] = replacement;
                    putEntry(b, replacement);
                    changed = true;
                }
            }
            progress.update(b, total);
        }
        if (changed) {
            ch.force(false);
        }
    }

    private static boolean allocated(int e) {
        return e != BLOCK_FREE && e != BLOCK_ZERO;
    }

    private void readSlot(int slot) throws IOException {
        ImageBytes.readOrZeros(ch, dataOffset(slot), block, 0, block.length);
    }

    /** The whole slot (any block extra too) into a slot no entry points to. */
    private void copy(int from, int to) throws IOException {
        byte[] whole = block.length == stride ? block : new byte[(int) stride];
        ImageBytes.readOrZeros(ch, h.offData() + from * stride, whole, 0, whole.length);
        ImageFiles.writeAll(ch, ByteBuffer.wrap(whole), h.offData() + to * stride);
    }

    /** The copies first on disk, then the entries that point at them. */
    private void repoint(long[] pending, int n) throws IOException {
        if (n == 0) {
            return;
        }
        ch.force(false);
        for (int i = 0; i < n; i++) {
            int b = (int) (pending[i] >>> 32);
            int slot = (int) pending[i];
            map[b] = slot;
            putEntry(b, slot);
        }
        ch.force(false);
    }

    private void putEntry(int b, int value) throws IOException {
        ByteBuffer w = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, value);
        ImageFiles.writeAll(ch, w, h.offBlocks() + 4L * b);
    }

    private long dataOffset(int slot) {
        return h.offData() + (slot & 0xFFFFFFFFL) * stride + h.blockExtra();
    }
}
