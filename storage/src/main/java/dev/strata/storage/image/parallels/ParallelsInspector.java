package dev.strata.storage.image.parallels;

import dev.strata.storage.image.ImageFiles;
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
 * Reads a Parallels disk's header and catalog without writing anything, and lists everything wrong with them;
 * {@link ParallelsImage} opens only files without errors.
 */
final class ParallelsInspector {
    /** The largest disk Strata opens or makes: 2 TiB, a catalog of 2M entries in memory at 1 MiB clusters. */
    static final long MAX_SIZE = 2L << 40;
    private static final int MAX_REPORTS_PER_KIND = 8;

    private ParallelsInspector() {
    }

    /** What an inspection found, and the findings. */
    static final class Inspection {
        final long fileLength;
        final List<ImageFinding> findings = new ArrayList<>();
        ParallelsHeader header;
        /** Sector offsets of the clusters, 0 for a cluster the file does not hold. */
        long[] clusters;
        long allocated;
        /** The sector where the next cluster goes: after the last one in use. */
        long nextSector;

        Inspection(long fileLength) {
            this.fileLength = fileLength;
        }

        ImageFinding firstError() {
            return findings.stream().filter(f -> f.severity() == Severity.ERROR).findFirst().orElse(null);
        }

        long errorCount() {
            return findings.stream().filter(f -> f.severity() == Severity.ERROR).count();
        }

        void error(String field, long offset, String message) {
            findings.add(new ImageFinding(Severity.ERROR, field, offset, message));
        }
    }

    static Inspection inspect(FileChannel ch) throws IOException {
        Inspection in = new Inspection(ch.size());
        byte[] hb = read(ch, 0, ParallelsHeader.SIZE);
        if (in.fileLength < ParallelsHeader.SIZE || !ParallelsHeader.hasMagic(hb)) {
            in.error("magic", 0, "is not \"WithoutFreeSpace\" or \"WithouFreSpacExt\"; this is not a Parallels "
                    + "expanding disk or its header is damaged");
            return in;
        }
        ParallelsHeader h = ParallelsHeader.decode(hb);
        if (h.version() != ParallelsHeader.VERSION) {
            in.error("version", ParallelsHeader.OFF_VERSION, "is " + h.version() + "; Strata reads version 2, the one "
                    + "Parallels, VirtualBox and QEMU write");
            return in;
        }
        long spc = h.sectorsPerCluster();
        if (spc == 0 || Long.bitCount(spc) != 1 || spc > (256 << 20) / 512) {
            in.error("sectors per cluster", ParallelsHeader.OFF_SECTORS_PER_CLUSTER, "is " + spc + "; Strata opens "
                    + "clusters of a power of two sectors up to 256 MiB (normally 2048, 1 MiB)");
            return in;
        }
        long clusterBytes = spc * 512;
        if (h.sectors() <= 0 || h.sectors() > MAX_SIZE / 512) {
            in.error("sector count", ParallelsHeader.OFF_SECTORS, "is " + h.sectors() + "; a disk Strata opens has 1 "
                    + "to " + MAX_SIZE / 512 + " sectors (2 TiB)");
            return in;
        }
        long need = (h.sectors() * 512 + clusterBytes - 1) / clusterBytes;
        if (h.batEntries() < need || h.batEntries() > MAX_SIZE / clusterBytes + 1) {
            in.error("catalog entries", ParallelsHeader.OFF_BAT_ENTRIES, "is " + h.batEntries() + " but a disk of "
                    + h.sectors() + " sectors in clusters of " + spc + " sectors needs " + need + "; the header is "
                    + "damaged");
            return in;
        }
        long batEnd = ParallelsHeader.SIZE + 4 * h.batEntries();
        if (batEnd > in.fileLength) {
            in.error("catalog", ParallelsHeader.SIZE, "of " + h.batEntries() + " entries ends at byte offset "
                    + ImageFiles.hex(batEnd) + ", past the end of the file (" + in.fileLength + " bytes); the file was "
                    + "truncated: restore it from a backup");
            return in;
        }
        if (h.dataOffset() != 0 && h.dataOffset() * 512 < batEnd) {
            in.error("data offset", ParallelsHeader.OFF_DATA_OFFSET, "is sector " + h.dataOffset() + ", inside the "
                    + "catalog (which ends at byte offset " + ImageFiles.hex(batEnd) + "); the header is damaged");
            return in;
        }
        if (h.inUse() == ParallelsHeader.IN_USE) {
            in.findings.add(new ImageFinding(Severity.WARNING, "in use", ParallelsHeader.OFF_IN_USE, "is set: a writer"
                    + " did not close the image (a crash); Strata reads it, and `strata medium check --repair` clears"
                    + " the mark that makes QEMU refuse to write it"));
        }
        in.header = h;
        ByteBuffer bat = ByteBuffer.wrap(read(ch, ParallelsHeader.SIZE, (int) (4 * need)))
                .order(ByteOrder.LITTLE_ENDIAN);
        long[] clusters = new long[(int) need];
        long metaEnd = Math.max((batEnd + 511) / 512, h.dataOffset());
        long next = metaEnd;
        int pastEnd = 0;
        int onMeta = 0;
        long[][] used = new long[(int) need][];
        int n = 0;
        for (int i = 0; i < need; i++) {
            long e = bat.getInt(i * 4) & 0xFFFFFFFFL;
            if (e == 0) {
                continue;
            }
            long sector = e * h.entryUnit();
            long at = ParallelsHeader.SIZE + 4L * i;
            if (sector * 512 >= in.fileLength) {
                if (pastEnd++ < MAX_REPORTS_PER_KIND) {
                    in.error("catalog entry " + i, at, "points at byte offset " + ImageFiles.hex(sector * 512)
                            + ", past the end of the file (" + in.fileLength + " bytes); restore the image from a backup");
                }
                continue;
            }
            if (sector < metaEnd) {
                if (onMeta++ < MAX_REPORTS_PER_KIND) {
                    in.error("catalog entry " + i, at, "puts cluster " + i + " at byte offset "
                            + ImageFiles.hex(sector * 512) + ", over the header and catalog; restore the image from a"
                            + " backup");
                }
                continue;
            }
            clusters[i] = sector;
            used[n++] = new long[] {sector, i};
            next = Math.max(next, sector + spc);
            in.allocated++;
        }
        long[][] sorted = Arrays.copyOf(used, n);
        Arrays.sort(sorted, (a, b) -> Long.compare(a[0], b[0]));
        int overlaps = 0;
        for (int k = 1; k < n; k++) {
            if (sorted[k][0] < sorted[k - 1][0] + spc && overlaps++ < MAX_REPORTS_PER_KIND) {
                in.error("catalog entry " + sorted[k][1], ParallelsHeader.SIZE + 4 * sorted[k][1], "puts cluster "
                        + sorted[k][1] + " at byte offset " + ImageFiles.hex(sorted[k][0] * 512) + ", overlapping "
                        + "cluster " + sorted[k - 1][1] + "; restore the image from a backup");
            }
        }
        for (int[] kind : new int[][] {{pastEnd}, {onMeta}, {overlaps}}) {
            if (kind[0] > MAX_REPORTS_PER_KIND) {
                in.error("catalog", ParallelsHeader.SIZE, (kind[0] - MAX_REPORTS_PER_KIND) + " more bad entries "
                        + "(the first " + MAX_REPORTS_PER_KIND + " of this kind are listed above)");
            }
        }
        in.clusters = clusters;
        in.nextSector = next;
        return in;
    }

    static byte[] read(FileChannel ch, long pos, int len) throws IOException {
        ByteBuffer bb = ByteBuffer.allocate(len);
        while (bb.hasRemaining()) {
            if (ch.read(bb, pos + bb.position()) < 0) {
                break;
            }
        }
        return bb.array();
    }
}
