package dev.strata.storage.image.parallels;

import dev.strata.storage.Progress;
import dev.strata.storage.StorageException;
import dev.strata.storage.image.ImageFiles;
import dev.strata.storage.image.ImageFinding;
import dev.strata.storage.image.SlotCompactor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.List;

/** Compacts an expanding Parallels disk: all-zero clusters leave the catalog, the last clusters fill their places. */
final class ParallelsCompactor implements SlotCompactor.Slots {
    private final FileChannel ch;
    private final ParallelsInspector.Inspection in;
    private final ParallelsHeader h;
    private final long clusterBytes;

    private ParallelsCompactor(FileChannel ch, ParallelsInspector.Inspection in) {
        this.ch = ch;
        this.in = in;
        this.h = in.header;
        this.clusterBytes = h.sectorsPerCluster() * 512;
    }

    static long compact(Path path, Progress progress) throws IOException {
        try (FileChannel ch = ImageFiles.open(path, false)) {
            ParallelsInspector.Inspection in = ParallelsInspector.inspect(ch);
            ImageFinding err = in.firstError();
            if (err != null) {
                throw ImageFinding.openRefusal(path, err, in.errorCount());
            }
            if (in.clusters.length > 0 && in.allocated == in.clusters.length) {
                throw new StorageException(path, "is a fully allocated (Fixed) Parallels disk: every cluster is stored "
                        + "by design, so there is nothing to compact; clone it with --variant Standard to get an "
                        + "expanding copy");
            }
            return SlotCompactor.compact(ch, new ParallelsCompactor(ch, in), progress);
        }
    }

    @Override
    public int count() {
        return in.clusters.length;
    }

    @Override
    public long slot(int block) {
        return in.clusters[block] == 0 ? -1 : in.clusters[block] * 512;
    }

    @Override
    public long slotBytes() {
        return clusterBytes;
    }

    @Override
    public long dataStart() {
        return 0;
    }

    @Override
    public int dataBytes(int block) {
        return (int) Math.min(clusterBytes, h.sectors() * 512 - block * clusterBytes);
    }

    @Override
    public void drop(int block) throws IOException {
        putEntry(block, 0);
        in.clusters[block] = 0;
    }

    @Override
    public void point(int block, long slot) throws IOException {
        putEntry(block, slot / 512 / h.entryUnit());
        in.clusters[block] = slot / 512;
    }

    private void putEntry(int block, long value) throws IOException {
        ByteBuffer w = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, (int) value);
        ImageFiles.writeAll(ch, w, ParallelsHeader.SIZE + 4L * block);
    }

    /** The header and catalog, up to where the data starts. */
    @Override
    public List<long[]> metadata() {
        long catalogEnd = (ParallelsHeader.SIZE + 4 * h.batEntries() + 511) / 512 * 512;
        return List.of(new long[] {0, Math.max(catalogEnd, h.dataOffset() * 512)});
    }

    /** A catalog entry counts sectors, or clusters in the newer layout. */
    @Override
    public long slotAlignment() {
        return h.entryUnit() * 512;
    }

    @Override
    public void end(long end) throws IOException {
        if (ch.size() > end) {
            ch.truncate(end);
            ch.force(false);
        }
    }
}
