package dev.strata.storage.image;

import dev.strata.storage.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.UUID;

/**
 * A raw disk image: the file is the disk, byte for byte. Every block counts as allocated; the file holds no
 * UUID, so the caller supplies one (the media registry keeps it) or one is derived from the absolute path.
 */
public final class RawImage extends FileImage {
    /** Bookkeeping granularity only: a raw file has no blocks of its own. */
    public static final int BLOCK_SIZE = 1 << 20;
    private static final int SECTOR = 512;

    /**
     * Given or recorded, else derived from the path when first asked for: the derivation is an MD5 hash, and the
     * JVM's digest providers cost a start-up that a floppy a run only reads and writes never needs.
     */
    private UUID uuid;
    /** The format was guessed from the content (nobody recorded it): see {@link #refuseFormatChange}. */
    private final boolean guessed;

    private RawImage(Path path, FileChannel ch, boolean readOnly, long size, UUID uuid, boolean guessed) {
        super(path, ch, readOnly, size);
        this.guessed = guessed;
        this.uuid = uuid;
    }

    /** Opens a raw file with a UUID derived from its absolute path. */
    public static RawImage open(Path path, boolean readOnly) throws IOException {
        return open(path, readOnly, null);
    }

    /** Opens a raw file; {@code uuid} is the registry's UUID for it, or null to derive one from the path. */
    public static RawImage open(Path path, boolean readOnly, UUID uuid) throws IOException {
        return open(path, readOnly, uuid, false);
    }

    /**
     * Opens a raw file; {@code guessed} when raw was only inferred from its content (no registry or setting
     * records it): then writes that would make the file look like another format are refused, as QEMU does, so a
     * guest cannot change how its disk opens next time.
     */
    static RawImage open(Path path, boolean readOnly, UUID uuid, boolean guessed) throws IOException {
        FileChannel ch = ImageFiles.open(path, readOnly);
        try {
            long length = ch.size();
            if (length == 0 || length % 512 != 0) {
                throw new StorageException(path, "file length " + length + " is not a positive multiple of 512, so it "
                        + "is not a raw disk image; check the file, or pad it: truncate -s %512 FILE");
            }
            return new RawImage(path, ch, readOnly, length, uuid, guessed);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** The stable UUID Strata gives a raw file that has none recorded: name-based on the absolute path. */
    public static UUID pathUuid(Path path) {
        return UUID.nameUUIDFromBytes(path.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Makes {@code ch} a sparse raw disk of {@code sizeBytes}. */
    static void writeNew(FileChannel ch, long sizeBytes) throws IOException {
        ImageFiles.writeAll(ch, ByteBuffer.allocate(1), sizeBytes - 1);
    }

    @Override
    public ImageFormat format() {
        return ImageFormat.RAW;
    }

    @Override
    public ImageVariant variant() {
        return ImageVariant.FIXED;
    }

    @Override
    public int blockSize() {
        return BLOCK_SIZE;
    }

    @Override
    public BlockState blockState(long block) {
        if (block < 0 || block >= blockCount()) {
            throw new IndexOutOfBoundsException("block " + block + " of " + blockCount());
        }
        return BlockState.ALLOCATED;
    }

    @Override
    public String describeBlock(long block) {
        blockState(block);
        return "a raw image holds every block where the disk has it: file offset "
                + ImageFiles.hex(block * BLOCK_SIZE);
    }

    @Override
    public long allocatedBytes() {
        return size;
    }

    @Override
    public UUID uuid() {
        if (uuid == null) {
            uuid = pathUuid(path()); // the same on every call: a race between threads computes it twice
        }
        return uuid;
    }

    @Override
    public UUID parentUuid() {
        return null;
    }

    @Override
    public void setParentUuid(UUID parent) throws IOException {
        throw new StorageException(path, "a raw image cannot have a parent; only differencing images (VDI) do");
    }

    @Override
    public void read(long offset, byte[] buf, int bufOffset, int len) throws IOException {
        checkRange(offset, len);
        checkOpen();
        // a file that shrank under us reads as zeros where it is missing, rather than failing the guest
        ImageBytes.readOrZeros(ch, offset, buf, bufOffset, len);
    }

    @Override
    public synchronized void write(long offset, byte[] buf, int bufOffset, int len) throws IOException {
        checkWritable();
        checkRange(offset, len);
        if (guessed && (offset < SECTOR || offset + len > size - SECTOR)) {
            refuseFormatChange(offset, buf, bufOffset, len);
        }
        ImageFiles.writeAll(ch, ByteBuffer.wrap(buf, bufOffset, len), offset);
        written = true;
    }

    /** Fails when the first or last sector, with this write applied, would make the file probe as another format. */
    private void refuseFormatChange(long offset, byte[] buf, int bufOffset, int len) throws IOException {
        byte[] head = sectorAfterWrite(0, offset, buf, bufOffset, len);
        byte[] tail = size >= 2 * SECTOR ? sectorAfterWrite(size - SECTOR, offset, buf, bufOffset, len) : null;
        String format = ImageDrivers.claimedBy(path, head, tail, size);
        if (format != null) {
            throw new StorageException(path, "refused a write at byte offset " + offset + " that would make this raw "
                    + "disk look like a " + format + " image: its format was guessed from its content, so the next "
                    + "open would take it for " + format + "; record it as raw by registering it (`strata medium "
                    + "info " + path + "`) and run it again");
        }
    }

    /** The 512 bytes at {@code at} as they would be after writing {@code len} bytes at {@code offset}. */
    private byte[] sectorAfterWrite(long at, long offset, byte[] buf, int bufOffset, int len) throws IOException {
        byte[] s = new byte[SECTOR];
        read(at, s, 0, SECTOR);
        long from = Math.max(at, offset);
        long to = Math.min(at + SECTOR, offset + len);
        if (from < to) {
            System.arraycopy(buf, bufOffset + (int) (from - offset), s, (int) (from - at), (int) (to - from));
        }
        return s;
    }

    @Override
    public String toString() {
        return "RAW " + path;
    }
}
