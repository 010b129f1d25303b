package dev.strata.storage.image.parallels;

import dev.strata.storage.StorageException;
import dev.strata.storage.image.BlockMappedImage;
import dev.strata.storage.image.BlockState;
import dev.strata.storage.image.ImageBytes;
import dev.strata.storage.image.ImageFiles;
import dev.strata.storage.image.ImageFinding;
import dev.strata.storage.image.ImageFormat;
import dev.strata.storage.image.ImageVariant;
import dev.strata.storage.image.RawImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A Parallels expanding disk (.hdd), as Parallels, VirtualBox and QEMU write it: a header, a catalog of cluster
 * offsets, and the clusters. The format stores no UUID, so the registry's (or one from the path) is used, as for raw.
 *
 * <p>Crash safety: the in-use mark is set before the first write after opening and cleared on close (QEMU refuses to
 * write an image left marked); a new cluster's data is forced before the catalog entry that points to it.
 */
public final class ParallelsImage extends BlockMappedImage {
    private final ParallelsHeader header;
    private final long[] clusters;
    private final long spc;
    private final UUID uuid;
    private final ImageVariant variant;
    private long nextSector;
    private long fileLength;
    private long allocated;
    private boolean marked;

    private ParallelsImage(Path path, FileChannel ch, boolean readOnly, ParallelsInspector.Inspection in, UUID uuid) {
        super(path, ch, readOnly, in.header.sectors() * 512, (int) (in.header.sectorsPerCluster() * 512));
        this.header = in.header;
        this.clusters = in.clusters;
        this.spc = header.sectorsPerCluster();
        this.uuid = uuid;
        this.nextSector = in.nextSector;
        this.fileLength = in.fileLength;
        this.allocated = in.allocated;
        this.marked = header.inUse() == ParallelsHeader.IN_USE;
        this.variant = in.allocated == clusters.length ? ImageVariant.FIXED : ImageVariant.STANDARD;
    }

    /** Opens a Parallels disk, validating its header and catalog; never writes to the file. */
    public static ParallelsImage open(Path path, boolean readOnly, UUID recordedUuid) throws IOException {
        FileChannel ch = ImageFiles.open(path, readOnly);
        try {
            ParallelsInspector.Inspection in = ParallelsInspector.inspect(ch);
            ImageFinding err = in.firstError();
            if (err != null) {
                throw ImageFinding.openRefusal(path, err, in.errorCount());
            }
            return new ParallelsImage(path, ch, readOnly, in, recordedUuid != null ? recordedUuid
                    : RawImage.pathUuid(path));
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** 1 MiB clusters, as QEMU makes them. */
    static final int DEFAULT_SECTORS_PER_CLUSTER = 2048;

    /**
     * Writes a new disk of {@code size} bytes into {@code ch} as QEMU lays it out: the catalog padded to a whole
     * cluster, then the clusters; a fixed disk gets every cluster in order (a sparse host file).
     */
    static void writeNew(FileChannel ch, long size, boolean fixed) throws IOException {
        long cluster = DEFAULT_SECTORS_PER_CLUSTER * 512L;
        long entries = (size + cluster - 1) / cluster;
        long dataSectors = (ParallelsHeader.SIZE + 4 * entries + cluster - 1) / cluster * DEFAULT_SECTORS_PER_CLUSTER;
        ParallelsHeader h = new ParallelsHeader(ParallelsHeader.MAGIC_CLUSTERS, ParallelsHeader.VERSION, 16,
                size / 512 / 16 / 32, DEFAULT_SECTORS_PER_CLUSTER, entries, size / 512, 0, dataSectors, 0, 0);
        ByteBuffer b = ByteBuffer.allocate((int) (ParallelsHeader.SIZE + 4 * entries)).order(ByteOrder.LITTLE_ENDIAN);
        b.put(h.encode());
        long first = dataSectors / DEFAULT_SECTORS_PER_CLUSTER;
        for (long i = 0; i < entries; i++) {
            b.putInt((int) (fixed ? first + i : 0));
        }
        b.flip();
        ImageFiles.writeAll(ch, b, 0);
        long end = dataSectors * 512 + (fixed ? entries * cluster : 0);
        if (end > ParallelsHeader.SIZE + 4 * entries) {
            ImageFiles.writeAll(ch, ByteBuffer.allocate(1), end - 1);
        }
    }

    @Override
    public ImageFormat format() {
        return ImageFormat.HDD;
    }

    @Override
    public ImageVariant variant() {
        return variant;
    }

    @Override
    public BlockState blockState(long block) {
        if (block < 0 || block >= clusters.length) {
            throw new IndexOutOfBoundsException("block " + block + " of " + clusters.length);
        }
        return clusters[(int) block] != 0 ? BlockState.ALLOCATED : BlockState.UNALLOCATED;
    }

    @Override
    public synchronized long allocatedBytes() {
        return allocated * blockSize;
    }

    @Override
    public UUID uuid() {
        return uuid;
    }

    @Override
    public UUID parentUuid() {
        return null;
    }

    @Override
    public void setParentUuid(UUID parent) throws IOException {
        throw new StorageException(path, "a Parallels disk cannot have a parent here; its differencing images are VDI");
    }

    @Override
    public Map<String, String> details() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("Signature", header.magic() + (header.entryUnit() == 1 ? " (catalog in sectors)"
                : " (catalog in clusters)"));
        d.put("Cluster size", blockSize + " bytes (" + spc + " sectors)");
        d.put("Geometry", header.cylinders() + "/" + header.heads() + " (cylinders/heads)");
        return d;
    }

    @Override
    protected int readBlock(long block, int inBlock, byte[] buf, int off, int n, int wanted) throws IOException {
        long s = clusters[(int) block];
        if (s == 0) {
            Arrays.fill(buf, off, off + n, (byte) 0);
        } else {
            ImageBytes.readOrZeros(ch, s * 512 + inBlock, buf, off, n);
        }
        return n;
    }

    @Override
    protected void writeBlock(long block, int inBlock, byte[] buf, int off, int n) throws IOException {
        long s = clusters[(int) block];
        if (s != 0) {
            markInUse();
            ImageFiles.writeAll(ch, ByteBuffer.wrap(buf, off, n), s * 512 + inBlock);
        } else if (!ImageBytes.allZero(buf, off, n)) {
            markInUse();
            allocate((int) block, buf, off, n, inBlock);
        }
    }

    private void allocate(int c, byte[] buf, int off, int n, int in) throws IOException {
        long sector = nextSector;
        long start = sector * 512;
        if (fileLength > start) {
            // space after the last cluster belongs to none (an allocation cut short): drop it so the new cluster's
            // unwritten parts read as zeros
            ch.truncate(start);
        }
        ImageFiles.writeAll(ch, ByteBuffer.wrap(buf, off, n), start + in);
        long end = start + blockSize;
        if (in + n < blockSize) {
            ImageFiles.writeAll(ch, ByteBuffer.allocate(1), end - 1);
        }
        ch.force(false);
        long entry = sector / header.entryUnit();
        ByteBuffer word = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, (int) entry);
        ImageFiles.writeAll(ch, word, ParallelsHeader.SIZE + 4L * c);
        clusters[c] = sector;
        allocated++;
        nextSector = sector + spc;
        fileLength = end;
    }

    private void markInUse() throws IOException {
        if (!marked) {
            putInUse(ParallelsHeader.IN_USE);
            ch.force(false);
            marked = true;
        }
    }

    private void putInUse(long value) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, (int) value);
        ImageFiles.writeAll(ch, b, ParallelsHeader.OFF_IN_USE);
    }

    /** Clears the in-use mark this writer set, after everything it wrote is on disk. */
    @Override
    protected void finishWriting() throws IOException {
        if (!readOnly && written && marked) {
            putInUse(0);
            ch.force(false);
        }
    }

    @Override
    public String toString() {
        return "HDD " + path;
    }
}
