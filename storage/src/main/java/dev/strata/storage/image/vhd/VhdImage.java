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
import java.util.UUID;

/**
 * A Microsoft VHD (Virtual PC, Hyper-V, VirtualBox, QEMU's vpc): fixed (the sectors, then a footer), dynamic (a
 * footer copy, a dynamic header, a block allocation table and blocks that each start with a sector bitmap) or
 * differencing (dynamic, over a parent named by UUID, time stamp and path locators).
 *
 * <p>Crash safety: a new block goes where the footer is; its data, then its bitmap, are written and forced before
 * the table entry that points to it, and the footer is written after the block last. A crash in between leaves the
 * footer copy at offset 0, which opening then uses (and check --repair writes back to the end).
 */
public final class VhdImage extends BlockMappedImage {
    private final VhdFooter footer;
    private final ImageVariant variant;
    /** Null for a fixed image. */
    private VhdDynamicHeader header;
    private final int[] bat;
    private final long bitmapBytes;
    private final byte[] fullBitmap;
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
        return bat == null || bat[(int) block] != VhdInspector.UNUSED ? BlockState.ALLOCATED : BlockState.UNALLOCATED;
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
        d.put("Geometry", new VhdGeometry(footer.cylinders(), footer.heads(), footer.sectorsPerTrack())
                + " (cylinders/heads/sectors)");
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
        }
        return n;
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
        if (e != VhdInspector.UNUSED) {
            ImageFiles.writeAll(ch, ByteBuffer.wrap(buf, off, n), dataOffset(e) + inBlock);
        } else if (variant == ImageVariant.DIFF || !ImageBytes.allZero(buf, off, n)) {
            allocate((int) block, buf, off, n, inBlock);
        }
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
