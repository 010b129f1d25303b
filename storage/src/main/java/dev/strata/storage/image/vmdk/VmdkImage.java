package dev.strata.storage.image.vmdk;

import dev.strata.storage.StorageException;
import dev.strata.storage.image.BlockMappedImage;
import dev.strata.storage.image.BlockState;
import dev.strata.storage.image.DiskImage;
import dev.strata.storage.image.ImageFiles;
import dev.strata.storage.image.ImageFinding;
import dev.strata.storage.image.ImageFormat;
import dev.strata.storage.image.ImageVariant;
import dev.strata.storage.image.RawImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * A VMware VMDK disk: a descriptor (embedded in a monolithic sparse file, or a text file of its own) and the extents
 * it names, one after another. A differencing VMDK records its parent's content ID and file name; Strata also reads
 * and writes the parent's UUID in the descriptor's disk database, as VirtualBox does, so chains link by UUID.
 *
 * <p>Like VMware, the image takes a new content ID (CID) when it is first written after opening, so a child made
 * over it earlier no longer claims to match it; like VirtualBox, it takes a new random ddb.uuid.modification then
 * too (VirtualBox's record of "changed since", which a child copies into its ddb.uuid.parentmodification).
 */
public final class VmdkImage extends BlockMappedImage {
    static final String MODIFICATION = "ddb.uuid.modification";
    static final String PARENT_MODIFICATION = "ddb.uuid.parentmodification";
    private final VmdkDescriptor descriptor;
    /** Where the descriptor lives in the base's channel, and the room it has there (-1 for a file of its own). */
    private final long descriptorOffset;
    private final long descriptorRoom;
    private final VmdkExtent[] extents;
    private final long[] starts;
    private final ImageVariant variant;
    private final UUID uuid;
    private final UUID parentUuid;
    private final boolean streamOptimized;
    private boolean modifiedSinceOpen;

    VmdkImage(Path path, boolean readOnly, VmdkDescriptor descriptor, FileChannel ch,
              long descriptorOffset, long descriptorRoom, List<VmdkExtent> extents, int blockSize, UUID recordedUuid)
            throws StorageException {
        super(path, ch, readOnly, totalLength(extents), blockSize);
        this.descriptor = descriptor;
        this.descriptorOffset = descriptorOffset;
        this.descriptorRoom = descriptorRoom;
        this.extents = extents.toArray(VmdkExtent[]::new);
        this.starts = new long[this.extents.length];
        long at = 0;
        for (int i = 0; i < this.extents.length; i++) {
            starts[i] = at;
            at += this.extents[i].length();
        }
        boolean differencing = descriptor.parentCid() != VmdkDescriptor.NO_PARENT_CID;
        this.variant = differencing ? ImageVariant.DIFF : baseVariant(descriptor.createType(), extents);
        this.streamOptimized = "streamOptimized".equalsIgnoreCase(descriptor.createType());
        UUID own = descriptor.uuid("image");
        this.uuid = own != null ? own : recordedUuid != null ? recordedUuid : RawImage.pathUuid(path);
        if (differencing) {
            UUID p = descriptor.uuid("parent");
            String hint = parentPathHint();
            if (p == null && hint == null) {
                throw new StorageException(path, "is a differencing VMDK (parentCID " + VmdkDescriptor.cidText(
                        descriptor.parentCid()) + ") but its descriptor names neither the parent's file "
                        + "(parentFileNameHint) nor its UUID (ddb.uuid.parent); the descriptor is damaged");
            }
            // Without a recorded UUID the parent is known by its file, as Strata knows any file without a UUID.
            this.parentUuid = p != null ? p : RawImage.pathUuid(path.toAbsolutePath().resolveSibling(hint).normalize());
        } else {
            this.parentUuid = null;
        }
    }

    private static long totalLength(List<VmdkExtent> extents) {
        long n = 0;
        for (VmdkExtent e : extents) {
            n += e.length();
        }
        return n;
    }

    @Override
    public ImageFormat format() {
        return ImageFormat.VMDK;
    }

    @Override
    public ImageVariant variant() {
        return variant;
    }

    /** A base image's variant: its layout from the createType, its allocation from its extents. */
    private static ImageVariant baseVariant(String createType, List<VmdkExtent> extents) {
        boolean flat = extents.stream().allMatch(e -> e instanceof FlatExtent);
        String type = createType == null ? "" : createType;
        if (type.equalsIgnoreCase("streamOptimized")) {
            return ImageVariant.STREAM;
        }
        if (type.equalsIgnoreCase("twoGbMaxExtentSparse") || type.equalsIgnoreCase("twoGbMaxExtentFlat")) {
            return flat ? ImageVariant.SPLIT_2G_FIXED : ImageVariant.SPLIT_2G;
        }
        return flat ? ImageVariant.FIXED : ImageVariant.STANDARD;
    }

    /** The descriptor's createType, e.g. monolithicSparse. */
    public String createType() {
        return descriptor.createType();
    }

    /** The content ID, which changes when the image is first written after opening. */
    public synchronized long cid() throws StorageException {
        return descriptor.cid();
    }

    /** The parent's content ID recorded when this child was made; 0xFFFFFFFF for a base image. */
    public synchronized long parentCid() throws StorageException {
        return descriptor.parentCid();
    }

    /** The image's ddb.uuid.modification, or null when absent or all zeros (never written since it was made). */
    synchronized UUID modificationUuid() {
        return descriptor.uuid("modification");
    }

    /** The descriptor's value of {@code key}, or null. */
    public synchronized String descriptorValue(String key) {
        return descriptor.get(key);
    }

    /** The create type, the content ID and, for a differencing image, the parent's recorded content ID. */
    @Override
    public synchronized java.util.Map<String, String> details() {
        java.util.Map<String, String> d = new java.util.LinkedHashMap<>();
        d.put("Create type", descriptor.createType());
        try {
            d.put("CID", VmdkDescriptor.cidText(descriptor.cid()));
            if (variant == ImageVariant.DIFF) {
                d.put("Parent CID", VmdkDescriptor.cidText(descriptor.parentCid()));
            }
            UUID modified = descriptor.uuid("modification");
            d.put("Modification UUID", modified == null ? "none (not written since it was made)" : modified.toString());
        } catch (StorageException e) {
            d.put("CID", "unreadable (" + e.getMessage() + ")");
        }
        return d;
    }

    private int extentOf(long offset) {
        int i = Arrays.binarySearch(starts, offset);
        return i >= 0 ? i : -i - 2;
    }

    @Override
    public BlockState blockState(long block) {
        checkBlock(block);
        long offset = block << blockShift;
        int i = extentOf(offset);
        return extents[i].state(offset - starts[i]);
    }

    @Override
    public long allocatedBytes() {
        long n = 0;
        for (VmdkExtent e : extents) {
            n += e.allocatedBytes();
        }
        return n;
    }

    /** The extent files other than the descriptor's own, then the descriptor's file. */
    @Override
    public List<Path> files() {
        List<Path> out = new ArrayList<>();
        for (VmdkExtent e : extents) {
            if (!e.file().equals(path) && !out.contains(e.file())) {
                out.add(e.file());
            }
        }
        out.add(path);
        return out;
    }

    @Override
    public UUID uuid() {
        return uuid;
    }

    @Override
    public UUID parentUuid() {
        return parentUuid;
    }

    @Override
    public String parentPathHint() {
        return descriptor.get("parentFileNameHint");
    }

    @Override
    public synchronized void setParentUuid(UUID parent) throws IOException {
        requireChild(parent);
        descriptor.set("ddb.uuid.parent", parent.toString(), true);
        writeDescriptor();
        ch.force(false);
    }

    /** Records the parent's UUID, its file name relative to this image and its current CID (for a VMDK parent). */
    @Override
    public synchronized void setParent(DiskImage parent) throws IOException {
        requireChild(parent.uuid());
        descriptor.set("ddb.uuid.parent", parent.uuid().toString(), true);
        descriptor.set("parentFileNameHint", VmdkCreator.hint(path.toAbsolutePath().normalize(), parent.path()), true);
        if (parent instanceof VmdkImage v) {
            descriptor.setParentCid(v.cid());
            if (v.modificationUuid() != null) {
                descriptor.set(PARENT_MODIFICATION, v.modificationUuid().toString(), true);
            }
        }
        writeDescriptor();
        ch.force(false);
    }

    /**
     * A parentCID that is not the VMDK parent's CID, as a warning: the parent was written after this child was made
     * or last linked to it. A forward merge into the parent that was killed leaves exactly that, and the child still
     * reads correctly, so Strata opens such a chain; VMware refuses it.
     */
    @Override
    public synchronized List<ImageFinding> parentLinkFindings(DiskImage parent) throws IOException {
        if (!(parent instanceof VmdkImage v) || variant != ImageVariant.DIFF) {
            return List.of();
        }
        long recorded = descriptor.parentCid();
        long actual = v.cid();
        if (recorded == actual) {
            return List.of();
        }
        return List.of(new ImageFinding(ImageFinding.Severity.WARNING, "parentCID", -1, path.getFileName()
                + " records parentCID=" + VmdkDescriptor.cidText(recorded) + " but its parent " + v.path()
                + " has CID=" + VmdkDescriptor.cidText(actual) + ": the parent was written after this child was linked"
                + " to it. A merge into the parent that was interrupted leaves this, and the chain still reads "
                + "correctly (run the merge again to finish it); VMware refuses to open such a chain. If "
                + "something else wrote to the parent, the disk this child shows may have changed under it"));
    }

    private void requireChild(UUID parent) throws StorageException {
        checkWritable();
        if (variant != ImageVariant.DIFF) {
            throw new StorageException(path, "only a differencing image has a parent; this one is " + variant);
        }
        if (parent == null) {
            throw new StorageException(path, "a differencing VMDK needs a parent; refusing to clear ddb.uuid.parent");
        }
    }

    /** File writes that carried grain data to this image's sparse extents. */
    synchronized long dataWrites() {
        long n = 0;
        for (VmdkExtent e : extents) {
            if (e instanceof SparseExtent s) {
                n += s.dataWrites;
            }
        }
        return n;
    }

    @Override
    protected int readBlock(long block, int inBlock, byte[] buf, int off, int n, int wanted) throws IOException {
        long offset = (block << blockShift) + inBlock;
        int i = extentOf(offset);
        return extents[i].readRun(offset - starts[i], buf, off, n, wanted);
    }

    @Override
    protected int writeBlock(long block, int inBlock, byte[] buf, int off, int n, int wanted) throws IOException {
        long offset = (block << blockShift) + inBlock;
        int i = extentOf(offset);
        return extents[i].writeRun(offset - starts[i], buf, off, n, wanted, variant == ImageVariant.DIFF);
    }

    @Override
    protected void writeBlock(long block, int inBlock, byte[] buf, int off, int n) throws IOException {
        long offset = (block << blockShift) + inBlock;
        int i = extentOf(offset);
        extents[i].write(offset - starts[i], buf, off, n, variant == ImageVariant.DIFF);
    }

    /**
     * A new content ID on the first write after opening, as VMware gives one, and a new modification UUID, as
     * VirtualBox gives one, written before the data. A descriptor without the modification key (VMware's, qemu's) gets
     * it when the room for the descriptor allows.
     */
    @Override
    protected void beforeWrite() throws IOException {
        if (modifiedSinceOpen) {
            return;
        }
        long cid;
        do {
            cid = VmdkCreator.newCid();
        } while (cid == descriptor.cid());
        descriptor.setCid(cid);
        boolean had = descriptor.get(MODIFICATION) != null;
        descriptor.set(MODIFICATION, UUID.randomUUID().toString(), true);
        if (!had && descriptorRoom >= 0 && descriptor.encode().length > descriptorRoom) {
            descriptor.remove(MODIFICATION);
        }
        writeDescriptor();
        modifiedSinceOpen = true;
    }

    private void writeDescriptor() throws IOException {
        byte[] text = descriptor.encode();
        if (descriptorRoom >= 0) {
            if (text.length > descriptorRoom) {
                throw new StorageException(path, "the descriptor (" + text.length + " bytes) no longer fits the "
                        + descriptorRoom + " bytes the file keeps for it at byte offset " + ImageFiles.hex(
                        descriptorOffset) + "; nothing was changed");
            }
            byte[] padded = Arrays.copyOf(text, (int) descriptorRoom);
            ImageFiles.writeAll(ch, ByteBuffer.wrap(padded), descriptorOffset);
        } else {
            ImageFiles.writeAll(ch, ByteBuffer.wrap(text), 0);
            ch.truncate(text.length);
        }
    }

    @Override
    protected void checkWritable() throws StorageException {
        super.checkWritable();
        if (streamOptimized) {
            throw new StorageException(path, "is a stream-optimized (compressed) VMDK, which Strata reads but does "
                    + "not write; convert it, e.g. qemu-img convert -O vmdk " + path.getFileName() + " disk.vmdk");
        }
    }

    /** The extents' data, then the descriptor with its new content ID. */
    @Override
    protected void force() throws IOException {
        for (VmdkExtent e : extents) {
            e.force();
        }
        ch.force(true);
    }

    /** Closes every extent, then the descriptor's file, even when one of them fails. */
    @Override
    protected void release() throws IOException {
        IOException first = null;
        for (VmdkExtent e : extents) {
            try {
                e.close();
            } catch (IOException x) {
                first = first == null ? x : first;
            }
        }
        ch.close();
        if (first != null) {
            throw first;
        }
    }

    @Override
    public String toString() {
        return "VMDK " + descriptor.createType() + " " + path;
    }
}
