package dev.strata.storage.image.qcow2;

import dev.strata.storage.Progress;
import dev.strata.storage.image.BlockState;
import dev.strata.storage.image.ImageBytes;
import dev.strata.storage.image.ImageFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Gives back the space of a qcow2 image's clusters that hold only zeros, as {@code qemu-img convert} would leave
 * them out: their entries are dropped (a zero cluster over a backing file, which version 2 cannot record, so there
 * they stay), data clusters from the end of the file move into the holes, and the file is cut after the last cluster
 * in use. Every change goes through the cluster map's crash-safe commit (data and new refcounts forced, then the L2
 * tables, then the old clusters released), so an interruption leaves the same disk with leaked clusters at worst,
 * which the next compact (or {@code check --repair}) gives back first; the cut comes last. L2 tables, refcount blocks and the L1 table stay where
 * they are, so a table near the end of the file keeps the clusters before it.
 */
final class Qcow2Compactor {
    private Qcow2Compactor() {
    }

    /** Compacts the image at {@code path}, which nothing has open; returns how many bytes the file shrank by. */
    static long compact(Path path, Progress progress) throws IOException {
        long before = Files.size(path);
        // refused as a write would be (snapshots, dirty, damage); then leaked clusters (what an interrupted write or
        // compact leaves) become holes to fill
        Qcow2Image.open(path, false, null).close();
        Qcow2Checker.repair(path);
        try (Qcow2Image image = Qcow2Image.open(path, false, null)) {
            image.startRewrite();
            long clusters = image.blockCount();
            dropZeroClusters(image, clusters, progress);
            moveDown(image, clusters, progress);
        }
        cut(path);
        return before - Files.size(path);
    }

    private static void dropZeroClusters(Qcow2Image image, long clusters, Progress progress) throws IOException {
        Qcow2ClusterMap map = image.map();
        Qcow2Header h = image.header();
        boolean overParent = h.backingFile != null;
        if (overParent && h.version < 3) {
            return;
        }
        long zeroEntry = overParent ? Qcow2Entries.ZERO : 0;
        byte[] data = new byte[h.clusterSize()];
        for (long gc = 0; gc < clusters; gc++) {
            progress.update(gc + 1, 2 * clusters);
            long e = map.entry(gc);
            long host = Qcow2Entries.offset(e);
            if (Qcow2Entries.compressed(e) || host == 0) {
                continue;
            }
            if (!Qcow2Entries.zero(e)) {
                ImageBytes.readOrZeros(image.channel(), host, data, 0, data.length);
                if (!ImageBytes.allZero(data, 0, data.length)) {
                    continue;
                }
            }
            // a zero cluster that keeps a preallocated place gives it back too
            map.set(gc, zeroEntry, e);
            map.releaseAfterCommit(host);
            if (map.commitDue()) {
                map.commit();
            }
        }
        map.commit();
    }

    /** Moves data clusters from the end of the file into the lowest free clusters while both exist. */
    private static void moveDown(Qcow2Image image, long clusters, Progress progress) throws IOException {
        Qcow2ClusterMap map = image.map();
        Qcow2Refcounts refcounts = map.refcounts();
        int bits = image.header().clusterBits;
        FileChannel ch = image.channel();
        long fileClusters = (image.fileLength() + (1L << bits) - 1) >>> bits;
        long[] owner = new long[(int) fileClusters];
        Arrays.fill(owner, -1);
        for (long gc = 0; gc < clusters; gc++) {
            if (map.state(gc) == BlockState.ALLOCATED) {
                long e = map.entry(gc);
                if (!Qcow2Entries.compressed(e)) {
                    owner[(int) (Qcow2Entries.offset(e) >>> bits)] = gc;
                }
            }
        }
        ByteBuffer data = ByteBuffer.allocate(1 << bits);
        long low = 0;
        long high = fileClusters - 1;
        while (true) {
            while (high > low && refcounts.get(high) == 0) {
                high--;
            }
            while (low < high && refcounts.get(low) != 0) {
                low++;
            }
            if (low >= high || owner[(int) high] < 0 || refcounts.get(high) != 1) {
                break; // no hole below, or a table (or a shared cluster) ends the file: it stays
            }
            long gc = owner[(int) high];
            progress.update(clusters + gc * clusters / Math.max(1, fileClusters), 2 * clusters);
            refcounts.set(low, 1);
            data.clear();
            ImageBytes.readOrZeros(ch, high << bits, data.array(), 0, data.capacity());
            ImageFiles.writeAll(ch, data, low << bits);
            map.set(gc, (low << bits) | Qcow2Entries.COPIED, map.entry(gc));
            map.releaseAfterCommit(high << bits);
            owner[(int) low] = gc;
            owner[(int) high] = -1;
            if (map.commitDue()) {
                map.commit();
            }
            // the moved cluster's old place is free once committed; look below it
            high--;
            low++;
        }
        map.commit();
    }

    /** Cuts the file after the last cluster whose refcount is not 0. */
    private static void cut(Path path) throws IOException {
        try (FileChannel ch = ImageFiles.open(path, false)) {
            long length = ch.size();
            Qcow2Header h = Qcow2Opener.readHeader(path, ch, length);
            Qcow2Refcounts refcounts = Qcow2Refcounts.load(path, ch, h, length);
            long last = ((length + h.clusterSize() - 1) >>> h.clusterBits) - 1;
            while (last > 0 && refcounts.get(last) == 0) {
                last--;
            }
            long end = (last + 1) << h.clusterBits;
            if (end < length) {
                ch.truncate(end);
                ch.force(true);
            }
        }
    }
}
