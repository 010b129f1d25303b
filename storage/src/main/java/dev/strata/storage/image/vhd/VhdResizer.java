package dev.strata.storage.image.vhd;

import dev.strata.storage.StorageException;
import dev.strata.storage.image.ImageBytes;
import dev.strata.storage.image.ImageFiles;
import dev.strata.storage.image.ImageFinding;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Grows a VHD as VirtualBox's modifymedium --resize does. A fixed VHD gets its new footer after the new end, then the
 * old footer's sector zeroed. A dynamic VHD's block allocation table grows into the space after it, first moving the
 * blocks that lie there to the end of the file (each copied and forced before its table entry changes); then the
 * dynamic header's max table entries, then the footers with the new size and CHS geometry, the one at the end first.
 */
final class VhdResizer {
    private VhdResizer() {
    }

    static void grow(Path path, long newSize) throws IOException {
        try (FileChannel ch = ImageFiles.open(path, false)) {
            VhdInspector.Inspection in = VhdInspector.inspect(ch);
            ImageFinding err = in.firstError();
            if (err != null) {
                throw ImageFinding.openRefusal(path, err, in.errorCount());
            }
            if (!in.footerAtEnd) {
                throw new StorageException(path, "has no footer at its end (a block allocation was interrupted); run "
                        + "'strata medium check --repair " + path + "' first, then resize it");
            }
            VhdFooter footer = resized(in.footer, newSize);
            if (in.header == null) {
                growFixed(ch, in.footer.currentSize(), footer);
            } else {
                growDynamic(path, ch, in, footer, newSize);
            }
        }
    }

    /** The footer of a disk of {@code size} bytes: current size and geometry follow, the rest stays. */
    private static VhdFooter resized(VhdFooter f, long size) {
        VhdGeometry g = VhdGeometry.of(size / 512);
        return new VhdFooter(f.features(), f.version(), f.dataOffset(), f.timestamp(), f.creatorApp(),
                f.creatorVersion(), f.creatorOs(), f.originalSize(), size, g.cylinders(), g.heads(),
                g.sectorsPerTrack(), f.diskType(), 0, f.uuid(), f.savedState()).withChecksum();
    }

    /** The new footer first (the image is then the larger disk), then the old one's sector becomes disk zeros. */
    private static void growFixed(FileChannel ch, long oldSize, VhdFooter footer) throws IOException {
        ImageFiles.writeAll(ch, ByteBuffer.wrap(footer.encode()), footer.currentSize());
        ch.force(false);
        ImageFiles.writeAll(ch, ByteBuffer.allocate(VhdFooter.SIZE), oldSize);
        ch.force(false);
    }

    private static void growDynamic(Path path, FileChannel ch, VhdInspector.Inspection in, VhdFooter footer,
                                    long newSize) throws IOException {
        VhdDynamicHeader h = in.header;
        long bs = h.blockSize();
        long stride = h.bitmapBytes() + bs;
        long oldEntries = h.maxTableEntries();
        long newEntries = Math.max(oldEntries, (newSize + bs - 1) / bs);
        long tableEnd = h.tableOffset() + (newEntries * 4 + 511) / 512 * 512;
        int[] bat = Arrays.copyOf(in.bat, (int) Math.max(in.bat.length, oldEntries));
        if (in.bat.length < oldEntries) {
            readEntries(ch, h.tableOffset(), bat, in.bat.length);
        }
        refuseLocatorsInTheWay(path, h, tableEnd);
        long end = Math.max(in.nextBlockOffset, tableEnd);
        if (end > in.nextBlockOffset) {
            // the footer moves past where the table will end: the old one is then in the table's way, unused
            ImageFiles.writeAll(ch, ByteBuffer.wrap(in.footer.encode()), end);
            ch.force(false);
        }
        for (long[] b = firstBlockBefore(bat, tableEnd); b != null; b = firstBlockBefore(bat, tableEnd)) {
            end = moveBlock(ch, in.footer, bat, (int) b[1], b[0], end, stride, h.tableOffset());
        }
        zeroTail(ch, h, in.footer.currentSize(), bat);
        // the grown table: free entries, and the padding up to its last sector as QEMU fills it
        byte[] table = new byte[(int) (tableEnd - h.tableOffset() - 4 * oldEntries)];
        Arrays.fill(table, (byte) 0xFF);
        ImageFiles.writeAll(ch, ByteBuffer.wrap(table), h.tableOffset() + 4 * oldEntries);
        ch.force(false);
        VhdDynamicHeader grown = new VhdDynamicHeader(h.tableOffset(), newEntries, bs, 0, h.parentUuid(),
                h.parentTimestamp(), h.parentName(), h.locators()).withChecksum();
        ImageFiles.writeAll(ch, ByteBuffer.wrap(grown.encode()), in.footer.dataOffset());
        ch.force(false);
        // the footer at the end decides the size; its copy at 0 follows
        ImageFiles.writeAll(ch, ByteBuffer.wrap(footer.encode()), end);
        ch.force(false);
        ImageFiles.writeAll(ch, ByteBuffer.wrap(footer.encode()), 0);
        ch.force(false);
    }

    private static void readEntries(FileChannel ch, long table, int[] bat, int from) throws IOException {
        byte[] b = new byte[4 * (bat.length - from)];
        ImageBytes.readOrZeros(ch, table + 4L * from, b, 0, b.length);
        ByteBuffer bb = ByteBuffer.wrap(b);
        for (int i = from; i < bat.length; i++) {
            bat[i] = bb.getInt((i - from) * 4);
        }
    }

    /** The allocated block that starts lowest in the file before {@code limit}, as {start, index}, or null. */
    private static long[] firstBlockBefore(int[] bat, long limit) {
        long[] best = null;
        for (int i = 0; i < bat.length; i++) {
            if (bat[i] == VhdInspector.UNUSED) {
                continue;
            }
            long start = (bat[i] & 0xFFFFFFFFL) * 512;
            if (start < limit && (best == null || start < best[0])) {
                best = new long[] {start, i};
            }
        }
        return best;
    }

    /**
     * Copies block {@code index} from {@code from} to {@code end} (where the footer is), writes the footer after it
     * and forces both, then points the table at the copy; returns the new end of the blocks.
     */
    private static long moveBlock(FileChannel ch, VhdFooter footer, int[] bat, int index, long from, long end,
                                  long stride, long table) throws IOException {
        byte[] data = new byte[(int) stride];
        ImageBytes.readOrZeros(ch, from, data, 0, data.length);
        ImageFiles.writeAll(ch, ByteBuffer.wrap(data), end);
        ImageFiles.writeAll(ch, ByteBuffer.wrap(footer.encode()), end + stride);
        ch.force(false);
        int entry = (int) (end / 512);
        ImageFiles.writeAll(ch, ByteBuffer.allocate(4).putInt(0, entry), table + 4L * index);
        ch.force(false);
        bat[index] = entry;
        return end + stride;
    }

    /** A differencing VHD's locators may sit after the table; they are not moved. */
    private static void refuseLocatorsInTheWay(Path path, VhdDynamicHeader h, long tableEnd) throws StorageException {
        for (VhdDynamicHeader.Locator l : h.locators()) {
            if (l.dataLength() > 0 && l.dataOffset() >= h.tableOffset() && l.dataOffset() < tableEnd) {
                throw new StorageException(path, "the block allocation table cannot grow over the parent locator "
                        + l.platform() + " at byte offset " + ImageFiles.hex(l.dataOffset()) + "; nothing was changed");
            }
        }
    }

    /** The bytes past the old end in a last block that is only partly the disk must read as zeros once they are. */
    private static void zeroTail(FileChannel ch, VhdDynamicHeader h, long size, int[] bat) throws IOException {
        long bs = h.blockSize();
        long used = size % bs;
        int last = (int) (size / bs);
        if (used == 0 || last >= bat.length || bat[last] == VhdInspector.UNUSED) {
            return;
        }
        long data = (bat[last] & 0xFFFFFFFFL) * 512 + h.bitmapBytes();
        ImageFiles.writeAll(ch, ByteBuffer.allocate((int) (bs - used)), data + used);
        ch.force(false);
    }
}
