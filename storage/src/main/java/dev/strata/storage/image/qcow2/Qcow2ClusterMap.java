package dev.strata.storage.image.qcow2;

import dev.strata.storage.image.BlockState;
import dev.strata.storage.image.ImageFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each guest cluster of a qcow2 image lives: the L1 table, the L2 tables (through a bounded cache), and two
 * bitmaps of allocated and zero clusters that answer {@link BlockState} from memory. Changes go through a
 * {@link Batch}, one per write, which makes them durable in crash-safe order.
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

    /** The L2 entry of {@code guestCluster} (0 when its L2 table does not exist). */
    long entry(long guestCluster) throws IOException {
        long table = Qcow2Entries.offset(l1[(int) (guestCluster >>> l2Bits)]);
        return table == 0 ? 0 : l2Cache.get(table)[index(guestCluster)];
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

    Batch batch() {
        return new Batch();
    }

    /** One L2 entry a write changes, applied after the data it points to is on disk. */
    private record Update(long guestCluster, long table, int index, long entry, long old) {
    }

    /**
     * The map changes of one write. {@link #commit} makes them durable after the write's data: data and refcounts
     * forced, then the L2 entries (and new L2 tables), then forced again and the L1 entries of new tables.
     */
    final class Batch {
        private final List<Update> updates = new ArrayList<>();
        private final Map<Long, long[]> newTables = new LinkedHashMap<>();
        private final Map<Integer, Long> l1Updates = new LinkedHashMap<>();

        /** The entry of {@code guestCluster} as this batch sees it (new L2 tables included). */
        long entry(long guestCluster) throws IOException {
            long table = Qcow2Entries.offset(l1[(int) (guestCluster >>> l2Bits)]);
            if (table == 0) {
                return 0;
            }
            long[] t = newTables.get(table);
            return (t != null ? t : l2Cache.get(table))[index(guestCluster)];
        }

        /** Points {@code guestCluster} at {@code entry} (it was {@code old}), making an L2 table when it has none. */
        void set(long guestCluster, long entry, long old) throws IOException {
            int l1i = (int) (guestCluster >>> l2Bits);
            long table = Qcow2Entries.offset(l1[l1i]);
            if (table == 0) {
                table = refcounts.allocate(1);
                newTables.put(table, new long[1 << l2Bits]);
                l1[l1i] = table | Qcow2Entries.COPIED;
                l1Updates.put(l1i, l1[l1i]);
            }
            int index = index(guestCluster);
            long[] t = newTables.get(table);
            if (t != null) {
                t[index] = entry;
            }
            updates.add(new Update(guestCluster, table, index, entry, old));
        }

        boolean isEmpty() {
            return updates.isEmpty();
        }

        void commit(boolean dataWritten) throws IOException {
            if (updates.isEmpty()) {
                return;
            }
            if (dataWritten || !l1Updates.isEmpty()) {
                ch.force(false);
            }
            for (Map.Entry<Long, long[]> t : newTables.entrySet()) {
                ByteBuffer b = ByteBuffer.allocate(clusterSize);
                b.asLongBuffer().put(t.getValue());
                ImageFiles.writeAll(ch, b, t.getKey());
                l2Cache.put(t.getKey(), t.getValue());
            }
            writeChangedEntries();
            if (!l1Updates.isEmpty()) {
                ch.force(false);
                for (Map.Entry<Integer, Long> u : l1Updates.entrySet()) {
                    ImageFiles.writeAll(ch, ByteBuffer.allocate(8).putLong(0, u.getValue()), l1Offset + 8L * u.getKey());
                }
            }
            for (Update u : updates) {
                boolean was = bit(allocatedBits, u.guestCluster());
                boolean now = !Qcow2Entries.zero(u.entry()) && Qcow2Entries.offset(u.entry()) != 0;
                setBit(allocatedBits, u.guestCluster(), now);
                setBit(zeroBits, u.guestCluster(), Qcow2Entries.zero(u.entry()));
                allocatedClusters += (now ? 1 : 0) - (was ? 1 : 0);
                if (Qcow2Entries.compressed(u.old())) {
                    releaseCompressed(u.old());
                }
            }
        }

        /** The changed entries of existing L2 tables, one write per table spanning them. */
        private void writeChangedEntries() throws IOException {
            // the tables are held here, not looked up again, so the cache dropping one cannot lose a change
            Map<Long, long[]> tables = new HashMap<>();
            Map<Long, int[]> spans = new HashMap<>();
            for (Update u : updates) {
                if (newTables.containsKey(u.table())) {
                    continue;
                }
                long[] t = tables.get(u.table());
                if (t == null) {
                    t = l2Cache.get(u.table());
                    tables.put(u.table(), t);
                }
                t[u.index()] = u.entry();
                spans.merge(u.table(), new int[] {u.index(), u.index()},
                        (a, b) -> new int[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
            }
            for (Map.Entry<Long, int[]> s : spans.entrySet()) {
                long[] t = tables.get(s.getKey());
                int from = s.getValue()[0];
                int count = s.getValue()[1] - from + 1;
                ByteBuffer b = ByteBuffer.allocate(count * 8);
                b.asLongBuffer().put(t, from, count);
                ImageFiles.writeAll(ch, b, s.getKey() + 8L * from);
                l2Cache.put(s.getKey(), t);
            }
        }
    }
}
