package dev.strata.storage.image.qcow2;

import dev.strata.storage.image.ImageFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Grows a qcow2 image as {@code qemu-img resize} does: the bytes of a partial last cluster past the old end are
 * zeroed (the disk cannot see them yet), an L1 table that no longer covers the disk grows in place when
 * its clusters have room, else a larger copy goes into new clusters (counted first); then one header write switches
 * the size and the table; the old table's clusters are given back last (an interruption just leaks them, which
 * {@code check} reports and {@code check --repair} gives back).
 */
final class Qcow2Resizer {
    private Qcow2Resizer() {
    }

    static void grow(Path path, long newSize) throws IOException {
        // an image Strata would not write (snapshots, dirty, corrupt, damaged tables) is refused as a write would be;
        // the tail of a partial last cluster is zeroed first, invisibly while it is past the end
        try (Qcow2Image image = Qcow2Image.open(path, false, null)) {
            image.zeroPastEnd();
        }
        try (FileChannel ch = ImageFiles.open(path, false)) {
            long length = ch.size();
            Qcow2Header h = Qcow2Opener.readHeader(path, ch, length);
            long[] l1 = Qcow2Opener.readL1(path, ch, h, length);
            int cs = h.clusterSize();
            long l2Entries = cs / 8;
            long need = (((newSize + cs - 1) >>> h.clusterBits) + l2Entries - 1) / l2Entries;
            if (need > l1.length) {
                long roomEntries = ((8L * l1.length + cs - 1) >>> h.clusterBits << h.clusterBits) / 8;
                if (need <= roomEntries) {
                    // the table's own clusters have room: the new entries (unused) go there before the header says so
                    ImageFiles.writeAll(ch, ByteBuffer.allocate((int) (8 * (need - l1.length))),
                            h.l1Offset + 8L * l1.length);
                    ch.force(false);
                    switchHeader(path, ch, h, newSize, h.l1Offset, need);
                } else {
                    moveTable(path, ch, h, l1, need, length, newSize);
                }
            } else {
                switchHeader(path, ch, h, newSize, h.l1Offset, l1.length);
            }
        }
    }

    private static void moveTable(Path path, FileChannel ch, Qcow2Header h, long[] l1, long need, long length,
                                  long newSize) throws IOException {
        int cs = h.clusterSize();
        int clusters = (int) ((8 * need + cs - 1) >>> h.clusterBits);
        Qcow2Refcounts refcounts = Qcow2Refcounts.load(path, ch, h, length);
        long at = refcounts.allocate(clusters);
        ByteBuffer table = ByteBuffer.allocate(clusters * cs);
        for (long e : l1) {
            table.putLong(e);
        }
        table.clear();
        ImageFiles.writeAll(ch, table, at);
        ch.force(false);
        long oldOffset = h.l1Offset;
        int oldClusters = (int) ((8L * l1.length + cs - 1) >>> h.clusterBits);
        switchHeader(path, ch, h, newSize, at, need);
        for (int i = 0; i < oldClusters; i++) {
            refcounts.release(oldOffset + ((long) i << h.clusterBits));
        }
        ch.force(false);
    }

    /** The size, the table's place and its length in one write of the header's cluster. */
    private static void switchHeader(Path path, FileChannel ch, Qcow2Header h, long newSize, long l1Offset, long l1Size)
            throws IOException {
        h.size = newSize;
        h.l1Offset = l1Offset;
        h.l1Size = (int) l1Size;
        ImageFiles.writeAll(ch, ByteBuffer.wrap(h.encode(path)), 0);
        ch.force(false);
    }
}
