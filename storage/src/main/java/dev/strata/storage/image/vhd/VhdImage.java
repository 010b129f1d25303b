package dev.strata.storage.image.vhd;

import dev.strata.storage.StorageException;
import dev.strata.storage.image.BlockMappedImage;
import dev.strata.storage.image.BlockState;
import dev.strata.storage.image.DiskImage;
import dev.strata.storage.image.ImageBytes;
import dev.strata.storage.image.ImageFiles;
import dev.strata.storage.image.ImageFinding;
import dev.strata.storage.image.ImageFormat;
import dev.strata.storage.image.ImageVariant;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * A Microsoft VHD (Virtual PC, Hyper-V, VirtualBox, QEMU's vpc): fixed (the sectors, then a footer), dynamic (a
 * footer copy, a dynamic header, a block allocation table and blocks that each start with a sector bitmap) or
 * differencing (dynamic, over a parent named by UUID, time stamp and path locators).
 *
 * <p>Crash safety: a new block goes where the footer is; its data, then its bitmap, are written and forced before
 * the table entry that points to it, and the footer is written after the block last. A crash in between leaves the
 * footer copy at offset 0, which opening then uses (and check --repair writes back to the end).
 *
 * <p>A differencing image's block may hold only some sectors, its bitmap marking the others as the parent's (as
 * VirtualBox and Virtual PC write them): such a block is {@link BlockState#PARTIAL}. Writing sectors into it marks
 * them present; the parent's data for the rest is not copied up. The changed bitmaps are written when the image is
 * flushed, after its data is forced, so a crash before then leaves those sectors reading the parent's old data, as
 * if the unflushed write had not happened.
 */
public final class VhdImage extends BlockMappedImage {
    private final VhdFooter footer;
    private final ImageVariant variant;
    /** Null for a fixed image. */
    private VhdDynamicHeader header;
    private final int[] bat;
    private final long bitmapBytes;
    private final byte[] fullBitmap;
    /** Per block, the bitmap of a block holding only some sectors; null when it holds all or none (or not a diff). */
    private final byte[][] partialBitmaps;
    /** Bitmaps changed by writes and not yet in the file, by block. */
    private final Map<Integer, byte[]> unwrittenBitmaps = new TreeMap<>();
    private final int sectorsPerBlock;
    private String relativeParent;
    private String absoluteParent;
    private long nextBlockOffset;
    private long fileLength;
    private long allocated;

    private VhdImage(Path path, FileChannel ch, boolean readOnly, VhdInspector.Inspection in) {
        super(path, ch, readOnly, in.footer.currentSize(), in.header == null ? VhdDynamicHeader.DEFAULT_BLOCK_SIZE
                : (int) in.header.blockSize());
        this.footer = in.footer;
        this.header = in.header;
        this.variant = footer.diskType() == VhdFooter.TYPE_FIXED ? ImageVariant.FIXED
                : footer.diskType() == VhdFooter.TYPE_DIFFERENCING ? ImageVariant.DIFF : ImageVariant.STANDARD;
        this.bat = in.bat;
        this.bitmapBytes = header == null ? 0 : header.bitmapBytes();
        this.fullBitmap = new byte[(int) bitmapBytes];
        Arrays.fill(fullBitmap, (byte) 0xFF);
        this.partialBitmaps = in.partialBitmaps;
        this.sectorsPerBlock = blockSize / 512;
        this.relativeParent = in.relativeParent;
        this.absoluteParent = in.absoluteParent;
        this.nextBlockOffset = in.nextBlockOffset;
        this.fileLength = in.fileLength;
        this.allocated = in.allocatedBlocks;
    }

    /** Opens a VHD, validating its footer, header and tables; never writes to the file. */
    public static VhdImage open(Path path, boolean readOnly) throws IOException {
        FileChannel ch = ImageFiles.open(path, readOnly);
        try {
            VhdInspector.Inspection in = VhdInspector.inspect(ch);
            ImageFinding err = in.firstError();
            if (err != null) {
                throw ImageFinding.openRefusal(path, err, in.errorCount());
            }
            return new VhdImage(path, ch, readOnly, in);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    @Override
    public ImageFormat format() {
        return ImageFormat.VHD;
    }

    @Override
    public ImageVariant variant() {
        return variant;
    }

    /** The footer's time stamp: seconds since 2000-01-01 UTC, what a differencing child records of its parent. */
    public long timestamp() {
        return footer.timestamp();
    }

    @Override
    public BlockState blockState(long block) {
        checkBlock(block);
        if (bat == null) {
            return BlockState.ALLOCATED;
        }
        int b = (int) block;
        return bat[b] == VhdInspector.UNUSED ? BlockState.UNALLOCATED
                : partialBitmaps != null && partialBitmaps[b] != null ? BlockState.PARTIAL : BlockState.ALLOCATED;
    }

    @Override
    public boolean holdsSector(long sector) {
        long block = (sector << 9) >>> blockShift;
        BlockState state = blockState(block);
        return state == BlockState.PARTIAL ? VhdBitmap.isSet(partialBitmaps[(int) block], sectorInBlock(sector))
                : state == BlockState.ALLOCATED;
    }

    private int sectorInBlock(long sector) {
        return (int) (sector & (sectorsPerBlock - 1));
    }

    /** The table entry, where the bitmap and data lie, and for a partial block how many sectors it holds. */
    @Override
    public synchronized String describeBlock(long block) {
        checkBlock(block);
        if (bat == null) {
            return "fixed image: data at file offset " + ImageFiles.hex(block << blockShift);
        }
        int e = bat[(int) block];
        String entry = "block allocation table entry " + block;
        if (e == VhdInspector.UNUSED) {
            return entry + " = FFFFFFFFh (free)";
        }
        String where = entry + " = sector " + (e & 0xFFFFFFFFL) + ": sector bitmap at file offset "
                + ImageFiles.hex((e & 0xFFFFFFFFL) * 512) + ", data at " + ImageFiles.hex(dataOffset(e));
        byte[] bitmap = partialBitmaps == null ? null : partialBitmaps[(int) block];
        return bitmap == null ? where : where + "; the bitmap marks " + VhdBitmap.countSet(bitmap, sectorsIn(block))
                + " of its " + sectorsIn(block) + " sectors present, the others are the parent's";
    }

    /** The block's sectors that are part of the disk (fewer than a block's for a last block cut by the disk's end). */
    private int sectorsIn(long block) {
        return (int) Math.min(sectorsPerBlock, (size - (block << blockShift)) / 512);
    }

    @Override
    public synchronized long allocatedBytes() {
        return bat == null ? size : allocated * blockSize;
    }

    @Override
    public UUID uuid() {
        return footer.uuid();
    }

    @Override
    public synchronized UUID parentUuid() {
        return variant == ImageVariant.DIFF ? header.parentUuid() : null;
    }

    /** The relative (W2ru) locator, else the absolute (W2ku) one, else the parent's name, with '/' separators. */
    @Override
    public synchronized String parentPathHint() {
        if (variant != ImageVariant.DIFF) {
            return null;
        }
        String p = relativeParent != null && !relativeParent.isEmpty() ? relativeParent
                : absoluteParent != null && !absoluteParent.isEmpty() ? absoluteParent : header.parentName();
        if (p == null || p.isEmpty()) {
            return null;
        }
        p = p.replace('\\', '/');
        return p.startsWith("./") ? p.substring(2) : p;
    }

    /** A VHD parent must still have the time stamp this child recorded of it (0 when it was not recorded). */
    @Override
    public synchronized void checkParent(DiskImage parent) throws StorageException {
        if (variant == ImageVariant.DIFF && header.parentTimestamp() != 0 && parent instanceof VhdImage v
                && v.timestamp() != header.parentTimestamp()) {
            throw new StorageException(path, "parent time stamp at byte offset " + ImageFiles.hex(footer.dataOffset()
                    + 56) + " is " + header.parentTimestamp() + " but the parent " + parent.path() + " has time stamp "
                    + v.timestamp() + ": the parent changed after this differencing image was made, so the child "
                    + "may no longer fit it; restore the parent from a backup");
        }
    }

    @Override
    public synchronized Map<String, String> details() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("VHD type", footer.typeName());
        d.put("Creator", footer.creatorApp().trim() + " " + (footer.creatorVersion() >>> 16) + "."
                + (footer.creatorVersion() & 0xFFFF));
        d.put("Created", Instant.ofEpochSecond(footer.timestamp() + VhdFooter.EPOCH_2000).toString());
        VhdGeometry geometry = new VhdGeometry(footer.cylinders(), footer.heads(), footer.sectorsPerTrack());
        String geometryText = geometry + " (cylinders/heads/sectors)";
        if (geometry.sectors() * 512 < size() && geometry.sectors() < VhdGeometry.MAX_SECTORS) {
            // Virtual PC, and qemu for images Virtual PC made, show the guest only the geometry's sectors
            geometryText += "; covers " + geometry.sectors() * 512 + " bytes, less than the footer's current size,"
                    + " which Strata (as VirtualBox) takes as the disk's size";
        }
        d.put("Geometry", geometryText);
        if (variant == ImageVariant.DIFF) {
            d.put("Parent name", header.parentName());
            d.put("Parent locators", "relative " + relativeParent + ", absolute " + absoluteParent);
        }
        return d;
    }

    @Override
    public void setParentUuid(UUID parent) throws IOException {
        requireChild(parent);
        synchronized (this) {
            writeHeader(header.withParent(parent, 0, header.parentName(), header.locators()));
        }
    }

    /** Records the parent's UUID, time stamp (for a VHD parent), name and both path locators. */
    @Override
    public synchronized void setParent(DiskImage parent) throws IOException {
        requireChild(parent.uuid());
        List<VhdDynamicHeader.Locator> locators = new ArrayList<>();
        String rel = VhdCreator.relativeLocator(path, parent.path());
        String abs = parent.path().toAbsolutePath().normalize().toString();
        String newRelative = null;
        String newAbsolute = null;
        for (VhdDynamicHeader.Locator l : header.locators()) {
            String text = l.platform().equals("W2ru") ? rel : l.platform().equals("W2ku") ? abs : null;
            if (text == null) {
                locators.add(l);
                continue;
            }
            if (l.platform().equals("W2ru")) {
                newRelative = rel;
            } else {
                newAbsolute = abs;
            }
            byte[] data = text.getBytes(StandardCharsets.UTF_16LE);
            if (data.length > l.roomBytes()) {
                throw new StorageException(path, "the parent's path " + text + " does not fit the " + l.roomBytes()
                        + " bytes the " + l.platform() + " locator has at byte offset " + ImageFiles.hex(l.dataOffset())
                        + "; nothing was changed: keep the parent nearer the child");
            }
            ImageFiles.writeAll(ch, ByteBuffer.wrap(Arrays.copyOf(data, (int) l.roomBytes())), l.dataOffset());
            locators.add(new VhdDynamicHeader.Locator(l.platform(), l.dataSpace(), data.length, l.dataOffset()));
        }
        ch.force(false);
        long ts = parent instanceof VhdImage v ? v.timestamp() : 0;
        writeHeader(header.withParent(parent.uuid(), ts, parent.path().getFileName().toString(), locators));
        // a locator the file lacks stays missing (only the parent's name then leads to it)
        relativeParent = newRelative;
        absoluteParent = newAbsolute;
    }

    private void writeHeader(VhdDynamicHeader next) throws IOException {
        ImageFiles.writeAll(ch, ByteBuffer.wrap(next.encode()), footer.dataOffset());
        ch.force(false);
        header = next;
    }

    private void requireChild(UUID parent) throws StorageException {
        checkWritable();
        if (variant != ImageVariant.DIFF) {
            throw new StorageException(path, "only a differencing image has a parent; this one is " + variant);
        }
        if (parent == null) {
            throw new StorageException(path, "a differencing VHD needs a parent; refusing to clear its parent UUID");
        }
    }

    /** A fixed image's blocks are the file's first bytes, so one file read serves all it is asked for. */
    @Override
    protected int readBlock(long block, int inBlock, byte[] buf, int off, int n, int wanted) throws IOException {
        if (bat == null) {
            ImageBytes.readOrZeros(ch, (block << blockShift) + inBlock, buf, off, wanted);
            return wanted;
        }
        int e = bat[(int) block];
        if (e == VhdInspector.UNUSED) {
            Arrays.fill(buf, off, off + n, (byte) 0);
        } else {
            ImageBytes.readOrZeros(ch, dataOffset(e) + inBlock, buf, off, n);
            byte[] bitmap = partialBitmaps == null ? null : partialBitmaps[(int) block];
            if (bitmap != null) {
                zeroAbsentSectors(bitmap, inBlock, buf, off, n);
            }
        }
        return n;
    }

    /** Sectors a partial block does not hold read as zeros from this image alone (a chain reads the parent's). */
    private static void zeroAbsentSectors(byte[] bitmap, int inBlock, byte[] buf, int off, int n) {
        for (int pos = inBlock, end = inBlock + n; pos < end; ) {
            int next = Math.min(end, (pos | 511) + 1);
            if (!VhdBitmap.isSet(bitmap, pos >>> 9)) {
                Arrays.fill(buf, off + pos - inBlock, off + next - inBlock, (byte) 0);
            }
            pos = next;
        }
    }

    private long dataOffset(int entry) {
        return (entry & 0xFFFFFFFFL) * 512 + bitmapBytes;
    }

    @Override
    protected void writeBlock(long block, int inBlock, byte[] buf, int off, int n) throws IOException {
        if (bat == null) {
            ImageFiles.writeAll(ch, ByteBuffer.wrap(buf, off, n), (block << blockShift) + inBlock);
            return;
        }
        int e = bat[(int) block];
        byte[] bitmap = partialBitmaps == null ? null : partialBitmaps[(int) block];
        if (bitmap != null) {
            writePartial((int) block, e, bitmap, inBlock, buf, off, n);
        } else if (e != VhdInspector.UNUSED) {
            ImageFiles.writeAll(ch, ByteBuffer.wrap(buf, off, n), dataOffset(e) + inBlock);
        } else if (variant == ImageVariant.DIFF || !ImageBytes.allZero(buf, off, n)) {
            allocate((int) block, buf, off, n, inBlock);
        }
    }

    /**
     * Writes into a block that holds only some sectors and marks the sectors written present; an absent sector written
     * in part gets zeros for the rest, since the image alone reads it as zeros. The bitmap goes to the file at the
     * next flush, after the data.
     */
    private void writePartial(int block, int entry, byte[] bitmap, int inBlock, byte[] buf, int off, int n)
            throws IOException {
        int first = inBlock >>> 9;
        int last = (inBlock + n - 1) >>> 9;
        if ((inBlock & 511) != 0 && !VhdBitmap.isSet(bitmap, first)) {
            ImageFiles.writeAll(ch, ByteBuffer.allocate(inBlock & 511), dataOffset(entry) + (first << 9));
        }
        int end = inBlock + n;
        if ((end & 511) != 0 && !VhdBitmap.isSet(bitmap, last)) {
            ImageFiles.writeAll(ch, ByteBuffer.allocate(512 - (end & 511)), dataOffset(entry) + end);
        }
        ImageFiles.writeAll(ch, ByteBuffer.wrap(buf, off, n), dataOffset(entry) + inBlock);
        boolean changed = false;
        for (int s = first; s <= last; s++) {
            if (!VhdBitmap.isSet(bitmap, s)) {
                VhdBitmap.set(bitmap, s);
                changed = true;
            }
        }
        if (changed) {
            unwrittenBitmaps.put(block, bitmap);
            if (VhdBitmap.countSet(bitmap, sectorsIn(block)) == sectorsIn(block)) {
                partialBitmaps[block] = null;
            }
        }
    }

    /** The data first, then the bitmaps that mark it present, then those. */
    @Override
    protected void force() throws IOException {
        if (unwrittenBitmaps.isEmpty()) {
            super.force();
            return;
        }
        ch.force(false);
        for (Map.Entry<Integer, byte[]> b : unwrittenBitmaps.entrySet()) {
            ImageFiles.writeAll(ch, ByteBuffer.wrap(b.getValue()), (bat[b.getKey()] & 0xFFFFFFFFL) * 512);
        }
        unwrittenBitmaps.clear();
        ch.force(false);
    }

    /** A new block where the footer is: data, bitmap (all sectors present), forced; then the table entry; then the footer. */
    private void allocate(int block, byte[] buf, int off, int n, int inBlock) throws IOException {
        long pos = nextBlockOffset;
        if (fileLength > pos + bitmapBytes) {
            // bytes past the footer's place belong to no block (an allocation cut short): drop them so the new
            // block's unwritten parts read as zeros
            ch.truncate(pos + bitmapBytes);
        }
        long end = pos + bitmapBytes + blockSize;
        ImageFiles.writeAll(ch, ByteBuffer.wrap(buf, off, n), pos + bitmapBytes + inBlock);
        if (bitmapBytes + inBlock + n < bitmapBytes + blockSize) {
            ImageFiles.writeAll(ch, ByteBuffer.allocate(1), end - 1);
        }
        ImageFiles.writeAll(ch, ByteBuffer.wrap(fullBitmap), pos);
        ch.force(false);
        int entry = (int) (pos / 512);
        ByteBuffer word = ByteBuffer.allocate(4).putInt(0, entry);
        ImageFiles.writeAll(ch, word, header.tableOffset() + 4L * block);
        bat[block] = entry;
        allocated++;
        ImageFiles.writeAll(ch, ByteBuffer.wrap(footer.encode()), end);
        nextBlockOffset = end;
        fileLength = end + VhdFooter.SIZE;
    }

    @Override
    public String toString() {
        return "VHD " + footer.typeName() + " " + path;
    }
}
