package dev.strata.storage.image.qcow2;

import dev.strata.storage.StorageException;
import dev.strata.storage.image.ImageFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A qcow2 image's reference counts: the refcount table (kept in memory) and the refcount blocks it points to (read
 * when first needed), any width from 1 to 64 bits. New clusters are handed out at the end of the file, their refcounts
 * written before anything uses them, so an interrupted write leaves leaked clusters and never a used cluster counted
 * as free. The table grows into a new place when it runs out, switched over by one header write.
 */
final class Qcow2Refcounts {
    /** The largest refcount table Strata reads, as QEMU limits it (8 MiB). */
    static final long MAX_TABLE_BYTES = 8L << 20;

    private final Path path;
    private final FileChannel ch;
    private final Qcow2Header header;
    private final int clusterBits;
    private final int clusterSize;
    private final int bits;
    private final int entriesPerBlock;
    private final long maxValue;
    private long[] table;
    private final Map<Integer, byte[]> blocks = new HashMap<>();
    private long nextFree;
    /** True while the table grows: entries go to the new table, written whole at the end. */
    private boolean growing;

    private Qcow2Refcounts(Path path, FileChannel ch, Qcow2Header header, long[] table, long fileLength) {
        this.path = path;
        this.ch = ch;
        this.header = header;
        this.clusterBits = header.clusterBits;
        this.clusterSize = header.clusterSize();
        this.bits = 1 << header.refcountOrder;
        this.entriesPerBlock = (int) ((long) clusterSize * 8 / bits);
        this.maxValue = bits == 64 ? Long.MAX_VALUE : (1L << bits) - 1;
        this.table = table;
        this.nextFree = (fileLength + clusterSize - 1) >>> clusterBits;
    }

    /** Reads the refcount table and checks every entry points to a whole cluster inside the file. */
    static Qcow2Refcounts load(Path path, FileChannel ch, Qcow2Header h, long fileLength) throws IOException {
        long[] table = readTable(path, ch, h, fileLength);
        for (int i = 0; i < table.length; i++) {
            long off = table[i];
            if (off == 0) {
                continue;
            }
            long at = h.refcountTableOffset + 8L * i;
            if ((off & (h.clusterSize() - 1)) != 0) {
                throw new StorageException(path, "refcount table entry " + i + " at byte offset " + ImageFiles.hex(at)
                        + " points to " + ImageFiles.hex(off) + ", which is not on a cluster boundary; the image is "
                        + "damaged: restore it from a backup");
            }
            if (off < 0 || off > fileLength - h.clusterSize()) {
                throw new StorageException(path, "refcount table entry " + i + " at byte offset " + ImageFiles.hex(at)
                        + " points to " + ImageFiles.hex(off) + ", past the end of the file (" + fileLength + " bytes);"
                        + " the image is truncated or damaged: restore it from a backup");
            }
        }
        return new Qcow2Refcounts(path, ch, h, table, fileLength);
    }

    /** The refcount table as the header places it, checked to lie inside the file. */
    static long[] readTable(Path path, FileChannel ch, Qcow2Header h, long fileLength) throws IOException {
        long off = h.refcountTableOffset;
        long bytes = (long) h.refcountTableClusters << h.clusterBits;
        if (h.refcountTableClusters <= 0 || bytes > MAX_TABLE_BYTES) {
            throw Qcow2Header.bad(path, "refcount_table_clusters", Qcow2Header.OFF_REFTABLE_CLUSTERS,
                    Integer.toUnsignedString(h.refcountTableClusters), "the refcount table is 1 cluster to "
                            + (MAX_TABLE_BYTES >> 20) + " MiB");
        }
        Qcow2Tables.requireRegion(path, "refcount_table_offset", Qcow2Header.OFF_REFTABLE_OFFSET, off, bytes,
                h.clusterSize(), fileLength);
        return Qcow2Tables.readLongs(ch, off, (int) (bytes / 8));
    }

    long nextFree() {
        return nextFree;
    }

    int bits() {
        return bits;
    }

    /** The refcount of host cluster {@code cluster} (0 when no refcount block covers it). */
    long get(long cluster) throws IOException {
        long bi = cluster / entriesPerBlock;
        if (bi >= table.length || table[(int) bi] == 0) {
            return 0;
        }
        return read(block((int) bi), (int) (cluster % entriesPerBlock));
    }

    /** Sets the refcount of {@code cluster} on disk, first making a refcount block for it if it has none. */
    void set(long cluster, long value) throws IOException {
        if (value < 0 || value > maxValue) {
            throw new StorageException(path, "the refcount of the cluster at " + ImageFiles.hex(cluster << clusterBits)
                    + " would be " + value + ", more than " + bits + "-bit refcounts hold; convert the image with "
                    + "qemu-img convert -O qcow2 -o refcount_bits=16");
        }
        int bi = ensureBlock(cluster / entriesPerBlock);
        byte[] block = block(bi);
        int idx = (int) (cluster % entriesPerBlock);
        write(block, idx, value);
        int from;
        int len;
        if (bits >= 8) {
            from = idx * (bits / 8);
            len = bits / 8;
        } else {
            from = idx / (8 / bits);
            len = 1;
        }
        ImageFiles.writeAll(ch, ByteBuffer.wrap(block, from, len), table[bi] + from);
    }

    /** Hands out {@code n} consecutive clusters at the end of the file, each counted once; returns the first's offset. */
    long allocate(int n) throws IOException {
        long first = nextFree;
        nextFree += n;
        for (int i = 0; i < n; i++) {
            set(first + i, 1);
        }
        return first << clusterBits;
    }

    /** Drops one reference to the cluster at {@code offset} (a cluster nobody uses then stays as a hole). */
    void release(long offset) throws IOException {
        long cluster = offset >>> clusterBits;
        long now = get(cluster);
        if (now > 0) {
            set(cluster, now - 1);
        }
    }

    private int ensureBlock(long bi) throws IOException {
        if (bi >= table.length) {
            if (growing) {
                throw new StorageException(path, "the refcount table cannot grow far enough while growing; the image "
                        + "is too large for its cluster size");
            }
            grow(bi);
        }
        int i = (int) bi;
        if (table[i] != 0) {
            return i;
        }
        long c = nextFree++;
        byte[] block = new byte[clusterSize];
        if (c / entriesPerBlock == bi) {
            write(block, (int) (c % entriesPerBlock), 1);
        } else {
            set(c, 1);
        }
        ImageFiles.writeAll(ch, ByteBuffer.wrap(block), c << clusterBits);
        table[i] = c << clusterBits;
        blocks.put(i, block);
        if (!growing) {
            ByteBuffer e = ByteBuffer.allocate(8).putLong(0, table[i]);
            ImageFiles.writeAll(ch, e, header.refcountTableOffset + 8L * i);
        }
        return i;
    }

    /**
     * Moves the table to the end of the file with room for entry {@code bi}: the new table and the refcount blocks it
     * needs are written first, then one header write switches to it, then the old table's clusters are released.
     */
    private void grow(long bi) throws IOException {
        int perCluster = clusterSize / 8;
        long entries = Math.max(bi + 1, (long) table.length * 2);
        long clusters = (entries + perCluster - 1) / perCluster;
        if ((clusters << clusterBits) > MAX_TABLE_BYTES) {
            throw new StorageException(path, "the refcount table would grow past " + (MAX_TABLE_BYTES >> 20) + " MiB;"
                    + " the image is too large for its " + clusterSize + "-byte clusters");
        }
        long[] old = table;
        long oldOffset = header.refcountTableOffset;
        int oldClusters = header.refcountTableClusters;
        long start = nextFree;
        nextFree += clusters;
        table = java.util.Arrays.copyOf(old, (int) (clusters * perCluster));
        growing = true;
        try {
            for (long c = start; c < start + clusters; c++) {
                set(c, 1);
            }
        } finally {
            growing = false;
        }
        ByteBuffer t = ByteBuffer.allocate(table.length * 8);
        t.asLongBuffer().put(table);
        ImageFiles.writeAll(ch, t, start << clusterBits);
        ch.force(false);
        ByteBuffer hb = ByteBuffer.allocate(12).putLong(0, start << clusterBits).putInt(8, (int) clusters);
        ImageFiles.writeAll(ch, hb, Qcow2Header.OFF_REFTABLE_OFFSET);
        ch.force(false);
        header.refcountTableOffset = start << clusterBits;
        header.refcountTableClusters = (int) clusters;
        for (long c = 0; c < oldClusters; c++) {
            release(oldOffset + (c << clusterBits));
        }
    }

    private byte[] block(int bi) throws IOException {
        byte[] b = blocks.get(bi);
        if (b == null) {
            b = new byte[clusterSize];
            Qcow2Tables.readFully(ch, ByteBuffer.wrap(b), table[bi]);
            blocks.put(bi, b);
        }
        return b;
    }

    long read(byte[] block, int idx) {
        return read(block, idx, bits);
    }

    /** Entry {@code idx} of a refcount block of {@code bits}-bit entries. */
    static long read(byte[] block, int idx, int bits) {
        if (bits >= 8) {
            int n = bits / 8;
            long v = 0;
            for (int i = 0; i < n; i++) {
                v = v << 8 | (block[idx * n + i] & 0xFF);
            }
            return v;
        }
        int perByte = 8 / bits;
        int shift = (idx % perByte) * bits;
        return (block[idx / perByte] >>> shift) & ((1 << bits) - 1);
    }

    private void write(byte[] block, int idx, long value) {
        write(block, idx, value, bits);
    }

    /** Sets entry {@code idx} of a refcount block of {@code bits}-bit entries. */
    static void write(byte[] block, int idx, long value, int bits) {
        if (bits >= 8) {
            int n = bits / 8;
            for (int i = n - 1; i >= 0; i--) {
                block[idx * n + i] = (byte) value;
                value >>>= 8;
            }
            return;
        }
        int perByte = 8 / bits;
        int shift = (idx % perByte) * bits;
        int mask = ((1 << bits) - 1) << shift;
        block[idx / perByte] = (byte) ((block[idx / perByte] & ~mask) | ((int) value << shift & mask));
    }
}
