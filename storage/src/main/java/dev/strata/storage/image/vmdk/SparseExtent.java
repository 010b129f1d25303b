package dev.strata.storage.image.vmdk;

import static dev.strata.storage.image.vmdk.SparseHeader.SECTOR;

import dev.strata.storage.StorageException;
import dev.strata.storage.image.BlockState;
import dev.strata.storage.image.ImageBytes;
import dev.strata.storage.image.ImageFiles;
import dev.strata.storage.image.ImageFinding;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A hosted sparse extent ("KDMV"): grains of data found through a grain directory and grain tables, all held in
 * memory, with the redundant directory kept in step on every update. Compressed grains (stream-optimized extents)
 * are read but never written.
 *
 * <p>Crash safety: a new grain is written whole after everything else in the file; the grain table entries that
 * point to new grains wait in memory until a flush (or until {@link #PENDING_LIMIT} have gathered), which forces the
 * grains first and then writes the entries, so an entry never points at a grain that is not on disk, and a grain
 * whose entry a crash lost is space after the last grain, which the next allocation reuses. Forcing every grain
 * before its entry cost a disk sync per 64 KiB written to new space. All primary entries are written before the
 * redundant ones, so an interrupted update leaves the redundant table behind, never ahead (the check reports it and
 * the repair copies it). A new grain table is written and forced before the directory entries that point to it,
 * primary first.
 */
final class SparseExtent implements VmdkExtent {
    private final Path path;
    private final FileChannel ch;
    private final SparseHeader header;
    private final long[] gd;
    private final long[] rgd;
    private final int[] gte;
    private final int grainBytes;
    private final int grainShift;
    private final int perGt;
    private final ByteBuffer word = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
    private byte[] grainBuffer;
    private long fileLength;
    /** The sector the next grain or grain table goes to: after everything the extent uses. */
    private long nextFree;
    private long allocatedGrains;
    /** New grains whose table entries are in {@link #gte} but not yet in the file. */
    private final java.util.BitSet pending = new java.util.BitSet();
    private int pendingCount;
    /** File writes that carried grain data (tests check that a run of new grains goes out in one). */
    long dataWrites;
    /** Entries held back at most: 64 MiB of new grains, which a crash before the next flush may lose. */
    static final int PENDING_LIMIT = 1024;

    private SparseExtent(Path path, FileChannel ch, SparseInspector.Inspection in) {
        this.path = path;
        this.ch = ch;
        this.header = in.header;
        this.gd = in.gd;
        this.rgd = in.rgd;
        this.gte = in.gte;
        this.grainBytes = (int) (header.grainSize() * SECTOR);
        this.grainShift = Integer.numberOfTrailingZeros(grainBytes);
        this.perGt = header.gtesPerGt();
        this.fileLength = in.fileLength;
        this.nextFree = Math.max(in.usedEnd, header.overhead());
        this.allocatedGrains = in.allocatedGrains;
    }

    /** Opens the extent in {@code ch}, refusing one with any error finding; never writes. */
    static SparseExtent open(Path path, FileChannel ch) throws IOException {
        SparseInspector.Inspection in = SparseInspector.inspect(ch);
        var err = in.firstError();
        if (err != null) {
            throw ImageFinding.openRefusal(path, err, in.errorCount());
        }
        return new SparseExtent(path, ch, in);
    }

    SparseHeader header() {
        return header;
    }

    /** The grain size in bytes: the image's block size. */
    int grainBytes() {
        return grainBytes;
    }

    @Override
    public Path file() {
        return path;
    }

    @Override
    public long length() {
        return header.capacity() * SECTOR;
    }

    private boolean zero(int entry) {
        return entry == 1 && header.zeroGrains();
    }

    @Override
    public BlockState state(long offset) {
        int e = gte[(int) (offset >>> grainShift)];
        return e == 0 ? BlockState.UNALLOCATED : zero(e) ? BlockState.ZERO : BlockState.ALLOCATED;
    }

    @Override
    public void read(long offset, byte[] buf, int bufOffset, int len) throws IOException {
        int g = (int) (offset >>> grainShift);
        int in = (int) (offset & (grainBytes - 1));
        int e = gte[g];
        if (e == 0 || zero(e)) {
            Arrays.fill(buf, bufOffset, bufOffset + len, (byte) 0);
        } else if (header.compressed()) {
            byte[] grain = inflate(g, e & 0xFFFFFFFFL);
            System.arraycopy(grain, in, buf, bufOffset, len);
        } else {
            // the last grain of a file may be stored short: the rest reads as zeros
            ImageBytes.readOrZeros(ch, (e & 0xFFFFFFFFL) * SECTOR + in, buf, bufOffset, len);
        }
    }

    @Override
    public int readRun(long offset, byte[] buf, int bufOffset, int len, int wanted) throws IOException {
        int g = (int) (offset >>> grainShift);
        int e = gte[g];
        if (e == 0 || zero(e) || header.compressed()) {
            read(offset, buf, bufOffset, len);
            return len;
        }
        long host = (e & 0xFFFFFFFFL) * SECTOR;
        int n = runLength(g, host, len, (int) Math.min(wanted, length() - offset));
        // the last grain of a file may be stored short: the rest reads as zeros
        ImageBytes.readOrZeros(ch, host + (offset & (grainBytes - 1)), buf, bufOffset, n);
        return n;
    }

    @Override
    public int writeRun(long offset, byte[] buf, int bufOffset, int len, int wanted, boolean keepZeros)
            throws IOException {
        int g = (int) (offset >>> grainShift);
        int e = gte[g];
        if (e == 0 || zero(e) || header.compressed()) {
            int grains = len == grainBytes && !header.compressed()
                    ? newGrainRun(g, buf, bufOffset, (int) Math.min(wanted, length() - offset), keepZeros) : 0;
            if (grains > 1) {
                allocateRun(g, grains, buf, bufOffset);
                return grains * grainBytes;
            }
            write(offset, buf, bufOffset, len, keepZeros);
            return len;
        }
        long host = (e & 0xFFFFFFFFL) * SECTOR;
        int n = runLength(g, host, len, (int) Math.min(wanted, length() - offset));
        ImageFiles.writeAll(ch, ByteBuffer.wrap(buf, bufOffset, n), host + (offset & (grainBytes - 1)));
        dataWrites++;
        return n;
    }

    /**
     * How many whole grains from grain {@code g} (whose data starts at {@code bufOffset}), within {@code limit} bytes,
     * {@link #write} would each give a new grain: the extent holds none of them, and each holds data (or zeros that
     * must hide a parent). Those are written as one run of grains in one file write ({@link #allocateRun}), so that a
     * 1 MiB write into new space is one write, as in formats with 1 MiB blocks, and not sixteen.
     */
    private int newGrainRun(int g, byte[] buf, int bufOffset, int limit, boolean keepZeros) {
        int grains = 0;
        for (int h = g; (grains + 1L) * grainBytes <= limit && h < gte.length; h++, grains++) {
            int e = gte[h];
            if (e != 0 && !zero(e)) {
                break;
            }
            boolean zeros = ImageBytes.allZero(buf, bufOffset + grains * grainBytes, grainBytes);
            if (zeros && !(keepZeros && e == 0)) {
                break;
            }
        }
        return grains;
    }

    /** Gives grains {@code g} to {@code g + grains - 1} new space, one after another, and writes them in one go. */
    private void allocateRun(int g, int grains, byte[] buf, int bufOffset) throws IOException {
        for (int t = g / perGt; t <= (g + grains - 1) / perGt; t++) {
            if (gd[t] == 0) {
                allocateTable(t);
            }
        }
        long sector = claim((long) grains * header.grainSize());
        ImageFiles.writeAll(ch, ByteBuffer.wrap(buf, bufOffset, grains * grainBytes), sector * SECTOR);
        dataWrites++;
        fileLength = Math.max(fileLength, (sector + (long) grains * header.grainSize()) * SECTOR);
        for (int k = 0; k < grains; k++) {
            gte[g + k] = (int) (sector + (long) k * header.grainSize());
            pending.set(g + k);
        }
        allocatedGrains += grains;
        pendingCount += grains;
        if (pendingCount >= PENDING_LIMIT) {
            writePending();
        }
    }

    /**
     * {@code len} (the bytes in grain {@code g}, stored at byte {@code host}) plus the following grains stored right
     * after it, up to {@code limit} bytes: one file access serves them all.
     */
    private int runLength(int g, long host, int len, int limit) {
        int n = len;
        for (int h = g + 1; n < limit; h++) {
            int f = gte[h];
            if (f == 0 || zero(f) || (f & 0xFFFFFFFFL) * SECTOR != host + (long) (h - g) * grainBytes) {
                break;
            }
            n = Math.min(limit, n + grainBytes);
        }
        return n;
    }

    /** A compressed grain: a marker (the grain's first sector, 8 bytes; the data's length, 4 bytes), then deflate. */
    private byte[] inflate(int g, long sector) throws IOException {
        byte[] marker = SparseInspector.read(ch, sector * SECTOR, 12);
        int size = ByteBuffer.wrap(marker).order(ByteOrder.LITTLE_ENDIAN).getInt(8);
        if (size <= 0 || size > 2 * grainBytes + 1024 || sector * SECTOR + 12 + size > fileLength) {
            throw new StorageException(path, "compressed grain " + g + " at byte offset " + ImageFiles.hex(sector
                    * SECTOR) + " claims " + size + " bytes, which do not fit the file; the image is damaged: "
                    + "restore it from a backup");
        }
        byte[] data = SparseInspector.read(ch, sector * SECTOR + 12, size);
        byte[] grain = new byte[grainBytes];
        Inflater inf = new Inflater();
        try {
            inf.setInput(data);
            int n = 0;
            while (n < grainBytes && !inf.finished()) {
                int r = inf.inflate(grain, n, grainBytes - n);
                if (r == 0 && (inf.needsInput() || inf.needsDictionary())) {
                    break;
                }
                n += r;
            }
        } catch (DataFormatException e) {
            throw new StorageException(path, "compressed grain " + g + " at byte offset " + ImageFiles.hex(sector
                    * SECTOR) + " does not inflate (" + e.getMessage() + "); the image is damaged: restore it "
                    + "from a backup");
        } finally {
            inf.end();
        }
        return grain;
    }

    @Override
    public void write(long offset, byte[] buf, int bufOffset, int len, boolean keepZeros) throws IOException {
        if (header.compressed()) {
            throw new StorageException(path, "is a stream-optimized (compressed) VMDK, which Strata reads but does "
                    + "not write; convert it, e.g. qemu-img convert -O vmdk " + path.getFileName() + " disk.vmdk");
        }
        int g = (int) (offset >>> grainShift);
        int in = (int) (offset & (grainBytes - 1));
        int e = gte[g];
        if (e != 0 && !zero(e)) {
            ImageFiles.writeAll(ch, ByteBuffer.wrap(buf, bufOffset, len), (e & 0xFFFFFFFFL) * SECTOR + in);
            dataWrites++;
        } else if (!ImageBytes.allZero(buf, bufOffset, len) || keepZeros && e == 0) {
            allocate(g, buf, bufOffset, len, in);
        }
    }

    private void allocate(int g, byte[] buf, int bufOffset, int len, int in) throws IOException {
        int t = g / perGt;
        if (gd[t] == 0) {
            allocateTable(t);
        }
        long sector = claim(header.grainSize());
        if (grainBuffer == null) {
            grainBuffer = new byte[grainBytes];
        }
        Arrays.fill(grainBuffer, (byte) 0);
        System.arraycopy(buf, bufOffset, grainBuffer, in, len);
        ImageFiles.writeAll(ch, ByteBuffer.wrap(grainBuffer), sector * SECTOR);
        dataWrites++;
        fileLength = Math.max(fileLength, (sector + header.grainSize()) * SECTOR);
        gte[g] = (int) sector;
        allocatedGrains++;
        pending.set(g);
        if (++pendingCount >= PENDING_LIMIT) {
            writePending();
        }
    }

    /** The new grains to disk, then the entries that point to them: all primary entries, then the redundant ones. */
    private void writePending() throws IOException {
        if (pendingCount == 0) {
            return;
        }
        ch.force(false);
        for (int g = pending.nextSetBit(0); g >= 0; g = pending.nextSetBit(g + 1)) {
            putWord(gte[g], gd[g / perGt] * SECTOR + 4L * (g % perGt));
        }
        if (rgd != null) {
            for (int g = pending.nextSetBit(0); g >= 0; g = pending.nextSetBit(g + 1)) {
                if (rgd[g / perGt] != 0) {
                    putWord(gte[g], rgd[g / perGt] * SECTOR + 4L * (g % perGt));
                }
            }
        }
        pending.clear();
        pendingCount = 0;
    }

    /** A grain table for table {@code t} (and its redundant copy), zeroed and forced before the directories name it. */
    private void allocateTable(int t) throws IOException {
        long gtSectors = header.gtSectors();
        long primary = claim(gtSectors);
        long redundant = rgd != null ? claim(gtSectors) : 0;
        ImageFiles.writeAll(ch, ByteBuffer.allocate((int) ((nextFree - primary) * SECTOR)), primary * SECTOR);
        fileLength = Math.max(fileLength, nextFree * SECTOR);
        ch.force(false);
        putWord((int) primary, header.gdOffset() * SECTOR + 4L * t);
        gd[t] = primary;
        if (rgd != null) {
            putWord((int) redundant, header.rgdOffset() * SECTOR + 4L * t);
            rgd[t] = redundant;
        }
        ch.force(false);
    }

    /** Takes {@code sectors} at the end of what the extent uses, dropping what a crash left beyond it. */
    private long claim(long sectors) throws IOException {
        long sector = nextFree;
        if (sector + sectors > 0xFFFFFFFFL) {
            throw new StorageException(path, "the extent is full: grain table entries address at most 2 TiB");
        }
        if (fileLength > sector * SECTOR) {
            // Space after the last grain belongs to nothing (an allocation cut short by a crash).
            ch.truncate(sector * SECTOR);
            fileLength = sector * SECTOR;
        }
        nextFree = sector + sectors;
        return sector;
    }

    private void putWord(int value, long pos) throws IOException {
        word.clear();
        word.putInt(0, value);
        ImageFiles.writeAll(ch, word, pos);
    }

    @Override
    public long allocatedBytes() {
        return allocatedGrains * grainBytes;
    }

    @Override
    public void force() throws IOException {
        writePending();
        ch.force(true);
    }

    @Override
    public void close() throws IOException {
        ch.close();
    }

    @Override
    public String toString() {
        return "sparse extent " + path;
    }
}
