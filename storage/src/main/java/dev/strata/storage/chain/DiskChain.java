package dev.strata.storage.chain;

import dev.strata.storage.StorageException;
import dev.strata.storage.image.BlockState;
import dev.strata.storage.image.DiskImage;
import dev.strata.storage.image.ImageFormat;
import dev.strata.storage.image.ImageVariant;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A differencing chain seen as one disk: reads come from the nearest layer that holds a block, writes go to
 * the top layer with copy-on-write of partly written blocks.
 *
 * <p>At construction the chain builds a table that names, for every unit of the disk, the layer serving it
 * (a unit is the smallest block size among the layers). A read looks the table up and goes straight to that
 * layer, so a read costs the same whatever the depth. The table follows the chain's own writes; if someone
 * changes a layer behind the chain's back, call {@link #refreshAllocation()}.
 *
 * <p>The chain owns its layers: {@link #close()} closes all of them. It is not thread-safe; one device thread
 * drives it.
 */
public final class DiskChain implements DiskImage {

    /** Table value for a unit no layer holds: it reads as zeros. */
    private static final short NOWHERE = -1;
    /** Table value for a unit a layer records as zero: it reads as zeros and hides the layers below. */
    private static final short ZEROED = -2;

    private final DiskImage[] layers;
    private final int topIndex;
    private final DiskImage top;
    private final long size;
    private final int unitShift;
    private final int unitSize;
    private final int[] layerBlockShift;
    private final short[] server;
    private final int topShift;
    private final int topBlockSize;
    /** Scratch block for copy-on-write; allocated once so writes never allocate. */
    private byte[] cowBuffer;

    private DiskChain(DiskImage[] layers) throws StorageException {
        this.layers = layers;
        this.topIndex = layers.length - 1;
        this.top = layers[topIndex];
        this.size = top.size();
        this.layerBlockShift = new int[layers.length];
        int minBlock = Integer.MAX_VALUE;
        for (int i = 0; i < layers.length; i++) {
            int bs = layers[i].blockSize();
            if (bs < 512 || Integer.bitCount(bs) != 1) {
                throw new StorageException(layers[i].path(), "block size " + bs
                        + " is not a power of two of at least 512; the image is damaged or its driver is wrong");
            }
            layerBlockShift[i] = Integer.numberOfTrailingZeros(bs);
            minBlock = Math.min(minBlock, bs);
        }
        this.unitSize = minBlock;
        this.unitShift = Integer.numberOfTrailingZeros(minBlock);
        long units = (size + unitSize - 1) >>> unitShift;
        if (units > Integer.MAX_VALUE - 8) {
            throw new StorageException(top.path(), "the chain has " + units + " blocks of " + unitSize
                    + " bytes, too many to track; use images with larger blocks");
        }
        this.server = new short[(int) units];
        this.topBlockSize = top.blockSize();
        this.topShift = layerBlockShift[topIndex];
        buildTable();
    }

    /**
     * Builds a chain from its layers, base first, top last. Checks that every layer has the same size and
     * names the layer below as its parent, and that the base has no parent.
     */
    public static DiskChain of(List<? extends DiskImage> baseToTop) throws StorageException {
        Objects.requireNonNull(baseToTop, "baseToTop");
        if (baseToTop.isEmpty()) {
            throw new StorageException(null, "a disk chain needs at least one image");
        }
        if (baseToTop.size() > Short.MAX_VALUE) {
            throw new StorageException(baseToTop.get(baseToTop.size() - 1).path(),
                    "a chain of " + baseToTop.size() + " images is too deep");
        }
        DiskImage[] layers = baseToTop.toArray(new DiskImage[0]);
        DiskImage base = layers[0];
        if (base.parentUuid() != null) {
            throw new StorageException(base.path(), "the image " + base.uuid() + " names a parent "
                    + base.parentUuid() + " that is not in the chain; open the whole chain from its top");
        }
        for (int i = 1; i < layers.length; i++) {
            DiskImage child = layers[i];
            DiskImage parent = layers[i - 1];
            if (!Objects.equals(parent.uuid(), child.parentUuid())) {
                throw new StorageException(child.path(), "the image names its parent " + child.parentUuid()
                        + " but the image below it in the chain, " + parent.path() + ", has UUID " + parent.uuid());
            }
            if (child.size() != parent.size()) {
                throw sizeMismatch(child, parent);
            }
        }
        return new DiskChain(layers);
    }

    /** Builds a chain of one image, for callers that handle single images and chains alike. */
    public static DiskChain single(DiskImage image) throws StorageException {
        return of(List.of(image));
    }

    static StorageException sizeMismatch(DiskImage child, DiskImage parent) {
        return new StorageException(child.path(), "the image " + child.uuid() + " is " + child.size()
                + " bytes but its parent " + parent.path() + " (" + parent.uuid() + ") is " + parent.size()
                + " bytes; every image in a chain must have the same size");
    }

    private void buildTable() {
        Arrays.fill(server, NOWHERE);
        for (int i = 0; i < layers.length; i++) {
            DiskImage layer = layers[i];
            long blocks = layer.blockCount();
            int unitsPerBlockShift = layerBlockShift[i] - unitShift;
            for (long b = 0; b < blocks; b++) {
                BlockState state = layer.blockState(b);
                if (state == BlockState.UNALLOCATED) {
                    continue;
                }
                short value = state == BlockState.ALLOCATED ? (short) i : ZEROED;
                int from = (int) (b << unitsPerBlockShift);
                int to = (int) Math.min(server.length, (b + 1) << unitsPerBlockShift);
                Arrays.fill(server, from, to, value);
            }
        }
    }

    /** Rebuilds the block table from the layers' allocation tables, after they changed outside this chain. */
    public void refreshAllocation() {
        buildTable();
    }

    /** The layers, base first and top last. */
    public List<DiskImage> layers() {
        return Collections.unmodifiableList(Arrays.asList(layers));
    }

    /** The number of images in the chain (1 for a single image). */
    public int depth() {
        return layers.length;
    }

    /** The layer that receives writes. */
    public DiskImage top() {
        return top;
    }

    /** The layer at {@code index}, 0 being the base. */
    public DiskImage layer(int index) {
        return layers[index];
    }

    /**
     * The index of the layer that serves the byte at {@code offset}, or -1 when it reads as zeros because
     * no layer holds it or a layer records it as zero.
     */
    public int servingLayer(long offset) {
        Objects.checkIndex(offset, size);
        int s = server[(int) (offset >>> unitShift)];
        return s < 0 ? -1 : s;
    }

    @Override
    public java.nio.file.Path path() {
        return top.path();
    }

    @Override
    public ImageFormat format() {
        return top.format();
    }

    @Override
    public ImageVariant variant() {
        return top.variant();
    }

    @Override
    public long size() {
        return size;
    }

    /** The chain's unit: the smallest block size among its layers. */
    @Override
    public int blockSize() {
        return unitSize;
    }

    /** What the chain as a whole shows for a unit: ALLOCATED when some layer serves data. */
    @Override
    public BlockState blockState(long block) {
        short s = server[Math.toIntExact(block)];
        return s >= 0 ? BlockState.ALLOCATED : s == ZEROED ? BlockState.ZERO : BlockState.UNALLOCATED;
    }

    @Override
    public long allocatedBytes() {
        long sum = 0;
        for (DiskImage layer : layers) {
            sum += layer.allocatedBytes();
        }
        return sum;
    }

    @Override
    public UUID uuid() {
        return top.uuid();
    }

    @Override
    public UUID parentUuid() {
        return top.parentUuid();
    }

    /** Refused: a chain's links are changed on single images (see {@link ChainMerge#reparent}). */
    @Override
    public void setParentUuid(UUID parent) throws IOException {
        throw new StorageException(top.path(), "cannot change the parent of an open chain; change it on the image alone");
    }

    @Override
    public boolean readOnly() {
        return top.readOnly();
    }

    @Override
    public void read(long offset, byte[] buf, int bufOffset, int len) throws IOException {
        checkRange(offset, len);
        Objects.checkFromIndexSize(bufOffset, len, buf.length);
        long end = offset + len;
        while (offset < end) {
            int unit = (int) (offset >>> unitShift);
            short layer = server[unit];
            // Serve a run of neighbouring units from the same layer with one driver call.
            long runEnd = ((long) unit + 1) << unitShift;
            while (runEnd < end && server[(int) (runEnd >>> unitShift)] == layer) {
                runEnd += unitSize;
            }
            int n = (int) (Math.min(runEnd, end) - offset);
            if (layer < 0) {
                Arrays.fill(buf, bufOffset, bufOffset + n, (byte) 0);
            } else {
                layers[layer].read(offset, buf, bufOffset, n);
            }
            offset += n;
            bufOffset += n;
        }
    }

    @Override
    public void write(long offset, byte[] buf, int bufOffset, int len) throws IOException {
        if (top.readOnly()) {
            throw new StorageException(top.path(), "the image is open read-only; writes are refused");
        }
        checkRange(offset, len);
        Objects.checkFromIndexSize(bufOffset, len, buf.length);
        long end = offset + len;
        while (offset < end) {
            long block = offset >>> topShift;
            long blockStart = block << topShift;
            long blockEnd = Math.min(blockStart + topBlockSize, size);
            int n = (int) (Math.min(blockEnd, end) - offset);
            int firstUnit = (int) (blockStart >>> unitShift);
            if (server[firstUnit] == topIndex
                    || (offset == blockStart && offset + n == blockEnd)
                    || readsAsZeros(firstUnit, blockEnd)) {
                // The top holds the block, the write replaces all of it, or the driver's zero fill is right.
                top.write(offset, buf, bufOffset, n);
            } else {
                copyOnWrite(blockStart, (int) (blockEnd - blockStart), offset, buf, bufOffset, n);
            }
            if (server[firstUnit] != topIndex) {
                refreshBlock(block, firstUnit, blockEnd);
            }
            offset += n;
            bufOffset += n;
        }
    }

    private boolean readsAsZeros(int firstUnit, long blockEnd) {
        int lastUnit = (int) ((blockEnd - 1) >>> unitShift);
        for (int u = firstUnit; u <= lastUnit; u++) {
            if (server[u] >= 0) {
                return false;
            }
        }
        return true;
    }

    private void copyOnWrite(long blockStart, int blockLen, long offset, byte[] buf, int bufOffset, int n)
            throws IOException {
        if (cowBuffer == null) {
            cowBuffer = new byte[topBlockSize];
        }
        read(blockStart, cowBuffer, 0, blockLen);
        System.arraycopy(buf, bufOffset, cowBuffer, (int) (offset - blockStart), n);
        top.write(blockStart, cowBuffer, 0, blockLen);
    }

    /** Re-reads the top's state for one of its blocks after a write changed it. */
    private void refreshBlock(long block, int firstUnit, long blockEnd) {
        BlockState state = top.blockState(block);
        int lastUnit = (int) ((blockEnd - 1) >>> unitShift);
        if (state == BlockState.ALLOCATED) {
            Arrays.fill(server, firstUnit, lastUnit + 1, (short) topIndex);
        } else if (state == BlockState.ZERO) {
            Arrays.fill(server, firstUnit, lastUnit + 1, ZEROED);
        }
    }

    @Override
    public void flush() throws IOException {
        top.flush();
    }

    /** Closes every layer, top first; reports the first failure after trying them all. */
    @Override
    public void close() throws IOException {
        closeAll(Arrays.asList(layers));
    }

    static void closeAll(List<? extends DiskImage> images) throws IOException {
        IOException first = null;
        List<DiskImage> topFirst = new ArrayList<>(images);
        Collections.reverse(topFirst);
        for (DiskImage image : topFirst) {
            try {
                image.close();
            } catch (IOException | RuntimeException e) {
                if (first == null) {
                    first = e instanceof IOException io ? io
                            : new StorageException(image.path(), "closing the image failed: " + e, e);
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private void checkRange(long offset, long len) throws StorageException {
        if (offset < 0 || len < 0 || offset > size - len) {
            throw new StorageException(top.path(), "access of " + len + " bytes at offset " + offset
                    + " is outside the disk of " + size + " bytes");
        }
    }

    @Override
    public String toString() {
        return "DiskChain[depth " + layers.length + ", top " + top.path() + "]";
    }
}
