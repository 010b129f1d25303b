package dev.strata.storage.image.qcow2;

import dev.strata.storage.StorageException;
import dev.strata.storage.image.ImageFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/**
 * Opens a qcow2 file: the header, then the L1 table and every L2 table it points to, each entry checked (on a cluster
 * boundary, inside the file, not on the image's own metadata) before anything is used. Opening never writes.
 */
final class Qcow2Opener {
    /** The largest L1 table Strata reads, as QEMU limits it (32 MiB). */
    static final long MAX_L1_BYTES = 32L << 20;
    /** The most guest clusters Strata tracks in memory (two bits each). */
    static final long MAX_CLUSTERS = 1L << 30;

    private Qcow2Opener() {
    }

    static Qcow2Image open(Path path, boolean readOnly, UUID recordedUuid) throws IOException {
        FileChannel ch = ImageFiles.open(path, readOnly);
        try {
            long length = ch.size();
            Qcow2Header h = readHeader(path, ch, length);
            refuseWriting(path, h, readOnly);
            long[] l1 = readL1(path, ch, h, length);
            // damaged refcounts are found now, not at a first write, and a reader is not handed a file a writer refuses
            Qcow2Refcounts refcounts = Qcow2Refcounts.load(path, ch, h, length);
            return scan(path, ch, readOnly, h, l1, length, recordedUuid, refcounts);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** Reads the header from the file's first cluster. */
    static Qcow2Header readHeader(Path path, FileChannel ch, long length) throws IOException {
        byte[] start = read(ch, 0, (int) Math.min(Qcow2Header.V3_LENGTH, length));
        int bits = start.length >= 24 ? ByteBuffer.wrap(start).getInt(Qcow2Header.OFF_CLUSTER_BITS) : 0;
        int cluster = bits >= Qcow2Header.MIN_CLUSTER_BITS && bits <= Qcow2Header.MAX_CLUSTER_BITS ? 1 << bits
                : start.length;
        return Qcow2Header.parse(path, read(ch, 0, (int) Math.min(cluster, length)), length);
    }

    private static byte[] read(FileChannel ch, long pos, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        Qcow2Tables.readFully(ch, b, pos);
        return b.array();
    }

    private static void refuseWriting(Path path, Qcow2Header h, boolean readOnly) throws StorageException {
        if (readOnly) {
            return;
        }
        if (h.snapshotCount != 0) {
            throw new StorageException(path, "has " + h.snapshotCount + " internal qcow2 snapshots (nb_snapshots at "
                    + "byte offset " + ImageFiles.hex(Qcow2Header.OFF_SNAPSHOT_COUNT) + "), which Strata does not "
                    + "support: it reads such an image read-only; to write it, delete the snapshots (qemu-img snapshot "
                    + "-d) or convert it (qemu-img convert -O qcow2)");
        }
        if (h.corrupt()) {
            throw new StorageException(path, "is marked corrupt (bit 1 of incompatible_features at byte offset "
                    + ImageFiles.hex(Qcow2Header.OFF_INCOMPATIBLE) + "); Strata opens it read-only only; copy the "
                    + "data out, or repair it with qemu-img check -r all");
        }
        if (h.dirty()) {
            throw new StorageException(path, "is marked dirty (bit 0 of incompatible_features at byte offset "
                    + ImageFiles.hex(Qcow2Header.OFF_INCOMPATIBLE) + "): a writer using lazy refcounts did not close "
                    + "it, so its refcounts may be stale; run `strata medium check --repair` on it (or qemu-img check -r all) "
                    + "before writing");
        }
    }

    /** The L1 table, checked to cover the disk and to lie inside the file. */
    static long[] readL1(Path path, FileChannel ch, Qcow2Header h, long length) throws IOException {
        long l2Entries = h.clusterSize() / 8;
        long clusters = (h.size + h.clusterSize() - 1) >>> h.clusterBits;
        long need = (clusters + l2Entries - 1) / l2Entries;
        long l1Size = h.l1Size & 0xFFFFFFFFL;
        if (l1Size < need || l1Size * 8 > MAX_L1_BYTES) {
            throw Qcow2Header.bad(path, "l1_size", Qcow2Header.OFF_L1_SIZE, Long.toString(l1Size), "a disk of "
                    + h.size + " bytes needs " + need + " L1 entries, and an L1 table is at most "
                    + (MAX_L1_BYTES >> 20) + " MiB");
        }
        if (l1Size == 0) {
            return new long[0];
        }
        Qcow2Tables.requireRegion(path, "l1_table_offset", Qcow2Header.OFF_L1_OFFSET, h.l1Offset, l1Size * 8,
                h.clusterSize(), length);
        return Qcow2Tables.readLongs(ch, h.l1Offset, (int) l1Size);
    }

    /** Checks every L1 and L2 entry and builds the image's maps of allocated and zero clusters. */
    private static Qcow2Image scan(Path path, FileChannel ch, boolean readOnly, Qcow2Header h, long[] l1, long length,
                                   UUID recordedUuid, Qcow2Refcounts refcounts) throws IOException {
        int cs = h.clusterSize();
        int l2Entries = cs / 8;
        long clusters = (h.size + cs - 1) >>> h.clusterBits;
        if (clusters > MAX_CLUSTERS) {
            throw new StorageException(path, "has " + clusters + " clusters of " + cs + " bytes (size at byte offset "
                    + ImageFiles.hex(Qcow2Header.OFF_SIZE) + " is " + h.size + "), more than Strata tracks ("
                    + MAX_CLUSTERS + "); convert it with larger clusters, e.g. qemu-img convert -O qcow2 -o "
                    + "cluster_size=2M");
        }
        long[] allocated = new long[(int) ((clusters + 63) >>> 6)];
        long[] zero = new long[allocated.length];
        long l1End = h.l1Offset + 8L * l1.length;
        long refEnd = h.refcountTableOffset + ((long) h.refcountTableClusters << h.clusterBits);
        Set<Long> tables = new HashSet<>();
        long allocatedCount = 0;
        long preallocatedZero = 0;
        int capacity = Math.max(4, Math.min(64, (32 << 20) / cs));
        Qcow2L2Cache cache = new Qcow2L2Cache(ch, l2Entries, capacity);
        for (int i = 0; i < l1.length; i++) {
            long e = l1[i];
            long at = h.l1Offset + 8L * i;
            long t = Qcow2Entries.offset(e);
            if ((e & Qcow2Entries.L1_RESERVED) != 0) {
                throw entryError(path, "L1 entry " + i, at, e, "has reserved bits set");
            }
            if (t == 0) {
                continue;
            }
            if ((t & (cs - 1)) != 0) {
                throw entryError(path, "L1 entry " + i, at, e, "points to an L2 table that is not on a cluster boundary");
            }
            if (t > length - cs) {
                throw entryError(path, "L1 entry " + i, at, e, "points to an L2 table past the end of the file ("
                        + length + " bytes)");
            }
            if (t < cs || overlaps(t, cs, h.l1Offset, l1End) || overlaps(t, cs, h.refcountTableOffset, refEnd)) {
                throw entryError(path, "L1 entry " + i, at, e, "points to an L2 table on the image's own header, L1 "
                        + "table or refcount table");
            }
            if (!tables.add(t)) {
                throw entryError(path, "L1 entry " + i, at, e, "points to an L2 table another L1 entry uses too");
            }
        }
        for (int i = 0; i < l1.length; i++) {
            long t = Qcow2Entries.offset(l1[i]);
            if (t == 0) {
                continue;
            }
            long[] table = cache.get(t);
            for (int j = 0; j < l2Entries; j++) {
                long e = table[j];
                if (e == 0) {
                    continue;
                }
                long gc = (long) i * l2Entries + j;
                long at = t + 8L * j;
                if (gc >= clusters) {
                    continue;
                }
                if (Qcow2Entries.compressed(e)) {
                    long off = Qcow2Entries.compressedOffset(e, h.clusterBits);
                    if (off < cs || off >= length) {
                        throw entryError(path, "L2 entry " + j + " of the table", at, e, "points to compressed data "
                                + "outside the file (" + length + " bytes)");
                    }
                    Qcow2ClusterMap.setBit(allocated, gc, true);
                    allocatedCount++;
                    continue;
                }
                if ((e & Qcow2Entries.L2_RESERVED) != 0 || (h.version < 3 && (e & Qcow2Entries.ZERO) != 0)) {
                    throw entryError(path, "L2 entry " + j + " of the table", at, e, "has reserved bits set");
                }
                long off = Qcow2Entries.offset(e);
                if (off != 0) {
                    if ((off & (cs - 1)) != 0) {
                        throw entryError(path, "L2 entry " + j + " of the table", at, e, "points to a cluster that is "
                                + "not on a cluster boundary");
                    }
                    if (off >= length) {
                        throw entryError(path, "L2 entry " + j + " of the table", at, e, "points past the end of the "
                                + "file (" + length + " bytes)");
                    }
                    if (off < cs || tables.contains(off) || overlaps(off, cs, h.l1Offset, l1End)
                            || overlaps(off, cs, h.refcountTableOffset, refEnd)) {
                        throw entryError(path, "L2 entry " + j + " of the table", at, e, "points data at the image's "
                                + "own metadata (header, L1, L2 or refcount table)");
                    }
                }
                if (Qcow2Entries.zero(e)) {
                    Qcow2ClusterMap.setBit(zero, gc, true);
                    preallocatedZero += off != 0 ? 1 : 0;
                } else if (off != 0) {
                    Qcow2ClusterMap.setBit(allocated, gc, true);
                    allocatedCount++;
                }
            }
        }
        Qcow2ClusterMap map = new Qcow2ClusterMap(ch, h, l1, cache, allocated, zero, allocatedCount, refcounts);
        return new Qcow2Image(path, ch, readOnly, h, map, preallocatedZero, length, recordedUuid);
    }

    private static boolean overlaps(long off, long len, long start, long end) {
        return off < end && start < off + len;
    }

    private static StorageException entryError(Path path, String what, long at, long entry, String problem) {
        return new StorageException(path, what + " at byte offset " + ImageFiles.hex(at) + " (value 0x"
                + Long.toHexString(entry) + ") " + problem + "; the image is damaged: restore it from a backup, or "
                + "see what qemu-img check says");
    }
}
