package dev.strata.storage.image;

import static dev.strata.storage.image.VdiLayout.*;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes room for a larger VDI block map without changing the disk, as VirtualBox's resize does: the data blocks where
 * the new map goes move to free block indexes, the new map is written where they were, and the data start moves past
 * it. The order keeps every step a valid image showing the same disk: copy the blocks and force; switch each moved
 * block's map entry (one 4-byte write, both copies hold the same data) and force; write the new map over the blocks no
 * entry uses any more and force; then one write of the header moves the map and the data start together.
 */
final class VdiMapMover {
    private VdiMapMover() {
    }

    /**
     * Gives the map room for {@code blocks} entries; {@code in} is the image's inspection, without errors. Returns
     * false, having changed nothing, when every data block index is in use so that no block can move aside
     * ({@link VdiMapCopier} does it then).
     */
    static boolean makeRoom(Path path, FileChannel ch, VdiInspector.Inspection in, long blocks) throws IOException {
        VdiHeader h = in.header;
        long stride = h.blockSize() + h.blockExtra();
        // the new map starts where the data starts now; this many data blocks make way for it
        long moved = (4 * blocks + stride - 1) / stride;
        int count = (int) h.blockCount();
        int[] owner = owners(in.map, count);
        List<Integer> inTheWay = new ArrayList<>();
        for (int p = 0; p < Math.min(moved, count); p++) {
            if (owner[p] >= 0) {
                inTheWay.add(owner[p]);
            }
        }
        long room = (h.offData() - h.offBlocks()) / 4;
        long free = 0;
        for (long p = moved; p < count; p++) {
            free += owner[(int) p] < 0 ? 1 : 0;
        }
        long freeAfterRaise = free + Math.max(0, room - Math.max(count, moved));
        if (free < inTheWay.size() && freeAfterRaise >= inTheWay.size()) {
            // not enough free indexes below the block count: count up to what the map's room holds (the disk's
            // size stays; the new entries are free)
            count = raiseBlockCount(ch, in, (int) room);
            owner = owners(in.map, count);
        } else if (free < inTheWay.size()) {
            // a fixed or fully written disk whose map fills its room exactly: no index to copy to that the map
            // before the switch could name, so no in-place move keeps every step valid
            return false;
        }

        int[] map = in.map.clone();
        int dest = (int) moved;
        ByteBuffer block = ByteBuffer.allocate((int) stride);
        List<int[]> switches = new ArrayList<>();
        for (int entry : inTheWay) {
            while (owner[dest] >= 0) {
                dest++;
            }
            owner[dest] = entry;
            long from = h.offData() + (map[entry] & 0xFFFFFFFFL) * stride;
            block.clear();
            VdiInspector.readFully(ch, block, from);
            block.flip();
            ImageFiles.writeAll(ch, block, h.offData() + dest * stride);
            switches.add(new int[] {entry, dest});
        }
        ch.force(false);
        ByteBuffer one = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        for (int[] s : switches) {
            map[s[0]] = s[1];
            one.clear();
            one.putInt(0, s[1]);
            ImageFiles.writeAll(ch, one, h.offBlocks() + 4L * s[0]);
        }
        ch.force(false);

        // the same map renumbered for the new data start, where no entry points any more
        ByteBuffer renumbered = ByteBuffer.allocate(4 * count).order(ByteOrder.LITTLE_ENDIAN);
        long next = 0;
        for (int i = 0; i < count; i++) {
            int e = map[i];
            if (e != BLOCK_FREE && e != BLOCK_ZERO) {
                e -= (int) moved;
                next = Math.max(next, (e & 0xFFFFFFFFL) + 1);
            }
            renumbered.putInt(e);
        }
        renumbered.flip();
        ImageFiles.writeAll(ch, renumbered, h.offData());
        ch.force(false);

        byte[] header = in.firstSector;
        VdiHeader.putI32(header, OFF_BLOCKS, (int) h.offData());
        VdiHeader.putI32(header, OFF_DATA, (int) (h.offData() + moved * stride));
        VdiHeader.putI32(header, BLOCK_COUNT, count);
        VdiHeader.putI32(header, BLOCKS_ALLOCATED, (int) next);
        ImageFiles.writeAll(ch, ByteBuffer.wrap(header, 0, (int) Math.min(SECTOR, h.offBlocks())), 0);
        ch.force(false);
        return true;
    }

    /** For each data block index below {@code count}, the map entry that uses it, or -1. */
    private static int[] owners(int[] map, int count) {
        int[] owner = new int[count];
        java.util.Arrays.fill(owner, -1);
        for (int i = 0; i < map.length; i++) {
            int e = map[i];
            if (e != BLOCK_FREE && e != BLOCK_ZERO) {
                owner[e] = i;
            }
        }
        return owner;
    }

    /** Free entries up to {@code count} in the map's room, forced, then the header's block count; returns it. */
    private static int raiseBlockCount(FileChannel ch, VdiInspector.Inspection in, int count) throws IOException {
        VdiHeader h = in.header;
        int old = (int) h.blockCount();
        ByteBuffer free = ByteBuffer.allocate(4 * (count - old)).order(ByteOrder.LITTLE_ENDIAN);
        while (free.hasRemaining()) {
            free.putInt(BLOCK_FREE);
        }
        free.flip();
        ImageFiles.writeAll(ch, free, h.offBlocks() + 4L * old);
        ch.force(false);
        VdiHeader.putI32(in.firstSector, BLOCK_COUNT, count);
        ImageFiles.writeAll(ch, ByteBuffer.wrap(in.firstSector, 0, (int) Math.min(SECTOR, h.offBlocks())), 0);
        ch.force(false);
        int[] map = java.util.Arrays.copyOf(in.map, count);
        java.util.Arrays.fill(map, old, count, BLOCK_FREE);
        in.map = map;
        return count;
    }
}
