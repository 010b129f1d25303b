package dev.strata.storage.image;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One virtual disk file in some format: a flat array of {@link #size()} bytes divided into blocks of
 * {@link #blockSize()} bytes, each of which the file either stores or not.
 *
 * <p>A driver knows nothing about chains: it reads and writes its own blocks only. Reading an unallocated
 * block gives zeros; a {@link dev.strata.storage.chain.DiskChain} decides instead to read the parent.
 * Writing any part of an unallocated block allocates the whole block, the rest of it zero-filled by the
 * driver; a chain that needs the parent's bytes there writes the whole block itself (copy-on-write).
 *
 * <p>A format that records presence per sector reports a block holding only some sectors as
 * {@link BlockState#PARTIAL} and answers {@link #holdsSector} for it. Writing into such a block makes the sectors
 * written present and leaves the others as they were; the rest of an absent sector written in part reads as zeros
 * from the image alone, so a chain that needs the parent's bytes there writes whole sectors itself.
 *
 * <p>Crash safety is the driver's job: it writes block data before the metadata that points to it and
 * orders metadata updates so that a crash at any point leaves a file that opens and loses nothing that
 * was flushed.
 */
public interface DiskImage extends Closeable {

    /** The file this image lives in. */
    Path path();

    ImageFormat format();

    ImageVariant variant();

    /** The logical size the guest sees, in bytes (a multiple of 512). */
    long size();

    /** Allocation granularity in bytes; a power of two, at least 512. */
    int blockSize();

    /** The number of blocks, {@code ceil(size / blockSize)}. */
    default long blockCount() {
        return (size() + blockSize() - 1) / blockSize();
    }

    /** What this image holds for block {@code block}; answered from memory, never from disk. */
    BlockState blockState(long block);

    /**
     * True when this image stores the 512-byte sector {@code sector} (of the disk, not of a block): always for a block
     * {@link BlockState#ALLOCATED}, never for one {@link BlockState#ZERO} or {@link BlockState#UNALLOCATED}, and as the
     * format records it for a {@link BlockState#PARTIAL} block; answered from memory, never from disk.
     */
    default boolean holdsSector(long sector) {
        return blockState((sector << 9) / blockSize()) == BlockState.ALLOCATED;
    }

    /**
     * True when some block in the {@code len} bytes from {@code offset} holds data here (allocated in this image or,
     * for a chain, below it); a copy skips ranges that do not, as they read as zeros.
     */
    default boolean showsData(long offset, long len) {
        long bs = blockSize();
        for (long b = offset / bs, last = (offset + len - 1) / bs; b <= last; b++) {
            if (blockState(b).holdsData()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Where this format records block {@code block}, in its own words, for {@code strata medium explain}: the table
     * entry that maps it and where its data lies in the file (VDI: its block map entry and the data's file
     * offset); null when the format has nothing to add to {@link #blockState}.
     */
    default String describeBlock(long block) {
        return null;
    }

    /** Bytes the file uses for allocated data (for {@code medium info}). */
    long allocatedBytes();

    /**
     * Every file of this image, the main file ({@link #path()}) last: formats that keep data beside it (a VMDK
     * descriptor's extents) list those first. Deleting an image deletes all of them.
     */
    default List<Path> files() {
        return List.of(path());
    }

    /** This image's own UUID (formats without one get a stable UUID from the registry). */
    UUID uuid();

    /** The parent's UUID for a differencing image, or null. */
    UUID parentUuid();

    /**
     * Where the parent's file should be, as this format records it beside the parent's UUID (VMDK's
     * parentFileNameHint, VHD's parent locators, qcow2's backing file name), relative to this image's folder unless
     * absolute; null when the format records none. Chains look there when no registry knows the parent's UUID.
     */
    default String parentPathHint() {
        return null;
    }

    /**
     * Fails when {@code parent}, found by this child's parent UUID, is not the image the child was made over by what
     * else the format records of a parent (VHD: its time stamp); chains call it for every link they open.
     */
    default void checkParent(DiskImage parent) throws IOException {
    }

    /**
     * What a check reports about this child's link to {@code parent} that does not stop the chain from opening
     * (VMDK: a parentCID that is not the parent's CID); empty when the link is whole or the format records nothing
     * more than the parent's UUID.
     */
    default List<ImageFinding> parentLinkFindings(DiskImage parent) throws IOException {
        return List.of();
    }

    /**
     * What this format records beyond what every image has, by name in display order (for {@code medium info}):
     * a VMDK's create type and CIDs, a VHD's type, creator and geometry, a qcow2 image's version, cluster size and
     * backing file; empty when there is nothing more.
     */
    default Map<String, String> details() {
        return Map.of();
    }

    /** Changes the parent link of a differencing image (used by merges); durable when it returns. */
    void setParentUuid(UUID parent) throws IOException;

    /**
     * Links this differencing image to {@code parent} (used by merges): its UUID and whatever else the format records
     * of a parent (VMDK: its file name and content ID); durable when it returns.
     */
    default void setParent(DiskImage parent) throws IOException {
        setParentUuid(parent.uuid());
    }

    /** True when the image was opened read-only; writes then fail. */
    boolean readOnly();

    /**
     * Reads {@code len} bytes at byte {@code offset}; unallocated and zero blocks read as zeros.
     * Fails with a {@link dev.strata.storage.StorageException} for a range outside the disk.
     */
    void read(long offset, byte[] buf, int bufOffset, int len) throws IOException;

    /** Writes {@code len} bytes at byte {@code offset}, allocating blocks as needed. */
    void write(long offset, byte[] buf, int bufOffset, int len) throws IOException;

    /** Makes everything written so far durable. */
    void flush() throws IOException;
}
