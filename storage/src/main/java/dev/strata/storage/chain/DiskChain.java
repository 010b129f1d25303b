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
 * <p>A layer may hold only some sectors of a block ({@link BlockState#PARTIAL}, a differencing VHD's sector bitmap).
 * A unit whose sectors come from more than one place is marked mixed in the table; a read there asks the layers,
 * from the top, which of them holds each sector ({@link DiskImage#holdsSector}) and serves runs of sectors alike with
 * one driver call. Writes into a partial block of the top go there whole sectors at a time (the parent's bytes of a
 * sector written in part are read first); the top then records those sectors as its own.
 *
 * <p>The chain owns its layers: {@link #close()} closes all of them. It is not thread-safe; one device thread
 * drives it.
 */
public final class DiskChain implements DiskImage {

    /** Table value for a unit no layer holds: it reads as zeros. */
    private static final short NOWHERE = -1;
    /** Table value for a unit a layer records as zero: it reads as zeros and hides the layers below. */
    private static final short ZEROED = -2;
    /** Table value for a unit whose sectors differ in where they are read from: decided sector by sector. */
    private static final short MIXED = -3;
    private static final int SECTOR_SHIFT = 9;
    private static final int SECTOR = 1 << SECTOR_SHIFT;

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
    /**
     * For recently read mixed units, the server of each of their sectors: asking every layer about every sector of a
     * read costs more than the read itself (a 2 MiB VHD block is 4,096 sectors). Dropped when the unit changes.
     */
    private final MixedUnits mixed = new MixedUnits();

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

    /** Lays the layers over each other from the base up, each hiding what it holds of the ones below. */
    private void buildTable() {
        mixed.clear();
        Arrays.fill(server, NOWHERE);
        for (int i = 0; i < layers.length; i++) {
            DiskImage layer = layers[i];
            for (long b = 0, blocks = layer.blockCount(); b < blocks; b++) {
                BlockState state = layer.blockState(b);
                if (state != BlockState.UNALLOCATED) {
                    layOver(i, b, state);
                }
            }
        }
    }

    /** Puts what layer {@code i} holds of its block {@code block} over the table's units for that block. */
    private void layOver(int i, long block, BlockState state) {
        layOver(i, block, state, 0, Integer.MAX_VALUE);
    }

    /** The same for the block's units from {@code firstUnit} to {@code lastUnit} only. */
    private void layOver(int i, long block, BlockState state, int firstUnit, int lastUnit) {
        int unitsPerBlockShift = layerBlockShift[i] - unitShift;
        int from = (int) Math.max(firstUnit, block << unitsPerBlockShift);
        int to = (int) Math.min(Math.min(server.length, (long) lastUnit + 1), (block + 1) << unitsPerBlockShift);
        switch (state) {
            case ALLOCATED -> Arrays.fill(server, from, to, (short) i);
            case ZERO -> Arrays.fill(server, from, to, ZEROED);
            case PARTIAL -> {
                if (unitsPerBlockShift == 0) {
                    // the unit is the whole block, which holds some sectors and not others: decided per sector
                    Arrays.fill(server, from, to, MIXED);
                    return;
                }
                long sectors = size >>> SECTOR_SHIFT;
                int perUnit = unitSize >>> SECTOR_SHIFT;
                DiskImage layer = layers[i];
                for (int u = from; u < to; u++) {
                    long first = (long) u * perUnit;
                    long last = Math.min(first + perUnit, sectors);
                    int held = 0;
                    for (long sector = first; sector < last; sector++) {
                        if (layer.holdsSector(sector)) {
                            held++;
                        }
                    }
                    if (held == last - first) {
                        server[u] = (short) i;
                    } else if (held > 0) {
                        server[u] = MIXED;
                    }
                }
            }
            case UNALLOCATED -> {
            }
        }
    }

    /** The layer serving sector {@code sector}, from the top down, or {@link #NOWHERE} / {@link #ZEROED}. */
    private short sectorServer(long sector) {
        long offset = sector << SECTOR_SHIFT;
        for (int i = topIndex; i >= 0; i--) {
            DiskImage layer = layers[i];
            switch (layer.blockState(offset >>> layerBlockShift[i])) {
                case ALLOCATED:
                    return (short) i;
                case ZERO:
                    return ZEROED;
                case PARTIAL:
                    if (layer.holdsSector(sector)) {
                        return (short) i;
                    }
                    break;
                default:
                    break;
            }
        }
        return NOWHERE;
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
        if (s == MIXED) {
            s = sectorServer(offset >>> SECTOR_SHIFT);
        }
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

    /**
     * What the chain as a whole shows for a unit: ALLOCATED when some layer serves all of it, PARTIAL when layers serve
     * some of its sectors and others read as zeros or come from different layers.
     */
    @Override
    public BlockState blockState(long block) {
        short s = server[Math.toIntExact(block)];
        return s >= 0 ? BlockState.ALLOCATED : s == ZEROED ? BlockState.ZERO
                : s == MIXED ? BlockState.PARTIAL : BlockState.UNALLOCATED;
    }

    /** True when some layer serves sector {@code sector} (rather than it reading as zeros). */
    @Override
    public boolean holdsSector(long sector) {
        int unit = (int) ((sector << SECTOR_SHIFT) >>> unitShift);
        short s = server[unit];
        return (s == MIXED ? sectorsOf(unit)[(int) (sector & (unitSize / SECTOR - 1))] : s) >= 0;
    }

    /** The server of every sector of mixed unit {@code unit}, from the cache or asked of the layers. */
    private short[] sectorsOf(int unit) {
        short[] sectors = mixed.get(unit);
        if (sectors == null) {
            int perUnit = unitSize >>> SECTOR_SHIFT;
            long first = (long) unit * perUnit;
            long end = size >>> SECTOR_SHIFT;
            sectors = new short[perUnit];
            for (int k = 0; k < perUnit; k++) {
                sectors[k] = first + k < end ? sectorServer(first + k) : NOWHERE;
            }
            mixed.put(unit, sectors);
        }
        return sectors;
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
            if (layer == MIXED) {
                readSectorBySector(offset, buf, bufOffset, n);
            } else if (layer < 0) {
                Arrays.fill(buf, bufOffset, bufOffset + n, (byte) 0);
            } else {
                layers[layer].read(offset, buf, bufOffset, n);
            }
            offset += n;
            bufOffset += n;
        }
    }

    /** Reads mixed units: each run of sectors served alike (within a unit) with one driver call. */
    private void readSectorBySector(long offset, byte[] buf, int bufOffset, int n) throws IOException {
        long end = offset + n;
        int sectorMask = (unitSize >>> SECTOR_SHIFT) - 1;
        while (offset < end) {
            int unit = (int) (offset >>> unitShift);
            short[] sectors = sectorsOf(unit);
            long unitEnd = Math.min(end, ((long) unit + 1) << unitShift);
            int k = (int) ((offset >>> SECTOR_SHIFT) & sectorMask);
            short layer = sectors[k];
            long runEnd = ((offset >>> SECTOR_SHIFT) + 1) << SECTOR_SHIFT;
            while (runEnd < unitEnd && sectors[++k] == layer) {
                runEnd += SECTOR;
            }
            int m = (int) (Math.min(runEnd, unitEnd) - offset);
            if (layer < 0) {
                Arrays.fill(buf, bufOffset, bufOffset + m, (byte) 0);
            } else {
                layers[layer].read(offset, buf, bufOffset, m);
            }
            offset += m;
            bufOffset += m;
        }
    }

    /**
     * The bytes of whole top blocks from {@code offset} (the start of block {@code block}, which the write replaces and
     * the top holds nothing of) up to {@code end}, as long as the top holds nothing of the next block either.
     */
    private int replacedRun(long block, long offset, long end) {
        long next = block + 1;
        long runEnd = Math.min(next << topShift, size);
        while ((next << topShift) < size && Math.min((next + 1) << topShift, size) <= end
                && holdsNothing(top.blockState(next))) {
            next++;
            runEnd = Math.min(next << topShift, size);
        }
        return (int) (runEnd - offset);
    }

    private static boolean holdsNothing(BlockState state) {
        return state == BlockState.UNALLOCATED || state == BlockState.ZERO;
    }

    /**
     * The bytes from {@code offset} (in top block {@code block}, which the top holds) to {@code end} or to the first
     * later block the top does not hold, whichever comes first.
     */
    private int allocatedRun(long block, long offset, long end) {
        long next = block + 1;
        long runEnd = Math.min(next << topShift, end);
        while (runEnd < end && top.blockState(next) == BlockState.ALLOCATED) {
            next++;
            runEnd = Math.min(next << topShift, end);
        }
        return (int) (runEnd - offset);
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
            BlockState state = top.blockState(block);
            if (state == BlockState.ALLOCATED) {
                // The top holds the block: one write covers it and the blocks after it that the top holds too, so
                // that a format with small blocks (VMDK's and qcow2's 64 KiB) can write them in one file access.
                n = allocatedRun(block, offset, end);
                top.write(offset, buf, bufOffset, n);
                offset += n;
                bufOffset += n;
                continue;
            }
            if (offset == blockStart && offset + n == blockEnd && state != BlockState.PARTIAL) {
                // The write replaces all of the block, and maybe of blocks after it that the top holds nothing of
                // either: one write, so that a format with small blocks can place them together in one file access.
                n = replacedRun(block, offset, end);
                top.write(offset, buf, bufOffset, n);
                long lastBlock = (offset + n - 1) >>> topShift;
                for (long b = block; b <= lastBlock; b++) {
                    layOver(topIndex, b, top.blockState(b));
                }
                mixed.drop(firstUnit, (int) ((offset + n - 1) >>> unitShift) + 1);
                offset += n;
                bufOffset += n;
                continue;
            }
            if (offset == blockStart && offset + n == blockEnd) {
                // The write replaces all of the block.
                top.write(offset, buf, bufOffset, n);
            } else if (state == BlockState.PARTIAL) {
                writeWholeSectors(offset, buf, bufOffset, n);
            } else if (readsAsZeros(firstUnit, blockEnd)) {
                // The driver's zero fill is right.
                top.write(offset, buf, bufOffset, n);
            } else {
                copyOnWrite(blockStart, (int) (blockEnd - blockStart), offset, buf, bufOffset, n);
            }
            if (state == BlockState.PARTIAL) {
                // only the units written can have changed, and in them only the sectors written
                int firstWritten = (int) (offset >>> unitShift);
                int lastWritten = (int) ((offset + n - 1) >>> unitShift);
                layOver(topIndex, block, top.blockState(block), firstWritten, lastWritten);
                updateMixed(firstWritten, lastWritten, offset >>> SECTOR_SHIFT, (offset + n - 1) >>> SECTOR_SHIFT);
            } else {
                layOver(topIndex, block, top.blockState(block));
                mixed.drop((int) (blockStart >>> unitShift), (int) ((blockEnd - 1) >>> unitShift) + 1);
            }
            offset += n;
            bufOffset += n;
        }
    }

    /**
     * Keeps the cached sector tables of units {@code firstUnit} to {@code lastUnit} in step after a write into a block
     * the top holds in part: only sectors {@code firstSector} to {@code lastSector} can serve from elsewhere now, so
     * those are asked again (a whole table asked again after every small write would cost more than the write).
     */
    private void updateMixed(int firstUnit, int lastUnit, long firstSector, long lastSector) {
        int perUnit = unitSize >>> SECTOR_SHIFT;
        for (int u = firstUnit; u <= lastUnit; u++) {
            short[] sectors = server[u] == MIXED ? mixed.get(u) : null;
            if (sectors == null) {
                mixed.drop(u, u + 1);
                continue;
            }
            long first = Math.max(firstSector, (long) u * perUnit);
            long last = Math.min(lastSector, (long) (u + 1) * perUnit - 1);
            for (long sector = first; sector <= last; sector++) {
                sectors[(int) (sector - (long) u * perUnit)] = sectorServer(sector);
            }
        }
    }

    private boolean readsAsZeros(int firstUnit, long blockEnd) {
        int lastUnit = (int) ((blockEnd - 1) >>> unitShift);
        for (int u = firstUnit; u <= lastUnit; u++) {
            if (server[u] >= 0 || server[u] == MIXED) {
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

    /**
     * Writes into a block the top holds in part: the top records presence per sector, so the write goes there as whole
     * sectors, the chain's current bytes filling the edges of sectors written in part. The rest of the block stays
     * where it is read from now; nothing is copied up from the parents.
     */
    private void writeWholeSectors(long offset, byte[] buf, int bufOffset, int n) throws IOException {
        long from = offset & -SECTOR;
        long to = (offset + n + SECTOR - 1) & -SECTOR;
        if (from == offset && to == offset + n) {
            top.write(offset, buf, bufOffset, n);
            return;
        }
        if (cowBuffer == null) {
            cowBuffer = new byte[topBlockSize];
        }
        int len = (int) (to - from);
        if (from < offset) {
            read(from, cowBuffer, 0, SECTOR);
        }
        if (to > offset + n) {
            read(to - SECTOR, cowBuffer, len - SECTOR, SECTOR);
        }
        System.arraycopy(buf, bufOffset, cowBuffer, (int) (offset - from), n);
        top.write(from, cowBuffer, 0, len);
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
