package dev.strata.storage.image;

import static dev.strata.storage.image.VdiLayout.*;

import dev.strata.storage.image.ImageFinding.Severity;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a VDI file's header and block map without writing anything, and lists everything wrong with them.
 * {@link VdiImage} opens only files with no {@link Severity#ERROR} finding; {@link ImageChecker} reports them all.
 */
final class VdiInspector {
    /** Reports per kind of block-map problem before the rest are summarised, so a wrecked map stays readable. */
    private static final int MAX_REPORTS_PER_KIND = 8;

    private VdiInspector() {
    }

    /** What an inspection found: the header, the block map, what was derived from them, and the findings. */
    static final class Inspection {
        final long fileLength;
        final List<ImageFinding> findings = new ArrayList<>();
        byte[] firstSector;
        VdiHeader header;
        int[] map;
        /** Map entries that point at data. */
        long allocatedEntries;
        /** The data-block index the next allocation takes: one past the highest used. */
        long nextIndex;

        Inspection(long fileLength) {
            this.fileLength = fileLength;
        }

        ImageFinding firstError() {
            for (ImageFinding f : findings) {
                if (f.severity() == Severity.ERROR) {
                    return f;
                }
            }
            return null;
        }

        long errorCount() {
            return findings.stream().filter(f -> f.severity() == Severity.ERROR).count();
        }

        void add(Severity s, String field, long offset, String message) {
            findings.add(new ImageFinding(s, field, offset, message));
        }
    }

    static boolean looksLikeVdi(byte[] head, int len) {
        if (len >= SIGNATURE + 4 && VdiHeader.i32(head, SIGNATURE) == SIGNATURE_VALUE) {
            return true;
        }
        // A damaged signature under VirtualBox's or QEMU's text banner is still a VDI to report on, not a raw disk.
        String text = new String(head, 0, Math.min(len, TEXT_SIZE), java.nio.charset.StandardCharsets.ISO_8859_1);
        return text.startsWith("<<< ") && text.contains("Disk Image >>>");
    }

    static Inspection inspect(FileChannel ch) throws IOException {
        Inspection in = new Inspection(ch.size());
        long length = in.fileLength;
        if (length < MIN_FILE_FOR_HEADER) {
            in.add(Severity.ERROR, "header", length, "the file is only " + length + " bytes long but a VDI header needs "
                    + MIN_FILE_FOR_HEADER + "; the file was truncated: restore it from a backup");
            return in;
        }
        byte[] sector = new byte[SECTOR];
        readFully(ch, ByteBuffer.wrap(sector, 0, (int) Math.min(SECTOR, length)), 0);
        in.firstSector = sector;
        VdiHeader h = VdiHeader.decode(sector);
        in.header = h;
        if (!checkHeader(in, h)) {
            return in;
        }
        checkMap(ch, in, h);
        return in;
    }

    /** Header checks; false when the header is too broken to read the block map. */
    private static boolean checkHeader(Inspection in, VdiHeader h) {
        long length = in.fileLength;
        if (h.signature() != SIGNATURE_VALUE) {
            in.add(Severity.ERROR, "signature", SIGNATURE, "is " + hex(h.signature() & 0xFFFFFFFFL) + ", not the VDI signature "
                    + hex(SIGNATURE_VALUE & 0xFFFFFFFFL) + "; this is not a VDI image or its header is damaged: "
                    + "restore it from a backup");
            return false;
        }
        if (h.version() != VERSION_1_1) {
            in.add(Severity.ERROR, "version", VERSION, "is " + (h.version() >>> 16) + "." + (h.version() & 0xFFFF)
                    + " but Strata reads VDI version 1.1 only (VirtualBox 2 and later); convert the image with "
                    + "'VBoxManage clonemedium'");
            return false;
        }
        boolean ok = true;
        if (h.headerSize() < HEADER1_SIZE || h.headerSize() > 0x10000) {
            in.add(Severity.ERROR, "headerSize", HEADER_SIZE, "is " + hex(h.headerSize()) + " but a VDI 1.1 header is "
                    + hex(HEADER1_SIZE) + " or " + hex(HEADER1PLUS_SIZE) + " bytes; the header is damaged: restore the image from a backup");
            return false;
        }
        if (h.imageType() == TYPE_UNDO) {
            in.add(Severity.ERROR, "imageType", IMAGE_TYPE, "is 3 (an undo image from VirtualBox 1.x), which Strata "
                    + "does not support; commit or discard it in VirtualBox first");
            ok = false;
        } else if (h.variant() == null) {
            in.add(Severity.ERROR, "imageType", IMAGE_TYPE, "is " + h.imageType() + " but must be 1 (dynamic), "
                    + "2 (fixed) or 4 (differencing); the header is damaged: restore the image from a backup");
            ok = false;
        }
        if ((h.flags() & ~FLAGS_KNOWN) != 0) {
            in.add(Severity.ERROR, "flags", FLAGS, "is " + hex(h.flags() & 0xFFFFFFFFL)
                    + ", which has bits VirtualBox does not define; the header is damaged: restore the image from a backup");
            ok = false;
        }
        long bs = h.blockSize();
        if (bs < SECTOR || bs > (1 << 30) || Long.bitCount(bs) != 1) {
            in.add(Severity.ERROR, "blockSize", BLOCK_SIZE, "is " + bs
                    + " but must be a power of two from 512 to 1 GiB; the header is damaged: restore the image from a backup");
            return false;
        }
        long extra = h.blockExtra();
        if (extra != 0 && (Long.bitCount(extra) != 1 || extra > (1 << 30))) {
            in.add(Severity.ERROR, "blockExtra", BLOCK_EXTRA, "is " + extra
                    + " but must be 0 or a power of two; the header is damaged: restore the image from a backup");
            return false;
        }
        if (h.diskSize() <= 0) {
            in.add(Severity.ERROR, "diskSize", DISK_SIZE, "is " + h.diskSize() + " but must be positive; the header is damaged: restore the image from a backup");
            return false;
        }
        if (h.blockCount() == 0 || h.blockCount() > MAX_BLOCKS) {
            in.add(Severity.ERROR, "blockCount", BLOCK_COUNT, "is " + h.blockCount() + " but must be from 1 to "
                    + MAX_BLOCKS + "; the header is damaged: restore the image from a backup");
            return false;
        }
        if (h.blockCount() * bs < h.diskSize()) {
            in.add(Severity.ERROR, "blockCount", BLOCK_COUNT, h.blockCount() + " blocks of " + bs
                    + " bytes cannot hold the disk size " + h.diskSize() + " (diskSize at " + hex(DISK_SIZE)
                    + "); the header is damaged: restore the image from a backup");
            return false;
        }
        if (h.diskSize() % SECTOR != 0) {
            in.add(Severity.WARNING, "diskSize", DISK_SIZE, "is " + h.diskSize()
                    + ", not a multiple of 512; Strata rounds it up to whole sectors");
        }
        long headerEnd = HEADER_START + h.headerSize();
        if (h.offBlocks() < headerEnd) {
            in.add(Severity.ERROR, "offBlocks", OFF_BLOCKS, "is " + hex(h.offBlocks())
                    + ", inside the header (which ends at " + hex(headerEnd) + "); the header is damaged: restore the image from a backup");
            return false;
        }
        long mapEnd = h.offBlocks() + 4 * h.blockCount();
        if (h.offData() < mapEnd) {
            in.add(Severity.ERROR, "offData", OFF_DATA, "is " + hex(h.offData()) + ", inside the block map ("
                    + hex(h.offBlocks()) + ".." + hex(mapEnd) + "); the header is damaged: restore the image from a backup");
            return false;
        }
        if (mapEnd > length) {
            in.add(Severity.ERROR, "offBlocks", OFF_BLOCKS, "the block map (" + hex(h.offBlocks()) + ".." + hex(mapEnd)
                    + ") runs past the end of the file (" + length + " bytes); the file was truncated: restore it from a backup");
            return false;
        }
        if (h.offData() > length) {
            in.add(Severity.ERROR, "offData", OFF_DATA, "is " + hex(h.offData()) + ", past the end of the file ("
                    + length + " bytes); the file was truncated: restore it from a backup");
            return false;
        }
        if (h.offBlocks() % SECTOR != 0 || h.offData() % SECTOR != 0) {
            in.add(Severity.WARNING, h.offBlocks() % SECTOR != 0 ? "offBlocks" : "offData",
                    h.offBlocks() % SECTOR != 0 ? OFF_BLOCKS : OFF_DATA,
                    "is not a multiple of 512; Strata reads the image but QEMU refuses it");
        }
        if (h.legacySectorSize() != SECTOR) {
            in.add(Severity.WARNING, "legacyGeometry.cbSector", LEGACY_SECTOR_SIZE, "is " + h.legacySectorSize()
                    + " instead of 512; Strata ignores it but QEMU refuses the image");
        }
        if (h.headerSize() >= HEADER1PLUS_SIZE && h.lchsSectorSize() != SECTOR) {
            in.add(Severity.WARNING, "LCHSGeometry.cbSector", LCHS_SECTOR_SIZE, "is " + h.lchsSectorSize()
                    + " instead of 512; Strata ignores it but VirtualBox refuses the image");
        }
        if (GuidBytes.isNull(h.uuidCreate())) {
            in.add(Severity.ERROR, "uuidCreate", UUID_CREATE, "is all zeros, so the image has no identity; "
                    + "give it one with 'VBoxManage internalcommands sethduuid' or restore it from a backup");
            ok = false;
        }
        if (GuidBytes.isNull(h.uuidModify())) {
            in.add(Severity.WARNING, "uuidModify", UUID_MODIFY, "is all zeros; VirtualBox refuses such an image "
                    + "(Strata sets it at the next write)");
        }
        if (h.variant() == ImageVariant.DIFF && GuidBytes.isNull(h.uuidLinkage())) {
            in.add(Severity.ERROR, "uuidLinkage", UUID_LINKAGE, "is all zeros in a differencing image, so its "
                    + "parent is unknown; the header is damaged: restore it from a backup");
            ok = false;
        } else if (h.variant() == ImageVariant.DIFF && h.uuidLinkage().equals(h.uuidCreate())) {
            in.add(Severity.ERROR, "uuidLinkage", UUID_LINKAGE, "names the image itself (" + h.uuidCreate()
                    + ") as its parent; the header is damaged: restore it from a backup");
            ok = false;
        } else if (h.variant() != ImageVariant.DIFF && !GuidBytes.isNull(h.uuidLinkage())) {
            in.add(Severity.WARNING, "uuidLinkage", UUID_LINKAGE, "names a parent in a base image; Strata ignores "
                    + "it but QEMU refuses the image");
        }
        return ok;
    }

    private static void checkMap(FileChannel ch, Inspection in, VdiHeader h) throws IOException {
        int count = (int) h.blockCount();
        ByteBuffer raw = ByteBuffer.allocate(4 * count).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, raw, h.offBlocks());
        raw.flip();
        int[] map = new int[count];
        raw.asIntBuffer().get(map);
        in.map = map;

        long stride = h.blockSize() + h.blockExtra();
        int[] owner = new int[count];
        Arrays.fill(owner, -1);
        long allocated = 0;
        long highest = -1;
        int tooLarge = 0, shared = 0, pastEnd = 0;
        for (int i = 0; i < count; i++) {
            int e = map[i];
            if (e == BLOCK_FREE || e == BLOCK_ZERO) {
                continue;
            }
            long entryOffset = h.offBlocks() + 4L * i;
            long idx = e & 0xFFFFFFFFL;
            if (idx >= count) {
                if (tooLarge++ < MAX_REPORTS_PER_KIND) {
                    in.add(Severity.ERROR, "block map entry " + i, entryOffset, "points to data block " + idx
                            + " but the image has only " + count + " blocks; the block map is damaged: restore the image from a backup");
                }
                continue;
            }
            if (owner[(int) idx] >= 0) {
                if (shared++ < MAX_REPORTS_PER_KIND) {
                    in.add(Severity.ERROR, "block map entry " + i, entryOffset, "points to data block " + idx
                            + ", which block map entry " + owner[(int) idx] + " uses too; writing one would change "
                            + "the other: the block map is damaged: restore the image from a backup");
                }
                continue;
            }
            owner[(int) idx] = i;
            allocated++;
            highest = Math.max(highest, idx);
            long dataEnd = h.offData() + (idx + 1) * stride;
            if (dataEnd > in.fileLength && pastEnd++ < MAX_REPORTS_PER_KIND) {
                in.add(Severity.ERROR, "block map entry " + i, entryOffset, "points to data at "
                        + hex(dataEnd - stride) + ".." + hex(dataEnd) + ", past the end of the file ("
                        + in.fileLength + " bytes); the file was truncated: restore it from a backup");
            }
        }
        summarise(in, "block map entries point past the block count", tooLarge, h.offBlocks());
        summarise(in, "block map entries share a data block", shared, h.offBlocks());
        summarise(in, "block map entries point past the end of the file", pastEnd, h.offBlocks());
        in.allocatedEntries = allocated;
        in.nextIndex = highest + 1;

        if (h.blocksAllocated() != in.nextIndex) {
            in.add(Severity.WARNING, "blocksAllocated", BLOCKS_ALLOCATED, "says " + h.blocksAllocated()
                    + " blocks are allocated but the block map uses " + in.nextIndex + " (a write was interrupted); "
                    + "Strata trusts the block map and rewrites the count at the next allocation; "
                    + "'strata medium check --repair' fixes it now");
        }
        if (allocated != in.nextIndex) {
            in.add(Severity.WARNING, "block map", h.offBlocks(), "uses data blocks up to " + (in.nextIndex - 1)
                    + " but only " + allocated + " of them; the unused ones waste space (compact the image)");
        }
        if (h.variant() == ImageVariant.FIXED && allocated < count) {
            in.add(Severity.WARNING, "block map", h.offBlocks(), "a fixed image should have every block allocated but "
                    + (count - allocated) + " of " + count + " are not; they are allocated when written");
        }
        long dataEnd = h.offData() + in.nextIndex * stride;
        if (in.errorCount() == 0 && in.fileLength > dataEnd) {
            in.add(Severity.WARNING, "data area", dataEnd, (in.fileLength - dataEnd) + " bytes after the last data "
                    + "block belong to no block (an allocation interrupted by a crash); harmless: the next allocation "
                    + "reuses the space; 'strata medium check --repair' gives it back now");
        }
    }

    private static void summarise(Inspection in, String what, int n, long offset) {
        if (n > MAX_REPORTS_PER_KIND) {
            in.add(Severity.ERROR, "block map", offset, n + " " + what + " in all (the first "
                    + MAX_REPORTS_PER_KIND + " are listed)");
        }
    }

    static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) {
                throw new java.io.EOFException("end of file at " + pos);
            }
            pos += n;
        }
    }
}
