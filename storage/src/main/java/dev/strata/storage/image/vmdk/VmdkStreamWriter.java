package dev.strata.storage.image.vmdk;

import static dev.strata.storage.image.vmdk.SparseHeader.SECTOR;

import dev.strata.storage.Progress;
import dev.strata.storage.image.DiskImage;
import dev.strata.storage.image.ImageBytes;
import dev.strata.storage.image.ImageFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.zip.Deflater;

/**
 * Writes a stream-optimized VMDK (VMware's Virtual Disk Format 1.1, as OVA exports carry it) in one pass, in disk
 * order: a header whose grain directory is "at the end", the embedded descriptor, then per grain table the
 * non-zero grains deflated behind a grain marker and the table behind a table marker, then the directory, a footer
 * (the header with the directory's place) and the end-of-stream marker. Grains that read as zeros are left out.
 * Nothing can be written to such a file afterwards: it is made whole from its source disk.
 */
final class VmdkStreamWriter {
    private static final int MARKER_EOS = 0;
    private static final int MARKER_GT = 1;
    private static final int MARKER_GD = 2;
    private static final int MARKER_FOOTER = 3;
    static final int FLAGS = SparseHeader.FLAG_NEWLINE_TEST | SparseHeader.FLAG_COMPRESSED | SparseHeader.FLAG_MARKERS;

    private final FileChannel ch;
    private long sector;

    private VmdkStreamWriter(FileChannel ch, long sector) {
        this.ch = ch;
        this.sector = sector;
    }

    /**
     * Writes the image of {@code sectors} with {@code descriptor} embedded into the empty {@code ch}: the data of
     * {@code source} (of the same size), or an empty disk when it is null.
     */
    static void write(FileChannel ch, long sectors, byte[] descriptor, DiskImage source, Progress progress)
            throws IOException {
        long grainSectors = VmdkCreator.GRAIN_SECTORS;
        int grainBytes = (int) (grainSectors * SECTOR);
        long descSectors = VmdkCreator.DESCRIPTOR_SECTORS;
        if (descriptor.length > descSectors * SECTOR) {
            throw new IOException("descriptor of " + descriptor.length + " bytes does not fit");
        }
        long overhead = (1 + descSectors + grainSectors - 1) / grainSectors * grainSectors;
        SparseHeader head = header(sectors, overhead, SparseHeader.GD_AT_END);
        ImageFiles.writeAll(ch, ByteBuffer.wrap(head.encode()), 0);
        ImageFiles.writeAll(ch, ByteBuffer.wrap(descriptor), SECTOR);
        VmdkStreamWriter w = new VmdkStreamWriter(ch, overhead);
        long grains = head.grains();
        int perGt = SparseHeader.GTES_PER_GT;
        long[] gd = new long[(int) head.gtCount()];
        long size = sectors * SECTOR;
        byte[] grain = new byte[grainBytes];
        byte[] packed = new byte[grainBytes + grainBytes / 8 + 1024];
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION);
        try {
            for (int t = 0; t < gd.length; t++) {
                int[] gt = new int[perGt];
                boolean any = false;
                for (int i = 0; i < perGt && (long) t * perGt + i < grains; i++) {
                    long g = (long) t * perGt + i;
                    long offset = g * grainBytes;
                    int len = (int) Math.min(grainBytes, size - offset);
                    if (source == null || !source.showsData(offset, len)) {
                        continue;
                    }
                    source.read(offset, grain, 0, len);
                    if (ImageBytes.allZero(grain, 0, len)) {
                        continue;
                    }
                    java.util.Arrays.fill(grain, len, grainBytes, (byte) 0);
                    gt[i] = (int) w.grain(g * grainSectors, grain, deflater, packed);
                    any = true;
                    progress.update(offset + len, size);
                }
                if (any) {
                    gd[t] = w.table(MARKER_GT, ints(gt));
                }
            }
        } finally {
            deflater.end();
        }
        long[] dir = gd;
        ByteBuffer gdBytes = ByteBuffer.allocate(gd.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (long e : dir) {
            gdBytes.putInt((int) e);
        }
        long gdSector = w.table(MARKER_GD, gdBytes.array());
        w.marker(1, 0, MARKER_FOOTER);
        ImageFiles.writeAll(ch, ByteBuffer.wrap(header(sectors, overhead, gdSector).encode()), w.sector * SECTOR);
        w.sector++;
        w.marker(0, 0, MARKER_EOS);
        progress.update(size, size);
    }

    private static SparseHeader header(long sectors, long overhead, long gdOffset) {
        return new SparseHeader(3, FLAGS, sectors, VmdkCreator.GRAIN_SECTORS, 1, VmdkCreator.DESCRIPTOR_SECTORS,
                SparseHeader.GTES_PER_GT, 0, gdOffset, overhead, 0, SparseHeader.COMPRESS_DEFLATE);
    }

    private static byte[] ints(int[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asIntBuffer().put(v);
        return b.array();
    }

    /** A grain at disk sector {@code lba}: its marker (LBA, compressed length) and data, padded to a sector. */
    private long grain(long lba, byte[] grain, Deflater deflater, byte[] packed) throws IOException {
        deflater.reset();
        deflater.setInput(grain);
        deflater.finish();
        int n = 0;
        while (!deflater.finished()) {
            n += deflater.deflate(packed, n, packed.length - n);
            if (n == packed.length) {
                throw new IOException("a grain deflated to more than " + packed.length + " bytes");
            }
        }
        long at = sector;
        int total = 12 + n;
        ByteBuffer b = ByteBuffer.allocate((int) ((total + SECTOR - 1) / SECTOR * SECTOR))
                .order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(lba).putInt(n).put(packed, 0, n).clear();
        ImageFiles.writeAll(ch, b, at * SECTOR);
        sector += b.capacity() / SECTOR;
        return at;
    }

    /** A metadata marker of {@code type} and the table after it; returns the table's sector. */
    private long table(int type, byte[] table) throws IOException {
        long sectors = (table.length + SECTOR - 1) / SECTOR;
        marker(sectors, 0, type);
        long at = sector;
        ByteBuffer b = ByteBuffer.allocate((int) (sectors * SECTOR));
        b.put(table).clear();
        ImageFiles.writeAll(ch, b, at * SECTOR);
        sector += sectors;
        return at;
    }

    /** A one-sector marker: value, size, type. */
    private void marker(long value, int size, int type) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(SECTOR).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(value).putInt(size).putInt(type).clear();
        ImageFiles.writeAll(ch, b, sector * SECTOR);
        sector++;
    }
}
