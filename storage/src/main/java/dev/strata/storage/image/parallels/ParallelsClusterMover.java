package dev.strata.storage.image.parallels;

import dev.strata.storage.image.ImageBytes;
import dev.strata.storage.image.ImageFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/**
 * Makes room for a larger Parallels catalog without changing the disk: the clusters where the catalog will reach are
 * copied to the end of the file and forced, then each one's catalog entry switches to its copy (one 4-byte write; both
 * copies hold the same data) and is forced. Until the header says the catalog is longer, the space they leave is
 * unused, so a crash at any point leaves the old disk.
 */
final class ParallelsClusterMover {
    private ParallelsClusterMover() {
    }

    /**
     * Frees the file up to the sector where a catalog of {@code entries} and its alignment end, and returns that
     * sector: the new data offset (kept 0 when the header has none).
     */
    static long makeRoom(FileChannel ch, ParallelsInspector.Inspection in, long entries) throws IOException {
        ParallelsHeader h = in.header;
        long spc = h.sectorsPerCluster();
        long unit = h.entryUnit();
        long catalogEnd = (ParallelsHeader.SIZE + 4 * entries + 511) / 512;
        // clusters start on a cluster boundary after the catalog, as QEMU lays them out
        long dataStart = (catalogEnd + spc - 1) / spc * spc;
        long dest = Math.max(roundUp(in.nextSector, unit), dataStart);
        ByteBuffer cluster = ByteBuffer.allocate((int) (spc * 512));
        ByteBuffer entry = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        long[] moves = new long[in.clusters.length];
        for (int i = 0; i < in.clusters.length; i++) {
            long sector = in.clusters[i];
            if (sector == 0 || sector >= dataStart) {
                continue;
            }
            // a last cluster the file holds only in part reads as far as the file goes; the rest is zeros
            ImageBytes.readOrZeros(ch, sector * 512, cluster.array(), 0, cluster.capacity());
            cluster.clear();
            ImageFiles.writeAll(ch, cluster, dest * 512);
            moves[i] = dest;
            dest += spc;
        }
        ch.force(false);
        for (int i = 0; i < moves.length; i++) {
            if (moves[i] != 0) {
                entry.clear();
                entry.putInt(0, (int) (moves[i] / unit));
                ImageFiles.writeAll(ch, entry, ParallelsHeader.SIZE + 4L * i);
                in.clusters[i] = moves[i];
            }
        }
        ch.force(false);
        return h.dataOffset() == 0 ? 0 : dataStart;
    }

    private static long roundUp(long v, long unit) {
        return (v + unit - 1) / unit * unit;
    }
}
