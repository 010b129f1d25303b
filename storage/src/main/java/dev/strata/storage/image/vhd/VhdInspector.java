package dev.strata.storage.image.vhd;

import dev.strata.storage.image.ImageFiles;
import dev.strata.storage.image.ImageFinding;
import dev.strata.storage.image.ImageFinding.Severity;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a VHD's footers, dynamic header, block allocation table and parent locators without writing anything, and
 * lists everything wrong with them. {@link VhdImage} opens only files with no {@link Severity#ERROR} finding; the
 * driver's check reports them all.
 */
final class VhdInspector {
    /** The largest disk Strata opens or makes: the 2040 GiB QEMU, Hyper-V and VirtualBox agree on. */
    static final long MAX_SIZE = 2040L << 30;
    static final int UNUSED = -1;
    private static final int MAX_REPORTS_PER_KIND = 8;

    private VhdInspector() {
    }

    /** What an inspection found, and the findings. */
    static final class Inspection {
        final long fileLength;
        final List<ImageFinding> findings = new ArrayList<>();
        VhdFooter footer;
        /** False when the footer at the end is missing (an interrupted allocation) and the copy at 0 was used. */
        boolean footerAtEnd;
        VhdDynamicHeader header;
        /** Sector offsets of the blocks' bitmaps, {@link #UNUSED} for a block the file does not hold. */
        int[] bat;
        long allocatedBlocks;
        /**
         * A differencing image's sector bitmaps of the blocks that hold only some of their sectors (null for a block
         * that holds all of them or none, and for other images, whose bitmaps Strata, as QEMU, does not read).
         */
        byte[][] partialBitmaps;
        int partialBlocks;
        /** Where the next block goes, which is where the footer at the end is (or belongs). */
        long nextBlockOffset;
        /** The parent's path as the W2ru (relative) and W2ku (absolute) locators give it, or null. */
        String relativeParent;
        String absoluteParent;

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

        boolean dynamic() {
            return header != null;
        }
    }

    static Inspection inspect(FileChannel ch) throws IOException {
        Inspection in = new Inspection(ch.size());
        if (in.fileLength < VhdFooter.SIZE) {
            in.error("footer", 0, "the file is " + in.fileLength + " bytes, shorter than a VHD footer; it is not a "
                    + "VHD or was truncated: restore it from a backup");
            return in;
        }
        if (!readFooter(ch, in)) {
            return in;
        }
        VhdFooter f = in.footer;
        if (f.diskType() != VhdFooter.TYPE_FIXED && f.diskType() != VhdFooter.TYPE_DYNAMIC
                && f.diskType() != VhdFooter.TYPE_DIFFERENCING) {
            in.error("disk type", footerOffset(in) + VhdFooter.OFF_DISK_TYPE, "is " + f.diskType() + ", not 2 (fixed), "
                    + "3 (dynamic) or 4 (differencing); the footer is damaged");
            return in;
        }
        long size = f.currentSize();
        if (size <= 0 || size % 512 != 0 || size > MAX_SIZE) {
            in.error("current size", footerOffset(in) + VhdFooter.OFF_CURRENT_SIZE, "is " + size + " bytes; a VHD "
                    + "Strata opens holds a positive multiple of 512 bytes up to " + MAX_SIZE + " (2040 GiB)");
            return in;
        }
        if (f.diskType() == VhdFooter.TYPE_FIXED) {
            if (in.fileLength - VhdFooter.SIZE < size) {
                in.error("current size", in.fileLength - VhdFooter.SIZE + VhdFooter.OFF_CURRENT_SIZE, "is " + size
                        + " bytes but the file holds only " + (in.fileLength - VhdFooter.SIZE) + " bytes of data before"
                        + " its footer; the file was truncated: restore it from a backup");
            }
            return in;
        }
        inspectDynamic(ch, in);
        return in;
    }

    private static long footerOffset(Inspection in) {
        return in.footerAtEnd ? in.fileLength - VhdFooter.SIZE : 0;
    }

    /** The footer at the end, or for a dynamic image whose allocation was cut short, the copy at offset 0. */
    private static boolean readFooter(FileChannel ch, Inspection in) throws IOException {
        long endAt = in.fileLength - VhdFooter.SIZE;
        byte[] end = read(ch, endAt, VhdFooter.SIZE);
        if (VhdFooter.hasCookie(end, 0)) {
            VhdFooter f = VhdFooter.decode(end);
            long sum = VhdFooter.checksumOf(end, VhdFooter.OFF_CHECKSUM);
            if (sum != f.checksum()) {
                in.error("footer checksum", endAt + VhdFooter.OFF_CHECKSUM, "is " + ImageFiles.hex(f.checksum())
                        + " but the footer's bytes give " + ImageFiles.hex(sum) + "; the footer is damaged: restore the"
                        + " image from a backup");
                return false;
            }
            in.footer = f;
            in.footerAtEnd = true;
            return true;
        }
        if (VhdFooter.hasCookie(end, 1)) {
            in.error("footer", endAt + 1, "is the 511-byte footer of an old Virtual PC image, which Strata does not "
                    + "open; convert the image, e.g. qemu-img convert -O vpc OLD.vhd NEW.vhd");
            return false;
        }
        byte[] head = read(ch, 0, VhdFooter.SIZE);
        if (!VhdFooter.hasCookie(head, 0)) {
            in.error("footer", endAt, "has no \"conectix\" cookie, nor has the copy at byte offset 0x0; this is not a "
                    + "VHD or it is damaged: restore it from a backup");
            return false;
        }
        VhdFooter f = VhdFooter.decode(head);
        long sum = VhdFooter.checksumOf(head, VhdFooter.OFF_CHECKSUM);
        if (sum != f.checksum()) {
            in.error("footer checksum", VhdFooter.OFF_CHECKSUM, "is " + ImageFiles.hex(f.checksum()) + " but the "
                    + "footer's bytes give " + ImageFiles.hex(sum) + ", and the file has no footer at its end; restore "
                    + "the image from a backup");
            return false;
        }
        if (f.diskType() == VhdFooter.TYPE_FIXED) {
            in.error("footer", endAt, "has no \"conectix\" cookie; a fixed VHD keeps its only footer there: restore "
                    + "the image from a backup");
            return false;
        }
        in.footer = f;
        in.findings.add(new ImageFinding(Severity.WARNING, "footer", endAt, "is missing at the end of the file (an "
                + "allocation was interrupted); the copy at byte offset 0x0 is used and `strata medium check --repair`"
                + " writes it back"));
        return true;
    }

    private static void inspectDynamic(FileChannel ch, Inspection in) throws IOException {
        VhdFooter f = in.footer;
        long at = f.dataOffset();
        if (at < VhdFooter.SIZE || at > in.fileLength - VhdDynamicHeader.SIZE) {
            in.error("data offset", footerOffset(in) + VhdFooter.OFF_DATA_OFFSET, "is " + at + ", outside the file ("
                    + in.fileLength + " bytes); the footer is damaged: restore the image from a backup");
            return;
        }
        byte[] hb = read(ch, at, VhdDynamicHeader.SIZE);
        if (!VhdDynamicHeader.COOKIE.equals(new String(hb, 0, 8, StandardCharsets.ISO_8859_1))) {
            in.error("dynamic header", at, "has no \"cxsparse\" cookie; the header is damaged: restore the image from "
                    + "a backup");
            return;
        }
        VhdDynamicHeader h = VhdDynamicHeader.decode(hb);
        long sum = VhdFooter.checksumOf(hb, VhdDynamicHeader.OFF_CHECKSUM);
        if (sum != h.checksum()) {
            in.error("dynamic header checksum", at + VhdDynamicHeader.OFF_CHECKSUM, "is " + ImageFiles.hex(h.checksum())
                    + " but the header's bytes give " + ImageFiles.hex(sum) + "; the header is damaged: restore the "
                    + "image from a backup");
            return;
        }
        long bs = h.blockSize();
        if (bs < 4096 || bs > (256 << 20) || Long.bitCount(bs) != 1) {
            in.error("block size", at + VhdDynamicHeader.OFF_BLOCK_SIZE, "is " + bs + "; a VHD's blocks are a power of "
                    + "two from 4 KiB to 256 MiB (normally 2 MiB): the header is damaged");
            return;
        }
        long need = (f.currentSize() + bs - 1) / bs;
        long entries = h.maxTableEntries();
        if (entries < need || entries > MAX_SIZE / bs + 1) {
            in.error("max table entries", at + VhdDynamicHeader.OFF_MAX_TABLE_ENTRIES, "is " + entries + " but a disk"
                    + " of " + f.currentSize() + " bytes in blocks of " + bs + " needs " + need + "; the header is "
                    + "damaged");
            return;
        }
        long table = h.tableOffset();
        long tableBytes = (entries * 4 + 511) / 512 * 512;
        if (table < VhdFooter.SIZE || table > in.fileLength - entries * 4) {
            in.error("table offset", at + VhdDynamicHeader.OFF_TABLE_OFFSET, "is " + table + ": the block allocation "
                    + "table of " + entries + " entries would end past the end of the file (" + in.fileLength
                    + " bytes); restore the image from a backup");
            return;
        }
        in.header = h;
        List<long[]> metadata = new ArrayList<>();
        metadata.add(new long[] {0, VhdFooter.SIZE});
        metadata.add(new long[] {at, at + VhdDynamicHeader.SIZE});
        metadata.add(new long[] {table, table + tableBytes});
        if (f.diskType() == VhdFooter.TYPE_DIFFERENCING) {
            readLocators(ch, in, metadata);
        }
        ByteBuffer bb = ByteBuffer.wrap(read(ch, table, (int) (need * 4)));
        int[] bat = new int[(int) need];
        for (int i = 0; i < need; i++) {
            bat[i] = bb.getInt(i * 4);
        }
        in.bat = bat;
        checkBlocks(ch, in, metadata);
    }

    private static void readLocators(FileChannel ch, Inspection in, List<long[]> metadata) throws IOException {
        VhdDynamicHeader h = in.header;
        if (h.parentUuid() == null || (h.parentUuid().getMostSignificantBits() == 0
                && h.parentUuid().getLeastSignificantBits() == 0)) {
            in.error("parent unique id", in.footer.dataOffset() + 40, "is empty in a differencing VHD; the header is "
                    + "damaged: restore the image from a backup");
            return;
        }
        for (int i = 0; i < h.locators().size(); i++) {
            VhdDynamicHeader.Locator l = h.locators().get(i);
            long field = in.footer.dataOffset() + VhdDynamicHeader.OFF_LOCATORS + i * VhdDynamicHeader.LOCATOR_SIZE;
            if (!l.platform().equals("W2ru") && !l.platform().equals("W2ku")) {
                continue; // Mac (Mac ) and URL (MacX) locators mean nothing here
            }
            if (l.dataLength() > 32768 || l.dataOffset() < 0 || l.dataOffset() > in.fileLength - l.dataLength()) {
                in.error("parent locator " + l.platform(), field, "points at " + l.dataLength() + " bytes at byte "
                        + "offset " + l.dataOffset() + ", past the end of the file (" + in.fileLength + " bytes); "
                        + "the header is damaged: restore the image from a backup");
                return;
            }
            metadata.add(new long[] {l.dataOffset(), l.dataOffset() + Math.max(l.roomBytes(), l.dataLength())});
            String p = new String(read(ch, l.dataOffset(), (int) l.dataLength()), StandardCharsets.UTF_16LE);
            int nul = p.indexOf('\0');
            p = nul >= 0 ? p.substring(0, nul) : p;
            if (l.platform().equals("W2ru")) {
                in.relativeParent = p;
            } else {
                in.absoluteParent = p;
            }
        }
    }

    private static void checkBlocks(FileChannel ch, Inspection in, List<long[]> metadata) throws IOException {
        VhdDynamicHeader h = in.header;
        int[] bat = in.bat;
        long stride = h.bitmapBytes() + h.blockSize();
        long dataEnd = in.footerAtEnd ? in.fileLength - VhdFooter.SIZE : in.fileLength;
        long tableAt = h.tableOffset();
        int pastEnd = 0;
        int onMetadata = 0;
        long[][] starts = new long[bat.length][];
        int n = 0;
        long next = 0;
        for (long[] m : metadata) {
            next = Math.max(next, m[1]);
        }
        for (int i = 0; i < bat.length; i++) {
            if (bat[i] == UNUSED) {
                continue;
            }
            long start = (bat[i] & 0xFFFFFFFFL) * 512;
            long entryAt = tableAt + 4L * i;
            if (start + h.bitmapBytes() > dataEnd) {
                if (pastEnd++ < MAX_REPORTS_PER_KIND) {
                    in.error("block allocation table entry " + i, entryAt, "points at byte offset "
                            + ImageFiles.hex(start) + ", past the end of the block data (" + ImageFiles.hex(dataEnd)
                            + "); the table is damaged: restore the image from a backup");
                }
                continue;
            }
            boolean meta = false;
            for (long[] m : metadata) {
                meta |= start < m[1] && start + stride > m[0];
            }
            if (meta) {
                if (onMetadata++ < MAX_REPORTS_PER_KIND) {
                    in.error("block allocation table entry " + i, entryAt, "puts block " + i + " at byte offset "
                            + ImageFiles.hex(start) + ", over the image's headers or tables; the table is damaged: "
                            + "restore the image from a backup");
                }
                continue;
            }
            starts[n++] = new long[] {start, i};
            next = Math.max(next, start + stride);
            in.allocatedBlocks++;
        }
        summarise(in, "block allocation table", tableAt, pastEnd, "entries past the end of the file");
        summarise(in, "block allocation table", tableAt, onMetadata, "entries over headers or tables");
        long[][] sorted = Arrays.copyOf(starts, n);
        Arrays.sort(sorted, (a, b) -> Long.compare(a[0], b[0]));
        int overlaps = 0;
        for (int k = 1; k < n; k++) {
            if (sorted[k][0] < sorted[k - 1][0] + stride && overlaps++ < MAX_REPORTS_PER_KIND) {
                in.error("block allocation table entry " + sorted[k][1], tableAt + 4 * sorted[k][1], "puts block "
                        + sorted[k][1] + " at byte offset " + ImageFiles.hex(sorted[k][0]) + ", overlapping block "
                        + sorted[k - 1][1] + " at " + ImageFiles.hex(sorted[k - 1][0]) + "; the table is damaged: "
                        + "restore the image from a backup");
            }
        }
        summarise(in, "block allocation table", tableAt, overlaps, "overlapping blocks");
        next = (next + 511) / 512 * 512;
        in.nextBlockOffset = in.footerAtEnd ? Math.max(next, in.fileLength - VhdFooter.SIZE) : next;
        if (in.footer.diskType() == VhdFooter.TYPE_DIFFERENCING && in.firstError() == null) {
            readPartialBitmaps(ch, in, sorted);
        }
    }

    /**
     * Keeps the sector bitmaps of a differencing image's blocks that hold only some sectors (the others are the
     * parent's), as VirtualBox and Virtual PC leave them: the chain reads those sectors from the parent.
     */
    private static void readPartialBitmaps(FileChannel ch, Inspection in, long[][] blocks) throws IOException {
        VhdDynamicHeader h = in.header;
        int sectors = (int) (h.blockSize() / 512);
        in.partialBitmaps = new byte[in.bat.length][];
        for (long[] b : blocks) {
            long blockStart = b[1] * h.blockSize();
            int inDisk = (int) Math.min(sectors, (in.footer.currentSize() - blockStart) / 512);
            byte[] bitmap = read(ch, b[0], (int) h.bitmapBytes());
            if (VhdBitmap.countSet(bitmap, inDisk) < inDisk) {
                in.partialBitmaps[(int) b[1]] = bitmap;
                in.partialBlocks++;
            }
        }
    }

    private static void summarise(Inspection in, String field, long offset, int count, String what) {
        if (count > MAX_REPORTS_PER_KIND) {
            in.error(field, offset, (count - MAX_REPORTS_PER_KIND) + " more " + what + " (the first "
                    + MAX_REPORTS_PER_KIND + " are listed above)");
        }
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
