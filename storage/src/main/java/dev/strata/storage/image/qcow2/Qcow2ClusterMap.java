package dev.strata.storage.image.qcow2;

import dev.strata.storage.image.BlockState;
import dev.strata.storage.image.ImageFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where each guest cluster of a qcow2 image lives: the L1 table, the L2 tables (through a bounded cache), and two
 * bitmaps of allocated and zero clusters that answer {@link BlockState} from memory. Changes take effect in memory at
 * once and reach the file together at the next {@link #commit} (a flush, or when enough have gathered), in crash-safe
 * order, as QEMU's write-back metadata cache does: one force covers the data of many writes.
 */
final class Qcow2ClusterMap {
    private final FileChannel ch;
    private final int clusterBits;
    private final int clusterSize;
    private final int l2Bits;
    private final long l1Offset;
    private final long[] l1;
    private final Qcow2L2Cache l2Cache;
    private final long[] allocatedBits;
    private final long[] zeroBits;
    /** Null when the image is open read-only. */
    private final Qcow2Refcounts refcounts;
    private long allocatedClusters;
    /** L2 tables changed since the last commit (the cache may drop them; these references keep the changes). */
    private final Map<Long, long[]> pending = new LinkedHashMap<>();
    private final Set<Long> newTables = new HashSet<>();
    /** The first and last changed entry of each changed table that is not new. */
    private final Map<Long, int[]> spans = new HashMap<>();
    private final Map<Integer, Long> l1Updates = new LinkedHashMap<>();
    /** Compressed entries replaced since the last commit, whose clusters are released after it. */
    private final List<Long> releases = new ArrayList<>();
    /** Host offsets of plain clusters no entry uses after the last commit's changes, released after it. */
    private final List<Long> freed = new ArrayList<>();
    private int changes;

    Qcow2ClusterMap(FileChannel ch, Qcow2Header h, long[] l1, Qcow2L2Cache l2Cache, long[] allocatedBits,
                    long[] zeroBits, long allocatedClusters, Qcow2Refcounts refcounts) {
        this.ch = ch;
        this.clusterBits = h.clusterBits;
        this.clusterSize = h.clusterSize();
        this.l2Bits = clusterBits - 3;
        this.l1Offset = h.l1Offset;
        this.l1 = l1;
        this.l2Cache = l2Cache;
        this.allocatedBits = allocatedBits;
        this.zeroBits = zeroBits;
        this.allocatedClusters = allocatedClusters;
        this.refcounts = refcounts;
    }

    /** How many entry changes, or changed tables, wait before a write commits them. */
    static final int MAX_PENDING_CHANGES = 4096;
    static final int MAX_PENDING_TABLES = 16;

    static boolean bit(long[] bits, long i) {
        return (bits[(int) (i >>> 6)] & (1L << i)) != 0;
    }

    static void setBit(long[] bits, long i, boolean on) {
        if (on) {
            bits[(int) (i >>> 6)] |= 1L << i;
        } else {
            bits[(int) (i >>> 6)] &= ~(1L << i);
        }
    }

    BlockState state(long guestCluster) {
        if (bit(allocatedBits, guestCluster)) {
            return BlockState.ALLOCATED;
        }
        return bit(zeroBits, guestCluster) ? BlockState.ZERO : BlockState.UNALLOCATED;
    }

    long allocatedClusters() {
        return allocatedClusters;
    }

    /** The L2 entry of {@code guestCluster}, committed or not (0 when its L2 table does not exist). */
    long entry(long guestCluster) throws IOException {
        long table = Qcow2Entries.offset(l1[(int) (guestCluster >>> l2Bits)]);
        return table == 0 ? 0 : table(table)[index(guestCluster)];
    }

    private int index(long guestCluster) {
        return (int) (guestCluster & ((1 << l2Bits) - 1));
    }

    /** Clusters at the end of the file for new data, counted before anything uses them. */
    long allocate(int n) throws IOException {
        return refcounts.allocate(n);
    }

    /** Drops the references a replaced compressed cluster held on every file cluster its data touches. */
    void releaseCompressed(long entry) throws IOException {
        long at = Qcow2Entries.compressedOffset(entry, clusterBits);
        long end = at + Qcow2Entries.compressedLength(entry, clusterBits) - 1;
        for (long c = at >>> clusterBits; c <= end >>> clusterBits; c++) {
            refcounts.release(c << clusterBits);
        }
    }

    /** Releases the plain cluster at {@code offset} once the changes that stop using it are on disk. */
    void releaseAfterCommit(long offset) {
        freed.add(offset);
    }

    /** The image's refcounts (null when it is open read-only). */
    Qcow2Refcounts refcounts() {
        return refcounts;
    }

    /** The L2 table at {@code offset} with the changes not yet committed. */
    private long[] table(long offset) throws IOException {
        long[] t = pending.isEmpty() ? null : pending.get(offset);
        return t != null ? t : l2Cache.get(offset);
    }

    /**
     * Points {@code guestCluster} at {@code entry} (it was {@code old}), making an L2 table when it has none. Takes
     * effect in memory now and in the file at the next {@link #commit}, after the data it points to.
     */
    void set(long guestCluster, long entry, long old) throws IOException {
        int l1i = (int) (guestCluster >>> l2Bits);
        long offset = Qcow2Entries.offset(l1[l1i]);
        int index = index(guestCluster);
        long[] t;
        if (offset == 0) {
            t = pending.get(newTable(l1i));
        } else {
            t = pending.get(offset);
            if (t == null) {
                t = l2Cache.get(offset);
                pending.put(offset, t);
            }
            if (!newTables.contains(offset)) {
                spans.merge(offset, new int[] {index, index},
                        (a, b) -> new int[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
            }
        }
        t[index] = entry;
        boolean was = bit(allocatedBits, guestCluster);
        boolean now = !Qcow2Entries.zero(entry) && Qcow2Entries.offset(entry) != 0;
        setBit(allocatedBits, guestCluster, now);
        setBit(zeroBits, guestCluster, Qcow2Entries.zero(entry));
        allocatedClusters += (now ? 1 : 0) - (was ? 1 : 0);
        if (Qcow2Entries.compressed(old)) {
            releases.add(old);
        }
        changes++;
    }

    /**
     * Makes the L2 tables that clusters {@code first} to {@code last} lack, before their data is placed: a run of new
     * clusters then lies together after its tables, as single clusters placed before their table would lie around it.
     */
    void makeTables(long first, long last) throws IOException {
        for (long l1i = first >>> l2Bits; l1i <= last >>> l2Bits; l1i++) {
            if (Qcow2Entries.offset(l1[(int) l1i]) == 0) {
                newTable((int) l1i);
            }
        }
    }

    /** A new, empty L2 table for L1 entry {@code l1i}, written at the next commit; returns its offset. */
    private long newTable(int l1i) throws IOException {
        long offset = refcounts.allocate(1);
        pending.put(offset, new long[1 << l2Bits]);
        newTables.add(offset);
        l1[l1i] = offset | Qcow2Entries.COPIED;
        l1Updates.put(l1i, l1[l1i]);
        return offset;
    }

    /** True when enough changes wait that the next write should commit them (bounding memory and lost work). */
    boolean commitDue() {
        return changes >= MAX_PENDING_CHANGES || pending.size() >= MAX_PENDING_TABLES;
    }

    /**
     * Makes the changes since the last commit durable, in crash-safe order: the data and refcounts they point to are
     * forced first, then the L2 tables are written, then (for new tables) forced again and the L1 entries written;
     * the clusters of replaced compressed data, and clusters no entry uses any more, are released last. A crash before the end leaves leaked clusters.
     */
    void commit() throws IOException {
        if (changes == 0) {
            return;
        }
        ch.force(false);
        for (Map.Entry<Long, long[]> e : pending.entrySet()) {
            long offset = e.getKey();
            long[] t = e.getValue();
            if (newTables.contains(offset)) {
                ByteBuffer b = ByteBuffer.allocate(clusterSize);
                b.asLongBuffer().put(t);
                ImageFiles.writeAll(ch, b, offset);
            } else {
                int[] span = spans.get(offset);
                int count = span[1] - span[0] + 1;
                ByteBuffer b = ByteBuffer.allocate(count * 8);
                b.asLongBuffer().put(t, span[0], count);
                ImageFiles.writeAll(ch, b, offset + 8L * span[0]);
            }
            l2Cache.put(offset, t);
        }
        if (!l1Updates.isEmpty() || !releases.isEmpty() || !freed.isEmpty()) {
            ch.force(false);
        }
        for (Map.Entry<Integer, Long> u : l1Updates.entrySet()) {
            ImageFiles.writeAll(ch, ByteBuffer.allocate(8).putLong(0, u.getValue()), l1Offset + 8L * u.getKey());
        }
        for (long old : releases) {
            releaseCompressed(old);
        }
        for (long offset : freed) {
            refcounts.release(offset);
        }
        pending.clear();
        newTables.clear();
        spans.clear();
        l1Updates.clear();
        releases.clear();
        freed.clear();
        changes = 0;
    }
}
