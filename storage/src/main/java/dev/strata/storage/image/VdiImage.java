package dev.strata.storage.image;

import static dev.strata.storage.image.VdiLayout.*;

import dev.strata.storage.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.UUID;

/**
 * A VirtualBox VDI 1.1 image: fixed, dynamic ("Standard") or differencing, with its block map held in memory.
 *
 * <p>Crash safety: a new block's data is written after the end of the data area and forced to disk before the
 * block-map entry that points to it is written, and the header's allocated-block count is written last. The
 * count may therefore lag after a crash; opening derives it from the block map instead.
 */
public final class VdiImage extends BlockMappedImage {
    private final ImageVariant variant;
    private final long stride;
    private final long extra;
    private final long offBlocks;
    private final long offData;
    private final int[] map;
    /** Header bytes as on disk, kept current so a header rewrite never needs a read. */
    private final byte[] headerBytes;
    /** How much of the first sector is header (the map may start inside it). */
    private final int headerWriteLength;
    private final ByteBuffer word = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
    private final ByteBuffer oneZero = ByteBuffer.allocate(1);

    private long fileLength;
    private long nextIndex;
    private long allocated;
    private boolean modifiedSinceOpen;

    private VdiImage(Path path, FileChannel ch, boolean readOnly, VdiInspector.Inspection in) {
        super(path, ch, readOnly, (in.header.diskSize() + SECTOR - 1) & ~(long) (SECTOR - 1),
                (int) in.header.blockSize());
        VdiHeader h = in.header;
        this.variant = h.variant();
        this.extra = h.blockExtra();
        this.stride = blockSize + extra;
        this.offBlocks = h.offBlocks();
        this.offData = h.offData();
        this.map = in.map;
        this.headerBytes = in.firstSector;
        this.headerWriteLength = (int) Math.min(SECTOR, offBlocks);
        this.fileLength = in.fileLength;
        this.nextIndex = in.nextIndex;
        this.allocated = in.allocatedEntries;
    }

    /** Opens a VDI file, validating its header and block map; never writes to the file. */
    public static VdiImage open(Path path, boolean readOnly) throws IOException {
        FileChannel ch = ImageFiles.open(path, readOnly);
        try {
            VdiInspector.Inspection in = VdiInspector.inspect(ch);
            ImageFinding err = in.firstError();
            if (err != null) {
                throw ImageFinding.openRefusal(path, err, in.errorCount());
            }
            return new VdiImage(path, ch, readOnly, in);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /**
     * Writes a new, empty VDI into {@code ch}: fixed images get every block allocated in order (a sparse file),
     * dynamic and differencing images an empty block map. Offsets are 1 MiB aligned as VirtualBox aligns them.
     */
    static void writeNew(FileChannel ch, ImageVariant variant, long sizeBytes, UUID linkage, UUID parentModify)
            throws IOException {
        long blocks = (sizeBytes + DEFAULT_BLOCK_SIZE - 1) / DEFAULT_BLOCK_SIZE;
        long offBlocks = align(HEADER_START + HEADER1PLUS_SIZE, DATA_ALIGN);
        long offData = align(offBlocks + 4 * blocks, DATA_ALIGN);
        int type = variant == ImageVariant.FIXED ? TYPE_FIXED : variant == ImageVariant.DIFF ? TYPE_DIFF : TYPE_NORMAL;
        boolean fixed = variant == ImageVariant.FIXED;
        VdiHeader h = new VdiHeader(FILE_INFO, SIGNATURE_VALUE, VERSION_1_1, HEADER1PLUS_SIZE, type, 0, "",
                offBlocks, offData, 0, 0, 0, SECTOR, sizeBytes, DEFAULT_BLOCK_SIZE, 0, blocks, fixed ? blocks : 0,
                UUID.randomUUID(), UUID.randomUUID(), linkage, parentModify, 0, 0, 0, SECTOR);
        ImageFiles.writeAll(ch, ByteBuffer.wrap(h.encode()), 0);
        ByteBuffer m = ByteBuffer.allocate((int) (4 * blocks)).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < blocks; i++) {
            m.putInt(fixed ? i : BLOCK_FREE);
        }
        m.flip();
        ImageFiles.writeAll(ch, m, offBlocks);
        long end = fixed ? offData + blocks * DEFAULT_BLOCK_SIZE : offData;
        // One byte at the end sets the length; the rest stays a hole that reads as zeros. When the map fills its
        // last MiB exactly (sizes that are multiples of 256 GiB) it already ends at offData, and that byte would
        // land on the last map entry, turning "free" into a block index.
        if (end > offBlocks + 4 * blocks) {
            ImageFiles.writeAll(ch, ByteBuffer.allocate(1), end - 1);
        }
    }

    private static long align(long v, long a) {
        return (v + a - 1) / a * a;
    }

    @Override
    public ImageFormat format() {
        return ImageFormat.VDI;
    }

    @Override
    public ImageVariant variant() {
        return variant;
    }

    @Override
    public BlockState blockState(long block) {
        // the map may have more entries than the disk needs blocks (VirtualBox allows it)
        if (block < 0 || block >= map.length) {
            throw new IndexOutOfBoundsException("block " + block + " of " + map.length);
        }
        int e = map[(int) block];
        return e == BLOCK_FREE ? BlockState.UNALLOCATED : e == BLOCK_ZERO ? BlockState.ZERO : BlockState.ALLOCATED;
    }

    @Override
    public String describeBlock(long block) {
        BlockState state = blockState(block);
        int e = map[(int) block];
        String entry = "block map entry " + block + " at file offset " + hex(offBlocks + block * 4);
        return switch (state) {
            case UNALLOCATED -> entry + " = FFFFFFFFh (free)";
            case ZERO -> entry + " = FFFFFFFEh (zero)";
            case ALLOCATED, PARTIAL -> entry + " = " + (e & 0xFFFFFFFFL) + ": data at file offset "
                    + hex(dataOffset(e));
        };
    }

    @Override
    public synchronized long allocatedBytes() {
        return allocated * blockSize;
    }

    @Override
    public UUID uuid() {
        return GuidBytes.read(headerBytes, UUID_CREATE);
    }

    @Override
    public synchronized UUID parentUuid() {
        UUID u = GuidBytes.read(headerBytes, UUID_LINKAGE);
        return variant == ImageVariant.DIFF && !GuidBytes.isNull(u) ? u : null;
    }

    /** The UUID VirtualBox changes whenever the image is modified (uuidModify). */
    public synchronized UUID modificationUuid() {
        return GuidBytes.read(headerBytes, UUID_MODIFY);
    }

    /** For a differencing image, the parent's modification UUID recorded when the link was made, or null. */
    public synchronized UUID parentModificationUuid() {
        UUID u = GuidBytes.read(headerBytes, UUID_PARENT_MODIFY);
        return GuidBytes.isNull(u) ? null : u;
    }

    /** The modification UUIDs VirtualBox keeps: this image's, and for a child the parent's when it was linked. */
    @Override
    public synchronized java.util.Map<String, String> details() {
        java.util.Map<String, String> d = new java.util.LinkedHashMap<>();
        d.put("Modification", String.valueOf(modificationUuid()));
        if (variant == ImageVariant.DIFF) {
            d.put("Parent mod.", String.valueOf(parentModificationUuid()));
        }
        return d;
    }

    /** A snapshot of the header as it is on disk now. */
    public synchronized VdiHeader header() {
        return VdiHeader.decode(headerBytes.clone());
    }

    @Override
    public void setParentUuid(UUID parent) throws IOException {
        setParentLink(parent, parentModificationUuid());
    }

    /** Sets both the parent's UUID and its modification UUID (what VirtualBox records); durable when it returns. */
    public synchronized void setParentLink(UUID parent, UUID parentModify) throws IOException {
        checkWritable();
        if (variant != ImageVariant.DIFF) {
            throw new StorageException(path, "only a differencing image has a parent; this one is " + variant);
        }
        if (GuidBytes.isNull(parent)) {
            throw new StorageException(path, "a differencing image needs a parent UUID; refusing to clear uuidLinkage");
        }
        byte[] next = headerBytes.clone();
        GuidBytes.write(parent, next, UUID_LINKAGE);
        GuidBytes.write(parentModify, next, UUID_PARENT_MODIFY);
        ImageFiles.writeAll(ch, ByteBuffer.wrap(next, 0, headerWriteLength), 0);
        ch.force(false);
        System.arraycopy(next, 0, headerBytes, 0, headerBytes.length);
    }

    @Override
    protected int readBlock(long block, int inBlock, byte[] buf, int off, int n, int wanted) throws IOException {
        int e = map[(int) block];
        if (e == BLOCK_FREE || e == BLOCK_ZERO) {
            Arrays.fill(buf, off, off + n, (byte) 0);
        } else {
            readData(ByteBuffer.wrap(buf, off, n), dataOffset(e) + inBlock);
        }
        return n;
    }

    @Override
    protected void writeBlock(long block, int inBlock, byte[] buf, int off, int n) throws IOException {
        int e = map[(int) block];
        if (e != BLOCK_FREE && e != BLOCK_ZERO) {
            markModified();
            ImageFiles.writeAll(ch, ByteBuffer.wrap(buf, off, n), dataOffset(e) + inBlock);
        } else if (!readsSameAsZeros(e, buf, off, n)) {
            markModified();
            allocate((int) block, ByteBuffer.wrap(buf, off, n), inBlock);
        }
    }

    /**
     * Zeros written to a block that already reads as zeros change nothing, so the block can stay unallocated
     * (clones and zero-filled guests stay small). A differencing image's free block shows the parent, so there
     * the write must allocate.
     */
    private boolean readsSameAsZeros(int entry, byte[] buf, int off, int n) {
        return !(variant == ImageVariant.DIFF && entry == BLOCK_FREE) && ImageBytes.allZero(buf, off, n);
    }

    private void allocate(int block, ByteBuffer data, int inBlock) throws IOException {
        long index = nextIndex;
        long start = offData + index * stride;
        if (fileLength > start) {
            // Space after the last block belongs to no block (an allocation cut short by a crash); drop it so
            // the new block's unwritten parts read as zeros.
            ch.truncate(start);
            fileLength = start;
        }
        int n = data.remaining();
        ImageFiles.writeAll(ch, data, start + extra + inBlock);
        long end = start + stride;
        if (extra + inBlock + n < stride) {
            oneZero.clear();
            ImageFiles.writeAll(ch, oneZero, end - 1);
        }
        fileLength = Math.max(fileLength, end);
        ch.force(false);

        map[block] = (int) index;
        putWord((int) index, offBlocks + 4L * block);
        nextIndex = index + 1;
        allocated++;
        VdiHeader.putI32(headerBytes, BLOCKS_ALLOCATED, (int) nextIndex);
        putWord((int) nextIndex, BLOCKS_ALLOCATED);
    }

    /** VirtualBox gives an image a new modification UUID when it is first written after opening; so do we. */
    private void markModified() throws IOException {
        if (modifiedSinceOpen) {
            return;
        }
        GuidBytes.write(UUID.randomUUID(), headerBytes, UUID_MODIFY);
        ImageFiles.writeAll(ch, ByteBuffer.wrap(headerBytes, UUID_MODIFY, 16), UUID_MODIFY);
        modifiedSinceOpen = true;
    }

    private void putWord(int value, long pos) throws IOException {
        word.clear();
        word.putInt(0, value);
        ImageFiles.writeAll(ch, word, pos);
    }

    private long dataOffset(int entry) {
        return offData + (entry & 0xFFFFFFFFL) * stride + extra;
    }

    private void readData(ByteBuffer bb, long pos) throws IOException {
        while (bb.hasRemaining()) {
            int r = ch.read(bb, pos);
            if (r < 0) {
                throw new StorageException(path, "data at byte offset " + hex(pos) + " is past the end of the file; "
                        + "the file was truncated while open: restore it from a backup");
            }
            pos += r;
        }
    }

    @Override
    public String toString() {
        return "VDI " + variant + " " + path;
    }
}
