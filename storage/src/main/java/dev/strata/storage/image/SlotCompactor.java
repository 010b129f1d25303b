package dev.strata.storage.image;

import dev.strata.storage.Progress;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Compacts an image whose blocks each lie in a slot of the same size that a table entry points to (VHD blocks with
 * their bitmaps, Parallels clusters, VMDK grains): blocks holding only zeros leave the table, the slots nearest the
 * end of the file move down into the lowest free space (what the dropped blocks left, or an earlier run cut short),
 * and the file ends after the last slot or table.
 *
 * <p>Crash safety: every step leaves a valid image showing the same disk. Zero blocks leave the table (forced) before
 * their space is reused; a moved slot is copied into space no entry or table uses and forced before its entry is
 * rewritten; the format's end of file comes last. An interruption leaves unused space at worst, which a rerun fills.
 */
public final class SlotCompactor {
    /** Slots copied before their entries are rewritten together: one force covers them all. */
    private static final int BATCH = 64;

    /** What a format tells the compactor about its file, and how it changes its table. */
    public interface Slots {
        /** The number of table entries (blocks). */
        int count();

        /** The file offset of block {@code block}'s slot, or -1 when the file does not store the block. */
        long slot(int block);

        /** The bytes of a slot: the block's data and whatever the format keeps beside it (a VHD sector bitmap). */
        long slotBytes();

        /** Where in a slot the block's data starts. */
        long dataStart();

        /** The block's data bytes, for the zero test (a block's size; less for a last block cut by the disk's end). */
        int dataBytes(int block);

        /** Makes the table say block {@code block} reads as zeros without a slot; not forced. */
        void drop(int block) throws IOException;

        /** Points block {@code block} at the slot at {@code slot}; not forced. */
        void point(int block, long slot) throws IOException;

        /** Every range {start, end} of the file that is not a slot: headers, tables, descriptors, locators. */
        List<long[]> metadata();

        /** Where a slot may start: a multiple of this many bytes. */
        long slotAlignment();

        /** Ends the file after everything it still uses, at {@code end}, with what the format keeps there. */
        void end(long end) throws IOException;
    }

    private SlotCompactor() {
    }

    /** Compacts the image open on {@code ch}; returns the bytes the file shrank by. */
    public static long compact(FileChannel ch, Slots slots, Progress progress) throws IOException {
        long before = ch.size();
        int count = slots.count();
        long total = 2L * count;
        // live: slot offset -> block, for every block still stored
        TreeMap<Long, Integer> live = new TreeMap<>();
        byte[] data = new byte[0];
        boolean dropped = false;
        for (int b = 0; b < count; b++) {
            long s = slots.slot(b);
            if (s >= 0) {
                int n = slots.dataBytes(b);
                if (data.length < n) {
                    data = new byte[n];
                }
                ImageBytes.readOrZeros(ch, s + slots.dataStart(), data, 0, n);
                if (ImageBytes.allZero(data, 0, n)) {
                    slots.drop(b);
                    dropped = true;
                } else {
                    live.put(s, b);
                }
            }
            progress.update(b, total);
        }
        if (dropped) {
            ch.force(false);
        }
        long stride = slots.slotBytes();
        long align = slots.slotAlignment();
        // used: start -> end of every range in use (the tables and the slots still pointed to)
        TreeMap<Long, Long> used = new TreeMap<>();
        for (long[] m : slots.metadata()) {
            used.merge(m[0], m[1], Math::max);
        }
        for (long s : live.keySet()) {
            used.put(s, s + stride);
        }
        byte[] slot = new byte[(int) stride];
        List<long[]> pending = new ArrayList<>();
        long moved = 0;
        long cursor = 0;
        while (!live.isEmpty()) {
            long last = live.lastKey();
            long hole = freeSpace(used, cursor, stride, align);
            if (hole + stride > last) {
                break;
            }
            int block = live.pollLastEntry().getValue();
            used.remove(last);
            ImageBytes.readOrZeros(ch, last, slot, 0, slot.length);
            ImageFiles.writeAll(ch, ByteBuffer.wrap(slot), hole);
            live.put(hole, block);
            used.put(hole, hole + stride);
            cursor = hole + stride;
            pending.add(new long[] {block, hole});
            if (pending.size() == BATCH) {
                repoint(ch, slots, pending);
            }
            progress.update(count + Math.min(++moved, count - 1), total);
        }
        repoint(ch, slots, pending);
        long end = 0;
        for (long e : used.values()) {
            end = Math.max(end, e);
        }
        slots.end(end);
        progress.update(total, total);
        return before - ch.size();
    }

    /** The lowest aligned start at or after {@code from} of {@code len} bytes that no range in {@code used} touches. */
    private static long freeSpace(TreeMap<Long, Long> used, long from, long len, long align) {
        long at = (from + align - 1) / align * align;
        var below = used.floorEntry(at);
        if (below != null && below.getValue() > at) {
            at = (below.getValue() + align - 1) / align * align;
        }
        for (var r : used.tailMap(at, true).entrySet()) {
            if (r.getKey() >= at + len) {
                return at;
            }
            at = Math.max(at, (r.getValue() + align - 1) / align * align);
        }
        return at;
    }

    /** The copies first on disk, then the entries that point at them. */
    private static void repoint(FileChannel ch, Slots slots, List<long[]> pending) throws IOException {
        if (pending.isEmpty()) {
            return;
        }
        ch.force(false);
        for (long[] p : pending) {
            slots.point((int) p[0], p[1]);
        }
        ch.force(false);
        pending.clear();
    }
}
