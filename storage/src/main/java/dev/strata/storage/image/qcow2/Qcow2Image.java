package dev.strata.storage.image.qcow2;

import dev.strata.storage.StorageException;
import dev.strata.storage.image.BlockState;
import dev.strata.storage.image.DiskImage;
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
public final class Qcow2Image implements DiskImage {
    private final Path path;
    private final FileChannel ch;
    private final boolean readOnly;
    private final Qcow2Header header;
    private final int clusterBits;
    private final int clusterSize;
    private final Qcow2ClusterMap map;
    private final UUID uuid;
    private final boolean fixed;
    private UUID parentUuid;
    private long fileLength;
    private boolean written;
    private boolean closed;
    /** The compressed cluster decompressed last (guest cluster index), for sequential reads of compressed images. */
    private long inflatedCluster = -1;
    private byte[] inflated;
    private byte[] zeros;

    Qcow2Image(Path path, FileChannel ch, boolean readOnly, Qcow2Header header, Qcow2ClusterMap map,
               long preallocatedZero, long fileLength, UUID recordedUuid) {
        this.path = path;
        this.ch = ch;
        this.readOnly = readOnly;
        this.header = header;
        this.clusterBits = header.clusterBits;
        this.clusterSize = header.clusterSize();
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
    public Path path() {
        return path;
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
        d.put("Cluster size", clusterSize + " bytes");
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
    public long size() {
        return header.size;
    }

    @Override
    public int blockSize() {
        return clusterSize;
    }

    @Override
    public BlockState blockState(long block) {
        if (block < 0 || block >= blockCount()) {
            throw new IndexOutOfBoundsException("block " + block + " of " + blockCount());
        }
        return map.state(block);
    }

    @Override
    public long allocatedBytes() {
        return map.allocatedClusters() << clusterBits;
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

    @Override
    public boolean readOnly() {
        return readOnly;
    }

    @Override
    public synchronized void read(long offset, byte[] buf, int bufOffset, int len) throws IOException {
        checkRange(offset, len);
        checkOpen();
        while (len > 0) {
            long gc = offset >>> clusterBits;
            int in = (int) (offset & (clusterSize - 1));
            int n = Math.min(len, clusterSize - in);
            long e = map.entry(gc);
            long host = Qcow2Entries.offset(e);
            if (Qcow2Entries.compressed(e)) {
                System.arraycopy(inflate(gc, e), in, buf, bufOffset, n);
            } else if (host == 0 || Qcow2Entries.zero(e)) {
                Arrays.fill(buf, bufOffset, bufOffset + n, (byte) 0);
            } else {
                // extend the read over following clusters that lie right after this one in the file
                while (n < len) {
                    long next = map.entry(gc + 1);
                    if (next == 0 || Qcow2Entries.compressed(next) || Qcow2Entries.zero(next)
                            || Qcow2Entries.offset(next) != host + (((gc + 1) - (offset >>> clusterBits)) << clusterBits)) {
                        break;
                    }
                    gc++;
                    n = Math.min(len, n + clusterSize);
                }
                readHost(host + in, buf, bufOffset, n);
            }
            offset += n;
            bufOffset += n;
            len -= n;
        }
    }

    /** Reads file bytes; what lies past the end of the file reads as zeros, as QEMU reads it. */
    private void readHost(long pos, byte[] buf, int off, int n) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(buf, off, n);
        while (bb.hasRemaining()) {
            if (ch.read(bb, pos + (bb.position() - off)) < 0) {
                Arrays.fill(buf, bb.position(), off + n, (byte) 0);
                return;
            }
        }
    }

    private byte[] inflate(long guestCluster, long entry) throws IOException {
        if (guestCluster == inflatedCluster) {
            return inflated;
        }
        long at = Qcow2Entries.compressedOffset(entry, clusterBits);
        int len = (int) Math.min(Qcow2Entries.compressedLength(entry, clusterBits), Math.max(0, fileLength - at));
        byte[] in = new byte[len];
        readHost(at, in, 0, len);
        byte[] out = new byte[clusterSize];
        Inflater inf = new Inflater(true);
        try {
            inf.setInput(in);
            int n = 0;
            while (n < clusterSize && !inf.finished()) {
                int k = inf.inflate(out, n, clusterSize - n);
                if (k == 0 && (inf.needsInput() || inf.needsDictionary())) {
                    break;
                }
                n += k;
            }
            if (n < clusterSize) {
                throw new StorageException(path, "the compressed cluster for guest byte offset " + ImageFiles.hex(
                        guestCluster << clusterBits) + " (data at byte offset " + ImageFiles.hex(at) + ") inflates to "
                        + n + " bytes, not " + clusterSize + "; the image is damaged: restore it from a backup");
            }
        } catch (DataFormatException x) {
            throw new StorageException(path, "the compressed cluster for guest byte offset " + ImageFiles.hex(
                    guestCluster << clusterBits) + " (data at byte offset " + ImageFiles.hex(at) + ") is not valid "
                    + "deflate data (" + x.getMessage() + "); the image is damaged: restore it from a backup");
        } finally {
            inf.end();
        }
        inflatedCluster = guestCluster;
        inflated = out;
        return out;
    }

    @Override
    public synchronized void write(long offset, byte[] buf, int bufOffset, int len) throws IOException {
        checkWritable();
        checkRange(offset, len);
        if (len == 0) {
            return;
        }
        firstWrite();
        while (len > 0) {
            long gc = offset >>> clusterBits;
            int in = (int) (offset & (clusterSize - 1));
            int n = Math.min(len, clusterSize - in);
            long e = map.entry(gc);
            long host = Qcow2Entries.offset(e);
            boolean compressed = Qcow2Entries.compressed(e);
            if (host != 0 && !compressed && !Qcow2Entries.zero(e)) {
                ImageFiles.writeAll(ch, ByteBuffer.wrap(buf, bufOffset, n), host + in);
            } else if (!compressed && host == 0 && isZero(buf, bufOffset, n)) {
                // zeros where the image holds none: nothing to store in a base image, a zero cluster over a parent
                if (header.backingFile != null && !Qcow2Entries.zero(e)) {
                    if (header.version >= 3) {
                        map.set(gc, Qcow2Entries.ZERO, e);
                    } else {
                        writeNewCluster(gc, e, in, buf, bufOffset, n);
                    }
                }
            } else {
                writeNewCluster(gc, e, in, buf, bufOffset, n);
            }
            written = true;
            offset += n;
            bufOffset += n;
            len -= n;
        }
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
        if (compressed || (n < clusterSize && host != 0)) {
            whole = compressed ? inflate(gc, e).clone() : new byte[clusterSize];
            System.arraycopy(buf, off, whole, in, n);
        }
        long target = compressed || host == 0 ? map.allocate(1) : host;
        if (whole != null) {
            ImageFiles.writeAll(ch, ByteBuffer.wrap(whole), target);
        } else {
            ImageFiles.writeAll(ch, ByteBuffer.wrap(buf, off, n), target + in);
            if (in + n < clusterSize && target != host) {
                // the rest of a new cluster is past the old end of the file: a hole of zeros once the file covers it
                ImageFiles.writeAll(ch, ByteBuffer.allocate(1), target + clusterSize - 1);
            }
        }
        if (compressed) {
            inflatedCluster = -1;
        }
        fileLength = Math.max(fileLength, target + clusterSize);
        map.set(gc, target | Qcow2Entries.COPIED, e);
    }

    /** Before the first write: bits of autoclear features (bitmaps) are cleared, as QEMU does for a writer unaware of them. */
    private void firstWrite() throws IOException {
        if (written || header.version < 3 || header.autoclear == 0) {
            return;
        }
        header.autoclear = 0;
        ImageFiles.writeAll(ch, ByteBuffer.allocate(8), Qcow2Header.OFF_AUTOCLEAR);
    }

    private boolean isZero(byte[] buf, int off, int n) {
        if (zeros == null) {
            zeros = new byte[clusterSize];
        }
        return Arrays.equals(buf, off, off + n, zeros, 0, n);
    }

    private void checkRange(long offset, int len) throws StorageException {
        if (offset < 0 || len < 0 || offset > header.size - len) {
            throw new StorageException(path, "access of " + len + " bytes at byte offset " + offset
                    + " is outside the disk (" + header.size + " bytes)");
        }
    }

    private void checkOpen() throws StorageException {
        if (closed) {
            throw new StorageException(path, "the image is closed");
        }
    }

    private void checkWritable() throws StorageException {
        if (readOnly) {
            throw new StorageException(path, "the image is open read-only; writes are refused");
        }
        checkOpen();
    }

    @Override
    public synchronized void flush() throws IOException {
        if (!readOnly && written && !closed) {
            map.commit();
            ch.force(true);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        try {
            flush();
        } finally {
            closed = true;
            ch.close();
        }
    }

    @Override
    public String toString() {
        return "QCOW2 v" + header.version + " " + path;
    }
}
