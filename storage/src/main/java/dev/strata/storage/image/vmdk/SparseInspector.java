package dev.strata.storage.image.vmdk;

import static dev.strata.storage.image.vmdk.SparseHeader.SECTOR;

import dev.strata.storage.image.ImageFinding;
import dev.strata.storage.image.ImageFinding.Severity;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a hosted sparse extent's header, grain directories and grain tables without writing anything, and lists
 * everything wrong with them: fields out of range, tables or grains past the end of the file or on top of each
 * other, and the two directories disagreeing. {@link SparseExtent} opens only extents with no error finding.
 */
final class SparseInspector {
    /** Grains Strata tracks per extent: 2 TiB of 64 KiB grains, which is all a hosted sparse extent addresses. */
    static final long MAX_GRAINS = 1L << 25;
    /** Reports per kind of table problem before the rest are counted, so a wrecked table stays readable. */
    private static final int MAX_REPORTS = 8;

    private SparseInspector() {
    }

    /** What an inspection found; the tables are null when the header is too damaged to read them. */
    static final class Inspection {
        final long fileLength;
        final List<ImageFinding> findings = new ArrayList<>();
        SparseHeader header;
        /** Where the header in use was read: 0, or the footer's place for a stream-optimized extent. */
        long headerOffset;
        /** The grain directory's and redundant directory's entries: grain table sectors, 0 for none. */
        long[] gd;
        long[] rgd;
        /** Every grain's entry in the primary and redundant tables, in grain order. */
        int[] gte;
        int[] rgte;
        long allocatedGrains;
        /** The first sector after everything the extent's tables and grains use. */
        long usedEnd;
        /** Redundant entries behind the primary ones (what an interrupted update leaves): grain indexes. */
        final List<Long> laggingEntries = new ArrayList<>();
        /** Grain tables the redundant directory does not point to yet although the primary one does. */
        final List<Integer> laggingTables = new ArrayList<>();
        private final int[] reports = new int[4];

        Inspection(long fileLength) {
            this.fileLength = fileLength;
        }

        ImageFinding firstError() {
            return findings.stream().filter(f -> f.severity() == Severity.ERROR).findFirst().orElse(null);
        }

        long errorCount() {
            return findings.stream().filter(f -> f.severity() == Severity.ERROR).count();
        }

        void add(Severity s, String field, long offset, String message) {
            findings.add(new ImageFinding(s, field, offset, message));
        }

        /** Adds a finding of a kind that may repeat for many entries, up to {@link #MAX_REPORTS} of that kind. */
        void addCounted(int kind, Severity s, String field, long offset, String message) {
            if (++reports[kind] <= MAX_REPORTS) {
                add(s, field, offset, message);
            }
        }

        void summariseCounts() {
            String[] what = {"grain table entries past the end of the file", "overlapping areas",
                "lagging redundant entries", "entries where the two directories disagree"};
            for (int k = 0; k < reports.length; k++) {
                if (reports[k] > MAX_REPORTS) {
                    add(k == 2 ? Severity.WARNING : Severity.ERROR, "grain tables", -1, (reports[k] - MAX_REPORTS)
                            + " more " + what[k] + " not listed");
                }
            }
        }

        boolean usable() {
            return firstError() == null && gte != null;
        }
    }

    static boolean isSparse(byte[] head) {
        return head.length >= 4 && SparseHeader.magic(head) == SparseHeader.MAGIC;
    }

    static Inspection inspect(FileChannel ch) throws IOException {
        Inspection in = new Inspection(ch.size());
        long length = in.fileLength;
        if (length < SECTOR) {
            in.add(Severity.ERROR, "header", 0, "the file is only " + length + " bytes long but a sparse extent "
                    + "header needs 512; the file was truncated: restore it from a backup");
            return in;
        }
        byte[] first = read(ch, 0, SECTOR);
        if (SparseHeader.magic(first) != SparseHeader.MAGIC) {
            in.add(Severity.ERROR, "magicNumber", SparseHeader.OFF_MAGIC, "is not KDMV, so this is not a hosted "
                    + "sparse extent; the file was damaged or replaced: restore it from a backup");
            return in;
        }
        SparseHeader h = SparseHeader.decode(first);
        if (h.gdOffset() == SparseHeader.GD_AT_END && length >= 3 * SECTOR) {
            // A stream-optimized extent keeps its real header (with the directory's place) in a footer.
            byte[] footer = read(ch, length - 2 * SECTOR, SECTOR);
            if (SparseHeader.magic(footer) == SparseHeader.MAGIC) {
                h = SparseHeader.decode(footer);
                in.headerOffset = length - 2 * SECTOR;
            }
        }
        in.header = h;
        if (!checkHeader(in, h)) {
            return in;
        }
        readTables(ch, in, h);
        if (in.gte != null) {
            checkLayout(in, h);
            in.summariseCounts();
        }
        return in;
    }

    private static boolean checkHeader(Inspection in, SparseHeader h) {
        long at = in.headerOffset;
        long lengthSectors = in.fileLength / SECTOR;
        if (h.version() < 1 || h.version() > 3) {
            in.add(Severity.ERROR, "version", at + SparseHeader.OFF_VERSION, "is " + h.version() + ", but hosted "
                    + "sparse extents are versions 1 to 3; the header is damaged or from a newer VMware: convert the "
                    + "disk with the tool that made it");
        }
        if ((h.flags() & ~SparseHeader.FLAGS_KNOWN) != 0) {
            in.add(Severity.WARNING, "flags", at + SparseHeader.OFF_FLAGS, "has unknown bits set (0x"
                    + Integer.toHexString(h.flags()) + "); Strata ignores them");
        }
        if (h.grainSize() < 1 || h.grainSize() > 2048 || Long.bitCount(h.grainSize()) != 1) {
            in.add(Severity.ERROR, "grainSize", at + SparseHeader.OFF_GRAIN_SIZE, "is " + h.grainSize()
                    + " sectors; it must be a power of two from 1 to 2048 sectors (1 MiB); the header is damaged");
            return false;
        }
        if (h.capacity() <= 0 || h.grains() > MAX_GRAINS) {
            in.add(Severity.ERROR, "capacity", at + SparseHeader.OFF_CAPACITY, "is " + h.capacity() + " sectors; "
                    + (h.capacity() <= 0 ? "a disk needs at least one" : "more than the " + MAX_GRAINS
                    + " grains Strata tracks in one extent") + "; the header is damaged");
            return false;
        }
        if (h.gtesPerGt() != SparseHeader.GTES_PER_GT) {
            in.add(Severity.ERROR, "numGTEsPerGT", at + SparseHeader.OFF_GTES_PER_GT, "is " + h.gtesPerGt()
                    + "; hosted sparse extents have 512 entries per grain table; the header is damaged");
            return false;
        }
        if (h.compressed() && h.compressAlgorithm() != SparseHeader.COMPRESS_DEFLATE) {
            in.add(Severity.ERROR, "compressAlgorithm", at + SparseHeader.OFF_COMPRESS, "is "
                    + h.compressAlgorithm() + "; Strata reads deflate (1) only");
            return false;
        }
        if (h.descriptorOffset() != 0 && (h.descriptorOffset() < 0 || h.descriptorSize() < 0
                || h.descriptorSize() > 2048 || h.descriptorOffset() + h.descriptorSize() > lengthSectors)) {
            in.add(Severity.ERROR, "descriptorOffset", at + SparseHeader.OFF_DESCRIPTOR_OFFSET, "the descriptor ("
                    + h.descriptorSize() + " sectors at sector " + h.descriptorOffset() + ") is not inside the "
                    + in.fileLength + "-byte file; the header is damaged or the file truncated");
        }
        boolean ok = checkDirectory(in, "gdOffset", at + SparseHeader.OFF_GD_OFFSET, h.gdOffset(), h);
        if (h.redundant()) {
            ok &= checkDirectory(in, "rgdOffset", at + SparseHeader.OFF_RGD_OFFSET, h.rgdOffset(), h);
        }
        return ok && in.firstError() == null;
    }

    private static boolean checkDirectory(Inspection in, String field, long at, long offset, SparseHeader h) {
        long lengthSectors = in.fileLength / SECTOR;
        if (offset <= 0 || offset > lengthSectors || h.gdSectors() > lengthSectors - offset) {
            in.add(Severity.ERROR, field, at, "the grain directory (" + h.gdSectors() + " sectors at sector "
                    + offset + ") is not inside the " + in.fileLength + "-byte file; the header is damaged or "
                    + "the file truncated: restore it from a backup");
            return false;
        }
        return true;
    }

    private static void readTables(FileChannel ch, Inspection in, SparseHeader h) throws IOException {
        int gts = (int) h.gtCount();
        in.gd = readDirectory(ch, h.gdOffset(), gts);
        in.rgd = h.redundant() ? readDirectory(ch, h.rgdOffset(), gts) : null;
        int grains = (int) h.grains();
        in.gte = new int[grains];
        in.rgte = h.redundant() ? new int[grains] : null;
        long lengthSectors = in.fileLength / SECTOR;
        int perGt = h.gtesPerGt();
        for (int t = 0; t < gts; t++) {
            int n = Math.min(perGt, grains - t * perGt);
            if (tableInFile(in, "grain directory entry " + t, h.gdOffset() * SECTOR + 4L * t, in.gd[t], h,
                    lengthSectors)) {
                readTable(ch, in.gd[t], in.gte, t * perGt, n);
            }
            if (in.rgd != null && tableInFile(in, "redundant grain directory entry " + t,
                    h.rgdOffset() * SECTOR + 4L * t, in.rgd[t], h, lengthSectors)) {
                readTable(ch, in.rgd[t], in.rgte, t * perGt, n);
            }
        }
    }

    private static boolean tableInFile(Inspection in, String field, long at, long gt, SparseHeader h,
                                       long lengthSectors) {
        if (gt == 0) {
            return false;
        }
        if (gt > lengthSectors - h.gtSectors()) {
            in.add(Severity.ERROR, field, at, "points to a grain table at sector " + gt + ", past the end of the "
                    + in.fileLength + "-byte file; the file was truncated or damaged: restore it from a backup");
            return false;
        }
        return true;
    }

    private static long[] readDirectory(FileChannel ch, long sector, int entries) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(read(ch, sector * SECTOR, entries * 4)).order(ByteOrder.LITTLE_ENDIAN);
        long[] d = new long[entries];
        for (int i = 0; i < entries; i++) {
            d[i] = bb.getInt() & 0xFFFFFFFFL;
        }
        return d;
    }

    private static void readTable(FileChannel ch, long sector, int[] into, int from, int n) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(read(ch, sector * SECTOR, n * 4)).order(ByteOrder.LITTLE_ENDIAN);
        bb.asIntBuffer().get(into, from, n);
    }

    /** One area of the file that something owns, for the overlap check. */
    private record Area(long start, long end, String what, String field, long fieldOffset) {
    }

    private static void checkLayout(Inspection in, SparseHeader h) {
        long lengthSectors = (in.fileLength + SECTOR - 1) / SECTOR;
        List<Area> areas = new ArrayList<>();
        areas.add(new Area(0, 1, "the header", "header", 0));
        if (in.headerOffset > 0) {
            areas.add(new Area(in.headerOffset / SECTOR, in.headerOffset / SECTOR + 1, "the footer", "footer",
                    in.headerOffset));
        }
        if (h.descriptorOffset() > 0) {
            areas.add(new Area(h.descriptorOffset(), h.descriptorOffset() + h.descriptorSize(), "the descriptor",
                    "descriptorOffset", SparseHeader.OFF_DESCRIPTOR_OFFSET));
        }
        areas.add(new Area(h.gdOffset(), h.gdOffset() + h.gdSectors(), "the grain directory", "gdOffset",
                in.headerOffset + SparseHeader.OFF_GD_OFFSET));
        if (in.rgd != null) {
            areas.add(new Area(h.rgdOffset(), h.rgdOffset() + h.gdSectors(), "the redundant grain directory",
                    "rgdOffset", in.headerOffset + SparseHeader.OFF_RGD_OFFSET));
        }
        for (int t = 0; t < in.gd.length; t++) {
            if (in.gd[t] != 0) {
                areas.add(new Area(in.gd[t], in.gd[t] + h.gtSectors(), "grain table " + t,
                        "grain directory entry " + t, h.gdOffset() * SECTOR + 4L * t));
            }
            if (in.rgd != null && in.rgd[t] != 0) {
                areas.add(new Area(in.rgd[t], in.rgd[t] + h.gtSectors(), "redundant grain table " + t,
                        "redundant grain directory entry " + t, h.rgdOffset() * SECTOR + 4L * t));
            }
        }
        long grainSectors = h.compressed() ? 1 : h.grainSize();
        int perGt = h.gtesPerGt();
        for (int g = 0; g < in.gte.length; g++) {
            long e = in.gte[g] & 0xFFFFFFFFL;
            int t = g / perGt;
            long entryAt = in.gd[t] * SECTOR + 4L * (g % perGt);
            if (in.rgte != null && in.gd[t] != 0 && in.rgd[t] != 0) {
                compareRedundant(in, g, e, in.rgte[g] & 0xFFFFFFFFL, entryAt);
            }
            if (e == 0 || e == 1 && h.zeroGrains()) {
                continue;
            }
            String field = "grain table " + t + " entry " + (g % perGt);
            if (e >= lengthSectors) {
                in.addCounted(0, Severity.ERROR, field, entryAt, "points grain " + g + " to sector " + e
                        + ", past the end of the " + in.fileLength + "-byte file; the file was truncated or damaged:"
                        + " restore it from a backup");
                continue;
            }
            in.allocatedGrains++;
            areas.add(new Area(e, e + grainSectors, "grain " + g, field, entryAt));
        }
        if (in.rgd != null) {
            for (int t = 0; t < in.gd.length; t++) {
                if (in.gd[t] != 0 && in.rgd[t] == 0) {
                    in.laggingTables.add(t);
                    in.add(Severity.WARNING, "redundant grain directory entry " + t, h.rgdOffset() * SECTOR + 4L * t,
                            "is empty while the grain directory has a table there (an interrupted update); "
                            + "`strata medium check --repair` copies it");
                } else if (in.gd[t] == 0 && in.rgd[t] != 0) {
                    in.add(Severity.ERROR, "grain directory entry " + t, h.gdOffset() * SECTOR + 4L * t, "is empty "
                            + "but the redundant grain directory points to a table; the two directories disagree: "
                            + "restore the image from a backup");
                }
            }
        }
        areas.sort((a, b) -> Long.compare(a.start, b.start));
        Area reach = null;
        long end = 0;
        for (Area a : areas) {
            if (reach != null && a.start < reach.end) {
                in.addCounted(1, Severity.ERROR, a.field, a.fieldOffset, a.what + " (sector " + a.start
                        + ") overlaps " + reach.what + " (sectors " + reach.start + " to " + (reach.end - 1)
                        + "); the image is damaged: restore it from a backup");
            }
            if (reach == null || a.end > reach.end) {
                reach = a;
            }
            end = Math.max(end, a.end);
        }
        in.usedEnd = end;
    }

    private static void compareRedundant(Inspection in, int g, long e, long r, long entryAt) {
        if (e == r) {
            return;
        }
        if (r == 0) {
            in.laggingEntries.add((long) g);
            in.addCounted(2, Severity.WARNING, "redundant grain table entry for grain " + g, -1, "is empty while "
                    + "the grain table has grain " + g + " at sector " + e + " (an interrupted update); `strata "
                    + "medium check --repair` copies it");
        } else {
            in.addCounted(3, Severity.ERROR, "grain table entry for grain " + g, entryAt, "says sector " + e
                    + " but the redundant grain table says sector " + r + "; the two directories disagree: "
                    + "restore the image from a backup");
        }
    }

    static byte[] read(FileChannel ch, long pos, int len) throws IOException {
        ByteBuffer bb = ByteBuffer.allocate(len);
        while (bb.hasRemaining()) {
            if (ch.read(bb, pos + bb.position()) < 0) {
                break;
            }
        }
        return Arrays.copyOf(bb.array(), len);
    }
}
