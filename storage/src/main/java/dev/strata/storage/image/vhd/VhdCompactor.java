package dev.strata.storage.image.vhd;

import dev.strata.storage.Progress;
import dev.strata.storage.StorageException;
import dev.strata.storage.image.ImageFiles;
import dev.strata.storage.image.ImageFinding;
import dev.strata.storage.image.SlotCompactor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Compacts a dynamic VHD: blocks whose data is all zeros leave the block allocation table (free blocks read as zeros),
 * the last blocks move into their places with their bitmaps, and the footer follows the last block.
 */
final class VhdCompactor implements SlotCompactor.Slots {
    private final FileChannel ch;
    private final VhdInspector.Inspection in;
    private final VhdDynamicHeader h;

    private VhdCompactor(FileChannel ch, VhdInspector.Inspection in) {
        this.ch = ch;
        this.in = in;
        this.h = in.header;
    }

    static long compact(Path path, Progress progress) throws IOException {
        try (FileChannel ch = ImageFiles.open(path, false)) {
            VhdInspector.Inspection in = VhdInspector.inspect(ch);
            ImageFinding err = in.firstError();
            if (err != null) {
                throw ImageFinding.openRefusal(path, err, in.errorCount());
            }
            if (!in.dynamic()) {
                throw new StorageException(path, "is a fixed VHD: every sector is stored in place by design, so there "
                        + "is nothing to compact; clone it with --variant Standard to get a dynamic copy");
            }
            if (in.footer.diskType() == VhdFooter.TYPE_DIFFERENCING) {
                throw new StorageException(path, "is a differencing VHD, which cannot record a block as zeros: a block "
                        + "given back would show its parent's data instead; merge it into its parent, or clone the "
                        + "chain, and compact that");
            }
            if (!in.footerAtEnd) {
                throw new StorageException(path, "has no footer at its end (an interrupted write); run strata medium "
                        + "check --repair on it first; nothing was changed");
            }
            return SlotCompactor.compact(ch, new VhdCompactor(ch, in), progress);
        }
    }

    @Override
    public int count() {
        return in.bat.length;
    }

    @Override
    public long slot(int block) {
        int e = in.bat[block];
        return e == VhdInspector.UNUSED ? -1 : (e & 0xFFFFFFFFL) * 512;
    }

    @Override
    public long slotBytes() {
        return h.bitmapBytes() + h.blockSize();
    }

    @Override
    public long dataStart() {
        return h.bitmapBytes();
    }

    @Override
    public int dataBytes(int block) {
        return (int) Math.min(h.blockSize(), in.footer.currentSize() - block * h.blockSize());
    }

    @Override
    public void drop(int block) throws IOException {
        putEntry(block, VhdInspector.UNUSED);
    }

    @Override
    public void point(int block, long slot) throws IOException {
        putEntry(block, (int) (slot / 512));
    }

    private void putEntry(int block, int value) throws IOException {
        ImageFiles.writeAll(ch, ByteBuffer.allocate(4).putInt(0, value), h.tableOffset() + 4L * block);
        in.bat[block] = value;
    }

    /** The footer copy, the header, the table (whole sectors) and the parent locators' data. */
    @Override
    public List<long[]> metadata() {
        List<long[]> m = new ArrayList<>();
        m.add(new long[] {0, VhdFooter.SIZE});
        m.add(new long[] {in.footer.dataOffset(), in.footer.dataOffset() + VhdDynamicHeader.SIZE});
        m.add(new long[] {h.tableOffset(), h.tableOffset() + (h.maxTableEntries() * 4 + 511) / 512 * 512});
        for (VhdDynamicHeader.Locator l : h.locators()) {
            m.add(new long[] {l.dataOffset(), l.dataOffset() + l.roomBytes()});
        }
        return m;
    }

    @Override
    public long slotAlignment() {
        return 512;
    }

    /** The footer right after the last block, forced, then the cut after it. */
    @Override
    public void end(long end) throws IOException {
        long at = (end + 511) / 512 * 512;
        if (at + VhdFooter.SIZE >= ch.size()) {
            return;
        }
        ImageFiles.writeAll(ch, ByteBuffer.wrap(in.footer.encode()), at);
        ch.force(false);
        ch.truncate(at + VhdFooter.SIZE);
        ch.force(false);
    }
}
