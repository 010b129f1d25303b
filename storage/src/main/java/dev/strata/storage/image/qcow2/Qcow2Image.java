package dev.strata.storage.image.qcow2;

import dev.strata.storage.StorageException;
import dev.strata.storage.image.BlockMappedImage;
import dev.strata.storage.image.BlockState;
import dev.strata.storage.image.DiskImage;
import dev.strata.storage.image.ImageBytes;
import dev.strata.storage.image.ImageFiles;
import dev.strata.storage.image.ImageFormat;
import dev.strata.storage.image.ImageVariant;
import dev.strata.storage.image.RawImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A QEMU qcow2 image (version 2 or 3): guest clusters found through its {@link Qcow2ClusterMap} (the L1 table and a
 * bounded cache of L2 tables), plain, zero and compressed clusters read, and new clusters allocated at the end of the
 * file. Which guest clusters the image holds is known from memory (two bitmaps built when it opens), as chains need.
 *
 * <p>Crash ordering of writes that allocate: refcounts of the new clusters as they are handed out, then their data;
 * at a flush (or when enough have gathered) all that is forced, then the L2 entries written, then forced again and
 * the L1 entries of new tables written. A crash leaves leaked clusters at worst, which {@code check} reports and
 * {@code repair} gives back; what was flushed is kept.
 *
 * <p>qcow2 records no UUIDs. Strata keeps the image's and its parent's in a header extension of its own, which QEMU
 * ignores and preserves; an image without it is known by its registry UUID or its path, and its parent by the
 * backing file's path.
 */
public final class Qcow2Image extends BlockMappedImage {
    private final Qcow2Header header;
    private final Qcow2ClusterMap map;
    private final UUID uuid;
    private final boolean fixed;
    private UUID parentUuid;
    private long fileLength;
    /** File writes that carried guest data (tests check that a run of new clusters goes out in one). */
    private long dataWrites;
    /** The compressed cluster decompressed last (guest cluster index), for sequential reads of compressed images. */
    private long inflatedCluster = -1;
    private byte[] inflated;

    Qcow2Image(Path path, FileChannel ch, boolean readOnly, Qcow2Header header, Qcow2ClusterMap map,
               long preallocatedZero, long fileLength, UUID recordedUuid) {
        super(path, ch, readOnly, header.size, header.clusterSize());
        this.header = header;
        this.map = map;
        this.fileLength = fileLength;
        this.uuid = header.uuid != null ? header.uuid : recordedUuid != null ? recordedUuid : RawImage.pathUuid(path);
        this.parentUuid = linkedParent(path, header);
        this.fixed = header.backingFile == null && blockCount() > 0
                && map.allocatedClusters() + preallocatedZero == blockCount();
    }

    /** The parent's UUID from Strata's extension while it still names the same backing file, else from the path. */
    private static UUID linkedParent(Path path, Qcow2Header h) {
        if (h.backingFile == null) {
            return null;
        }
        if (h.parentUuid != null && h.backingFile.equals(h.uuidBackingFile)) {
            return h.parentUuid;
        }
        return RawImage.pathUuid(path.toAbsolutePath().resolveSibling(h.backingFile).normalize());
    }

    /** Opens the image at {@code path}; see {@link Qcow2Opener}. */
    public static Qcow2Image open(Path path, boolean readOnly, UUID recordedUuid) throws IOException {
        return Qcow2Opener.open(path, readOnly, recordedUuid);
    }

    @Override
    public ImageFormat format() {
        return ImageFormat.QCOW2;
    }

    @Override
    public ImageVariant variant() {
        return header.backingFile != null ? ImageVariant.DIFF : fixed ? ImageVariant.FIXED : ImageVariant.STANDARD;
    }

    /** The header version: 2 (compat 0.10) or 3 (compat 1.1). */
    public int version() {
        return header.version;
    }

    /** The compat level as qemu-img shows it: 0.10 or 1.1. */
    public String compat() {
        return header.compat();
    }

    /** The backing file name as recorded (relative to this image's folder unless absolute), or null. */
    public String backingFile() {
        return header.backingFile;
    }

    /** The backing file's format as recorded (qemu's name, e.g. qcow2 or vdi), or null. */
    public String backingFormat() {
        return header.backingFormat;
    }

    /** The width of a refcount in bits. */
    public int refcountBits() {
        return 1 << header.refcountOrder;
    }

    /** The number of internal snapshots the image holds (Strata reads only the active layer of such an image). */
    public int snapshotCount() {
        return header.snapshotCount;
    }

    /** Version (compat), cluster size, refcount width, backing file and format, snapshots and marks. */
    @Override
    public Map<String, String> details() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("qcow2 version", header.version + " (compat " + header.compat() + ")");
        d.put("Cluster size", blockSize + " bytes");
        d.put("Refcount bits", Integer.toString(refcountBits()));
        if (header.backingFile != null) {
            d.put("Backing file", header.backingFile + (header.backingFormat != null ? " (format "
                    + header.backingFormat + ")" : ""));
        }
        if (header.snapshotCount != 0) {
            d.put("Snapshots", header.snapshotCount + " internal (read-only in Strata)");
        }
        if (header.dirty() || header.corrupt()) {
            d.put("Marked", (header.dirty() ? "dirty " : "") + (header.corrupt() ? "corrupt" : ""));
        }
        return d;
    }

    @Override
    public BlockState blockState(long block) {
        checkBlock(block);
        return map.state(block);
    }

    @Override
    public long allocatedBytes() {
        return map.allocatedClusters() << blockShift;
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
        return header.backingFile;
    }

    /** Records {@code parent} as the parent's UUID (the backing file name stays); null makes this a base image. */
    @Override
    public synchronized void setParentUuid(UUID parent) throws IOException {
        requireChild();
        if (parent == null) {
            header.backingFile = null;
            header.backingFormat = null;
            header.parentUuid = null;
        } else {
            header.parentUuid = parent;
            header.uuidBackingFile = header.backingFile;
        }
        header.uuid = uuid;
        writeHeader();
        parentUuid = parent;
    }

    /** Records the parent's file (relative to this image's folder), its format and its UUID. */
    @Override
    public synchronized void setParent(DiskImage parent) throws IOException {
        requireChild();
        header.backingFile = Qcow2Creator.hint(path, parent.path());
        header.backingFormat = Qcow2Creator.qemuFormatName(parent.format());
        header.parentUuid = parent.uuid();
        header.uuidBackingFile = header.backingFile;
        header.uuid = uuid;
        writeHeader();
        parentUuid = parent.uuid();
    }

    private void requireChild() throws StorageException {
        checkWritable();
        if (header.backingFile == null) {
            throw new StorageException(path, "only a differencing image has a parent; this one is " + variant());
        }
    }

    private void writeHeader() throws IOException {
        ImageFiles.writeAll(ch, ByteBuffer.wrap(header.encode(path)), 0);
        ch.force(false);
    }

    /** Reads hold the lock: they share the L2 cache and the last inflated cluster with writes. */
    @Override
    public synchronized void read(long offset, byte[] buf, int bufOffset, int len) throws IOException {
        super.read(offset, buf, bufOffset, len);
    }

    @Override
    protected int readBlock(long gc, int in, byte[] buf, int off, int n, int wanted) throws IOException {
        long e = map.entry(gc);
        long host = Qcow2Entries.offset(e);
        if (Qcow2Entries.compressed(e)) {
            System.arraycopy(inflate(gc, e), in, buf, off, n);
        } else if (host == 0 || Qcow2Entries.zero(e)) {
            Arrays.fill(buf, off, off + n, (byte) 0);
        } else {
            n = inPlaceRun(gc, host, n, wanted);
            ImageBytes.readOrZeros(ch, host + in, buf, off, n);
        }
        return n;
    }

    private byte[] inflate(long guestCluster, long entry) throws IOException {
        if (guestCluster == inflatedCluster) {
            return inflated;
        }
        long at = Qcow2Entries.compressedOffset(entry, blockShift);
        int len = (int) Math.min(Qcow2Entries.compressedLength(entry, blockShift), Math.max(0, fileLength - at));
        byte[] in = new byte[len];
        ImageBytes.readOrZeros(ch, at, in, 0, len);
        byte[] out = new byte[blockSize];
        Inflater inf = new Inflater(true);
        try {
            inf.setInput(in);
            int n = 0;
            while (n < blockSize && !inf.finished()) {
                int k = inf.inflate(out, n, blockSize - n);
                if (k == 0 && (inf.needsInput() || inf.needsDictionary())) {
                    break;
                }
                n += k;
            }
            if (n < blockSize) {
                throw new StorageException(path, "the compressed cluster for guest byte offset " + ImageFiles.hex(
                        guestCluster << blockShift) + " (data at byte offset " + ImageFiles.hex(at) + ") inflates to "
                        + n + " bytes, not " + blockSize + "; the image is damaged: restore it from a backup");
            }
        } catch (DataFormatException x) {
            throw new StorageException(path, "the compressed cluster for guest byte offset " + ImageFiles.hex(
                    guestCluster << blockShift) + " (data at byte offset " + ImageFiles.hex(at) + ") is not valid "
                    + "deflate data (" + x.getMessage() + "); the image is damaged: restore it from a backup");
        } finally {
            inf.end();
        }
        inflatedCluster = guestCluster;
        inflated = out;
        return out;
    }

    @Override
    protected void writeBlock(long gc, int in, byte[] buf, int off, int n) throws IOException {
        long e = map.entry(gc);
        long host = Qcow2Entries.offset(e);
        boolean compressed = Qcow2Entries.compressed(e);
        if (host != 0 && !compressed && !Qcow2Entries.zero(e)) {
            ImageFiles.writeAll(ch, ByteBuffer.wrap(buf, off, n), host + in);
            dataWrites++;
        } else if (!compressed && host == 0 && ImageBytes.allZero(buf, off, n)) {
            // zeros where the image holds none: nothing to store in a base image, a zero cluster over a parent
            if (header.backingFile != null && !Qcow2Entries.zero(e)) {
                if (header.version >= 3) {
                    map.set(gc, Qcow2Entries.ZERO, e);
                } else {
                    writeNewCluster(gc, e, in, buf, off, n);
                }
            }
        } else {
            writeNewCluster(gc, e, in, buf, off, n);
        }
    }

    @Override
    protected int writeBlock(long gc, int in, byte[] buf, int off, int n, int wanted) throws IOException {
        long e = map.entry(gc);
        long host = Qcow2Entries.offset(e);
        if (host == 0 || Qcow2Entries.compressed(e) || Qcow2Entries.zero(e)) {
            int clusters = in == 0 && n == blockSize ? newClusterRun(gc, buf, off, wanted) : 0;
            if (clusters > 1) {
                writeNewClusters(gc, clusters, buf, off);
                return clusters * blockSize;
            }
            writeBlock(gc, in, buf, off, n);
            return n;
        }
        n = inPlaceRun(gc, host, n, wanted);
        ImageFiles.writeAll(ch, ByteBuffer.wrap(buf, off, n), host + in);
        dataWrites++;
        return n;
    }

    /**
     * How many whole clusters from {@code gc} (whose data starts at {@code off}), within {@code wanted} bytes, hold
     * data and nothing in the file yet (no place, not compressed): {@link #writeNewClusters} gives them one run of the
     * file and one file write, so that a 1 MiB write into new space is one write, as in formats with 1 MiB blocks,
     * and not sixteen. Clusters of zeros end the run (they are stored as {@link #writeBlock} decides).
     */
    private int newClusterRun(long gc, byte[] buf, int off, int wanted) throws IOException {
        int clusters = 0;
        for (long c = gc; (clusters + 1L) * blockSize <= wanted; c++, clusters++) {
            long e = map.entry(c);
            if (Qcow2Entries.offset(e) != 0 || Qcow2Entries.compressed(e)
                    || ImageBytes.allZero(buf, off + clusters * blockSize, blockSize)) {
                break;
            }
        }
        return clusters;
    }

    /** Places clusters {@code gc} to {@code gc + clusters - 1} one after another in new space, in one file write. */
    private void writeNewClusters(long gc, int clusters, byte[] buf, int off) throws IOException {
        map.makeTables(gc, gc + clusters - 1);
        long target = map.allocate(clusters);
        ImageFiles.writeAll(ch, ByteBuffer.wrap(buf, off, clusters * blockSize), target);
        dataWrites++;
        fileLength = Math.max(fileLength, target + (long) clusters * blockSize);
        for (int k = 0; k < clusters; k++) {
            map.set(gc + k, (target + ((long) k << blockShift)) | Qcow2Entries.COPIED, map.entry(gc + k));
        }
    }

    /**
     * {@code n} (the bytes in cluster {@code gc}, stored at byte {@code host}) plus the following clusters stored in
     * place right after it in the file, up to {@code wanted} bytes: one file access serves them all.
     */
    private int inPlaceRun(long gc, long host, int n, int wanted) throws IOException {
        for (long c = gc + 1; n < wanted; c++) {
            long next = map.entry(c);
            if (next == 0 || Qcow2Entries.compressed(next) || Qcow2Entries.zero(next)
                    || Qcow2Entries.offset(next) != host + ((c - gc) << blockShift)) {
                break;
            }
            n = Math.min(wanted, n + blockSize);
        }
        return n;
    }

    /** Allocating writes gather their metadata; it goes to disk when enough has gathered, or at a flush. */
    @Override
    protected void afterWrite() throws IOException {
        if (map.commitDue()) {
            map.commit();
        }
    }

    /**
     * Writes a cluster that has no plain data of its own yet: unallocated, zero (preallocated or not) or compressed.
     * The rest of the cluster is zeros, or the decompressed data; a compressed cluster moves to a new place.
     */
    private void writeNewCluster(long gc, long e, int in, byte[] buf, int off, int n) throws IOException {
        long host = Qcow2Entries.offset(e);
        boolean compressed = Qcow2Entries.compressed(e);
        byte[] whole = null;
        if (compressed || (n < blockSize && host != 0)) {
            whole = compressed ? inflate(gc, e).clone() : new byte[blockSize];
            System.arraycopy(buf, off, whole, in, n);
        }
        long target = compressed || host == 0 ? map.allocate(1) : host;
        if (whole != null) {
            ImageFiles.writeAll(ch, ByteBuffer.wrap(whole), target);
        } else {
            ImageFiles.writeAll(ch, ByteBuffer.wrap(buf, off, n), target + in);
            if (in + n < blockSize && target != host) {
                // the rest of a new cluster is past the old end of the file: a hole of zeros once the file covers it
                ImageFiles.writeAll(ch, ByteBuffer.allocate(1), target + blockSize - 1);
            }
        }
        dataWrites++;
        if (compressed) {
            inflatedCluster = -1;
        }
        fileLength = Math.max(fileLength, target + blockSize);
        map.set(gc, target | Qcow2Entries.COPIED, e);
    }

    /**
     * Zeros the part of a partial last cluster that lies past the disk's end, so that a disk grown over it reads zeros
     * there, as {@code qemu-img resize} makes it read (a compressed last cluster is stored again uncompressed with a
     * zero tail). The disk reads the same before and after: only bytes past its end change. Resizing refuses images
     * with a parent, so a cluster that holds no data reads zeros already.
     */
    synchronized void zeroPastEnd() throws IOException {
        checkWritable();
        int in = (int) (size & blockMask);
        if (in == 0) {
            return;
        }
        long gc = size >>> blockShift;
        long e = map.entry(gc);
        boolean compressed = Qcow2Entries.compressed(e);
        long host = Qcow2Entries.offset(e);
        if (!compressed && (host == 0 || Qcow2Entries.zero(e) || host + in >= fileLength)) {
            return; // nothing stored past the end: the file's hole or a zero cluster reads zeros
        }
        written = true;
        beforeWrite();
        if (compressed) {
            byte[] whole = inflate(gc, e).clone();
            Arrays.fill(whole, in, blockSize, (byte) 0);
            long target = map.allocate(1);
            ImageFiles.writeAll(ch, ByteBuffer.wrap(whole), target);
            inflatedCluster = -1;
            fileLength = Math.max(fileLength, target + blockSize);
            map.set(gc, target | Qcow2Entries.COPIED, e);
        } else {
            int end = (int) Math.min(blockSize, fileLength - host);
            ImageFiles.writeAll(ch, ByteBuffer.allocate(end - in), host + in);
        }
    }

    /** Starts a rewrite of the image's tables in place ({@link Qcow2Compactor}): the same bookkeeping as a write. */
    synchronized void startRewrite() throws IOException {
        checkWritable();
        written = true;
        beforeWrite();
    }

    Qcow2ClusterMap map() {
        return map;
    }

    Qcow2Header header() {
        return header;
    }

    FileChannel channel() {
        return ch;
    }

    long fileLength() {
        return fileLength;
    }

    synchronized long dataWrites() {
        return dataWrites;
    }

    /** Before the first write: bits of autoclear features (bitmaps) are cleared, as QEMU does for a writer unaware of them. */
    @Override
    protected void beforeWrite() throws IOException {
        if (header.version < 3 || header.autoclear == 0) {
            return;
        }
        header.autoclear = 0;
        ImageFiles.writeAll(ch, ByteBuffer.allocate(8), Qcow2Header.OFF_AUTOCLEAR);
    }

    /** The L2 entries gathered by allocating writes go to disk before the data is forced. */
    @Override
    protected void force() throws IOException {
        map.commit();
        super.force();
    }

    @Override
    public String toString() {
        return "QCOW2 v" + header.version + " " + path;
    }
}
