package dev.strata.storage.image.vmdk;

import static dev.strata.storage.image.vmdk.SparseHeader.SECTOR;

import dev.strata.storage.Progress;
import dev.strata.storage.StorageException;
import dev.strata.storage.image.ImageFiles;
import dev.strata.storage.image.ImageFinding;
import dev.strata.storage.image.ImageVariant;
import dev.strata.storage.image.SlotCompactor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Compacts the hosted sparse extents of a VMDK (monolithicSparse, and each extent of twoGbMaxExtentSparse): all-zero
 * grains leave both grain tables (entry 0 in a base; the zero-grain entry 1 in a differencing image, where 0 would show
 * the parent), the last grains move into their places, and the file ends after the last grain or table.
 */
final class SparseCompactor implements SlotCompactor.Slots {
    private final FileChannel ch;
    private final SparseInspector.Inspection in;
    private final SparseHeader h;
    private final int dropped;
    private final long grainBytes;

    private SparseCompactor(FileChannel ch, SparseInspector.Inspection in, boolean differencing) {
        this.ch = ch;
        this.in = in;
        this.h = in.header;
        this.dropped = differencing ? 1 : 0;
        this.grainBytes = h.grainSize() * SECTOR;
    }

    /** Compacts the VMDK in {@code path} after checking its kind; returns the bytes its files shrank by. */
    static long compact(Path path, Progress progress) throws IOException {
        String type;
        boolean differencing;
        List<Path> files;
        try (VmdkImage image = (VmdkImage) VmdkOpener.open(path, true, null)) {
            type = image.descriptorValue("createType");
            differencing = image.variant() == ImageVariant.DIFF;
            files = image.files();
        }
        String t = type == null ? "" : type;
        switch (t) {
            case "monolithicSparse" -> {
                return compactExtent(path, differencing, progress);
            }
            case "twoGbMaxExtentSparse" -> {
                long saved = 0;
                for (Path f : files.subList(0, files.size() - 1)) {
                    saved += compactExtent(f, differencing, progress);
                }
                return saved;
            }
            case "streamOptimized" -> throw new StorageException(path, "is a stream-optimized VMDK, whose grains are "
                    + "compressed and written once: Strata does not rewrite it; clone it with --variant Standard");
            case "monolithicFlat", "twoGbMaxExtentFlat", "vmfs" -> throw new StorageException(path, "is a " + t
                    + " VMDK: every sector is stored in place by design, so there is nothing to compact; clone it "
                    + "with --variant Standard to get a sparse copy");
            default -> throw new StorageException(path, "is a " + t + " VMDK, which Strata does not compact; only "
                    + "monolithicSparse and twoGbMaxExtentSparse ones are compacted");
        }
    }

    private static long compactExtent(Path file, boolean differencing, Progress progress) throws IOException {
        try (FileChannel ch = ImageFiles.open(file, false)) {
            SparseInspector.Inspection in = SparseInspector.inspect(ch);
            ImageFinding err = in.firstError();
            if (err != null) {
                throw ImageFinding.openRefusal(file, err, in.errorCount());
            }
            if (in.header.compressed()) {
                throw new StorageException(file, "holds compressed grains, which Strata does not rewrite; nothing was "
                        + "changed");
            }
            if (differencing && !in.header.zeroGrains()) {
                throw new StorageException(file, "is a differencing VMDK whose header does not allow zero-grain "
                        + "entries (flags bit 2 at byte offset " + ImageFiles.hex(SparseHeader.OFF_FLAGS) + " is "
                        + "clear, as in differencing VMDKs made by Strata before it set the bit and by most other "
                        + "tools), so an all-zero grain given back would show its parent's data instead; merge it "
                        + "into its parent, or clone the chain, and compact that; nothing was changed");
            }
            if (!in.laggingEntries.isEmpty() || !in.laggingTables.isEmpty()) {
                throw new StorageException(file, "has redundant grain tables behind the primary ones (an interrupted "
                        + "write); run strata medium check --repair on it first; nothing was changed");
            }
            return SlotCompactor.compact(ch, new SparseCompactor(ch, in, differencing), progress);
        }
    }

    @Override
    public int count() {
        return in.gte.length;
    }

    @Override
    public long slot(int block) {
        int e = in.gte[block];
        return e == 0 || (e == 1 && h.zeroGrains()) ? -1 : (e & 0xFFFFFFFFL) * SECTOR;
    }

    @Override
    public long slotBytes() {
        return grainBytes;
    }

    @Override
    public long dataStart() {
        return 0;
    }

    @Override
    public int dataBytes(int block) {
        return (int) Math.min(grainBytes, h.capacity() * SECTOR - block * grainBytes);
    }

    @Override
    public void drop(int block) throws IOException {
        putEntry(block, dropped);
    }

    @Override
    public void point(int block, long slot) throws IOException {
        putEntry(block, (int) (slot / SECTOR));
    }

    /** The primary table's entry, then the redundant one's. */
    private void putEntry(int grain, int value) throws IOException {
        int t = grain / h.gtesPerGt();
        long idx = grain % h.gtesPerGt();
        ByteBuffer w = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, value);
        ImageFiles.writeAll(ch, w, in.gd[t] * SECTOR + 4 * idx);
        if (in.rgd != null && in.rgd[t] != 0) {
            ImageFiles.writeAll(ch, w.clear(), in.rgd[t] * SECTOR + 4 * idx);
        }
        in.gte[grain] = value;
    }

    /** The header's overhead, the descriptor, both directories and every grain table. */
    @Override
    public List<long[]> metadata() {
        List<long[]> m = new ArrayList<>();
        m.add(sectors(0, Math.max(h.overhead(), 1)));
        m.add(sectors(h.descriptorOffset(), h.descriptorSize()));
        m.add(sectors(h.gdOffset(), h.gdSectors()));
        if (h.redundant()) {
            m.add(sectors(h.rgdOffset(), h.gdSectors()));
        }
        for (int t = 0; t < in.gd.length; t++) {
            if (in.gd[t] != 0) {
                m.add(sectors(in.gd[t], h.gtSectors()));
            }
            if (in.rgd != null && in.rgd[t] != 0) {
                m.add(sectors(in.rgd[t], h.gtSectors()));
            }
        }
        return m;
    }

    private static long[] sectors(long start, long count) {
        return new long[] {start * SECTOR, (start + count) * SECTOR};
    }

    @Override
    public long slotAlignment() {
        return SECTOR;
    }

    @Override
    public void end(long end) throws IOException {
        if (ch.size() > end) {
            ch.truncate(end);
            ch.force(false);
        }
    }
}
