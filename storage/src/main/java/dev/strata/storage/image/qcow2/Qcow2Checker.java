package dev.strata.storage.image.qcow2;

import dev.strata.storage.StorageException;
import dev.strata.storage.image.ImageFiles;
import dev.strata.storage.image.ImageFinding;
import dev.strata.storage.image.ImageFinding.Severity;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a qcow2 file as {@code qemu-img check} does: every table pointer inside the file and on a cluster boundary,
 * no cluster used twice, and every cluster's refcount equal to its uses. A refcount above the uses is a leak (what an
 * interrupted write leaves), which {@link #repair} gives back; one below is corruption, unless the image is marked
 * dirty (lazy refcounts), when repair recomputes the refcounts and clears the mark.
 */
final class Qcow2Checker {
    /** The most file clusters a check tracks (an int and a byte each). */
    static final long MAX_CHECKED_CLUSTERS = 1L << 27;

    private static final String[] KINDS = {"unused", "the header", "the refcount table", "a refcount block",
        "the L1 table", "an L2 table", "data", "compressed data"};
    private static final byte HEADER = 1;
    private static final byte REFTABLE = 2;
    private static final byte REFBLOCK = 3;
    private static final byte L1 = 4;
    private static final byte L2 = 5;
    private static final byte DATA = 6;
    private static final byte COMPRESSED = 7;

    private Qcow2Checker() {
    }

    /** What a check found, and the uses it counted, for repair. */
    static final class Analysis {
        final List<ImageFinding> findings = new ArrayList<>();
        Qcow2Header header;
        int[] uses;
        byte[] kind;
        long[] refTable;
        /** Clusters whose refcount is above their uses (leaks) or, in a dirty image, below them. */
        final List<long[]> wrong = new ArrayList<>();
        long leaked;
        long allocated;

        boolean hasErrors() {
            return findings.stream().anyMatch(f -> f.severity() == Severity.ERROR);
        }

        void error(String field, long offset, String message) {
            findings.add(new ImageFinding(Severity.ERROR, field, offset, message));
        }
    }

    static List<ImageFinding> check(Path path, FileChannel ch) throws IOException {
        Analysis a = analyse(path, ch);
        return a.findings;
    }

    static Analysis analyse(Path path, FileChannel ch) throws IOException {
        Analysis a = new Analysis();
        long length = ch.size();
        Qcow2Header h;
        try {
            h = Qcow2Opener.readHeader(path, ch, length);
        } catch (StorageException e) {
            a.error("header", 0, strip(path, e));
            return a;
        }
        a.header = h;
        int cs = h.clusterSize();
        long clusters = (length + cs - 1) >>> h.clusterBits;
        if (clusters > MAX_CHECKED_CLUSTERS) {
            a.findings.add(new ImageFinding(Severity.WARNING, "file", -1, "has " + clusters + " clusters, more than "
                    + "Strata checks (" + MAX_CHECKED_CLUSTERS + "); use qemu-img check"));
            return a;
        }
        a.uses = new int[(int) clusters];
        a.kind = new byte[(int) clusters];
        use(a, 0, cs, HEADER, "header", 0);
        if (h.dirty()) {
            a.findings.add(new ImageFinding(Severity.WARNING, "incompatible_features", Qcow2Header.OFF_INCOMPATIBLE,
                    "the dirty bit is set: a writer with lazy refcounts did not close the image; `strata medium "
                            + "check --repair` recomputes the refcounts"));
        }
        if (h.corrupt()) {
            a.findings.add(new ImageFinding(Severity.WARNING, "incompatible_features", Qcow2Header.OFF_INCOMPATIBLE,
                    "QEMU marked the image corrupt; Strata opens it read-only only"));
        }
        try {
            a.refTable = Qcow2Refcounts.readTable(path, ch, h, length);
            use(a, h.refcountTableOffset, (long) h.refcountTableClusters * cs, REFTABLE, "refcount table",
                    Qcow2Header.OFF_REFTABLE_OFFSET);
            for (int i = 0; i < a.refTable.length; i++) {
                long off = a.refTable[i];
                if (off != 0 && pointer(a, off, cs, length, "refcount table entry " + i,
                        h.refcountTableOffset + 8L * i)) {
                    use(a, off, cs, REFBLOCK, "refcount table entry " + i, h.refcountTableOffset + 8L * i);
                }
            }
        } catch (StorageException e) {
            a.error("refcount_table_offset", Qcow2Header.OFF_REFTABLE_OFFSET, strip(path, e));
            a.refTable = null;
        }
        long[] l1;
        try {
            l1 = Qcow2Opener.readL1(path, ch, h, length);
        } catch (StorageException e) {
            a.error("l1_table_offset", Qcow2Header.OFF_L1_OFFSET, strip(path, e));
            return a;
        }
        if (l1.length > 0) {
            use(a, h.l1Offset, 8L * l1.length, L1, "L1 table", Qcow2Header.OFF_L1_OFFSET);
        }
        walkL1(a, ch, h, l1, length);
        if (h.snapshotCount != 0) {
            a.findings.add(new ImageFinding(Severity.WARNING, "nb_snapshots", Qcow2Header.OFF_SNAPSHOT_COUNT,
                    "the image has " + h.snapshotCount + " internal snapshots, whose tables Strata does not check; "
                            + "refcounts were not compared; use qemu-img check"));
        } else if (a.refTable != null && !a.hasErrors()) {
            compareRefcounts(a, ch, h);
        }
        a.findings.add(new ImageFinding(Severity.INFO, "summary", -1, "QCOW2 version " + h.version + " (compat "
                + h.compat() + "), " + h.size + " bytes, " + cs + "-byte clusters, " + a.allocated + " of "
                + ((h.size + cs - 1) / cs) + " clusters allocated" + (a.leaked > 0 ? ", " + a.leaked
                + " leaked" : "") + (h.backingFile != null ? ", backing file " + h.backingFile : "")));
        return a;
    }

    private static void walkL1(Analysis a, FileChannel ch, Qcow2Header h, long[] l1, long length) throws IOException {
        int cs = h.clusterSize();
        int entries = cs / 8;
        for (int i = 0; i < l1.length; i++) {
            long at = h.l1Offset + 8L * i;
            long t = Qcow2Entries.offset(l1[i]);
            if ((l1[i] & Qcow2Entries.L1_RESERVED) != 0) {
                a.error("L1 entry " + i, at, "has reserved bits set (0x" + Long.toHexString(l1[i]) + ")");
                continue;
            }
            if (t == 0 || !pointer(a, t, cs, length, "L1 entry " + i, at)) {
                continue;
            }
            if (!use(a, t, cs, L2, "L1 entry " + i, at)) {
                continue;
            }
            long[] table = Qcow2Tables.readLongs(ch, t, entries);
            for (int j = 0; j < entries; j++) {
                long e = table[j];
                long eat = t + 8L * j;
                String field = "L2 entry " + j + " (guest cluster " + ((long) i * entries + j) + ")";
                if (Qcow2Entries.compressed(e)) {
                    long off = Qcow2Entries.compressedOffset(e, h.clusterBits);
                    long end = off + Qcow2Entries.compressedLength(e, h.clusterBits);
                    if (off >= length) {
                        a.error(field, eat, "points to compressed data at " + ImageFiles.hex(off) + ", past the end "
                                + "of the file (" + length + " bytes)");
                        continue;
                    }
                    a.allocated++;
                    for (long c = off >>> h.clusterBits; c <= (Math.min(end, length) - 1) >>> h.clusterBits; c++) {
                        use(a, c << h.clusterBits, cs, COMPRESSED, field, eat);
                    }
                    continue;
                }
                if ((e & Qcow2Entries.L2_RESERVED) != 0 || (h.version < 3 && (e & Qcow2Entries.ZERO) != 0)) {
                    a.error(field, eat, "has reserved bits set (0x" + Long.toHexString(e) + ")");
                    continue;
                }
                long off = Qcow2Entries.offset(e);
                if (off != 0 && pointer(a, off, cs, length, field, eat)) {
                    if (!Qcow2Entries.zero(e)) {
                        a.allocated++;
                    }
                    use(a, off, cs, DATA, field, eat);
                }
            }
        }
    }

    /** True when {@code off} is on a cluster boundary and its cluster starts inside the file; else an error. */
    private static boolean pointer(Analysis a, long off, int cs, long length, String field, long at) {
        if ((off & (cs - 1)) != 0) {
            a.error(field, at, "points to " + ImageFiles.hex(off) + ", which is not on a cluster boundary");
            return false;
        }
        if (off < 0 || off >= length) {
            a.error(field, at, "points to " + ImageFiles.hex(off) + ", past the end of the file (" + length
                    + " bytes)");
            return false;
        }
        return true;
    }

    /** Counts a use of the clusters of {@code len} bytes at {@code off}; false (and an error) when one is taken. */
    private static boolean use(Analysis a, long off, long len, byte kind, String field, long at) {
        int cs = a.header.clusterSize();
        boolean ok = true;
        for (long c = off >>> a.header.clusterBits; c < (off + len + cs - 1) >>> a.header.clusterBits; c++) {
            if (c >= a.uses.length) {
                a.error(field, at, "points to " + ImageFiles.hex(off) + " (" + len + " bytes), past the end of the "
                        + "file");
                return false;
            }
            byte before = a.kind[(int) c];
            if (before != 0 && !(before == COMPRESSED && kind == COMPRESSED)) {
                a.error(field, at, "uses the cluster at " + ImageFiles.hex(c << a.header.clusterBits) + " for "
                        + KINDS[kind] + ", but it already holds " + KINDS[before] + " (overlapping clusters)");
                ok = false;
                continue;
            }
            a.kind[(int) c] = kind;
            a.uses[(int) c]++;
        }
        return ok;
    }

    private static void compareRefcounts(Analysis a, FileChannel ch, Qcow2Header h) throws IOException {
        int cs = h.clusterSize();
        int bits = 1 << h.refcountOrder;
        long perBlock = (long) cs * 8 / bits;
        boolean dirty = h.dirty();
        for (int bi = 0; bi < a.refTable.length; bi++) {
            long first = bi * perBlock;
            if (a.refTable[bi] == 0) {
                for (long c = first; c < Math.min(a.uses.length, first + perBlock); c++) {
                    if (a.uses[(int) c] > 0) {
                        refcountLow(a, c, 0, dirty, "no refcount block covers it");
                    }
                }
                continue;
            }
            byte[] block = new byte[cs];
            Qcow2Tables.readFully(ch, ByteBuffer.wrap(block), a.refTable[bi]);
            for (long c = first; c < first + perBlock; c++) {
                long rc = Qcow2Refcounts.read(block, (int) (c - first), bits);
                long used = c < a.uses.length ? a.uses[(int) c] : 0;
                if (rc > used) {
                    a.leaked++;
                    a.wrong.add(new long[] {c, used});
                } else if (rc < used) {
                    refcountLow(a, c, rc, dirty, "refcount " + rc);
                }
            }
        }
        for (long c = (long) a.refTable.length * perBlock; c < a.uses.length; c++) {
            if (a.uses[(int) c] > 0) {
                refcountLow(a, c, 0, dirty, "it lies past what the refcount table covers");
            }
        }
        if (a.leaked > 0) {
            a.findings.add(new ImageFinding(Severity.WARNING, "refcounts", h.refcountTableOffset, a.leaked
                    + " leaked clusters (counted as used, but nothing uses them), as an interrupted write leaves; "
                    + "`strata medium check --repair` gives them back"));
        }
    }

    private static void refcountLow(Analysis a, long c, long rc, boolean dirty, String why) {
        long used = a.uses[(int) c];
        if (dirty) {
            a.wrong.add(new long[] {c, used});
            return;
        }
        a.error("refcount of cluster " + c, c << a.header.clusterBits, "is " + rc + " (" + why + ") but " + used
                + " use" + (used == 1 ? "" : "s") + " of it were found; the image is corrupt: copy its data out or "
                + "repair it with qemu-img check -r all");
    }

    /** Sets wrong refcounts to the uses found (leaks, or any in a dirty image) and clears the dirty bit. */
    static List<ImageFinding> repair(Path path) throws IOException {
        List<ImageFinding> done = new ArrayList<>();
        try (FileChannel ch = ImageFiles.open(path, false)) {
            Analysis a = analyse(path, ch);
            if (a.hasErrors()) {
                ImageFinding err = a.findings.stream().filter(f -> f.severity() == Severity.ERROR).findFirst()
                        .orElseThrow();
                throw new StorageException(path, "cannot be repaired: " + err.describe()
                        + "; restore the image from a backup");
            }
            Qcow2Header h = a.header;
            if (h.snapshotCount != 0) {
                throw new StorageException(path, "has internal snapshots, which Strata does not repair; use "
                        + "qemu-img check -r leaks");
            }
            if (a.refTable == null || a.wrong.isEmpty() && !h.dirty()) {
                return done;
            }
            Qcow2Refcounts rc = Qcow2Refcounts.load(path, ch, h, ch.size());
            for (long[] w : a.wrong) {
                rc.set(w[0], w[1]);
            }
            if (!a.wrong.isEmpty()) {
                done.add(new ImageFinding(Severity.INFO, "refcounts", h.refcountTableOffset, "set " + a.wrong.size()
                        + " refcounts to the uses found (" + a.leaked + " leaked clusters given back)"));
            }
            ch.force(false);
            if (h.dirty()) {
                ImageFiles.writeAll(ch, ByteBuffer.allocate(8).putLong(0, h.incompatible & ~Qcow2Header.INCOMPAT_DIRTY),
                        Qcow2Header.OFF_INCOMPATIBLE);
                done.add(new ImageFinding(Severity.INFO, "incompatible_features", Qcow2Header.OFF_INCOMPATIBLE,
                        "cleared the dirty bit"));
            }
            ch.force(true);
        }
        return done;
    }

    private static String strip(Path path, StorageException e) {
        String m = String.valueOf(e.getMessage());
        String prefix = path + ": ";
        return m.startsWith(prefix) ? m.substring(prefix.length()) : m;
    }
}
