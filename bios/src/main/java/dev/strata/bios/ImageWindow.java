package dev.strata.bios;

import dev.strata.storage.StorageException;
import dev.strata.storage.image.BlockState;
import dev.strata.storage.image.DiskImage;
import dev.strata.storage.image.ImageFormat;
import dev.strata.storage.image.ImageVariant;
import java.io.IOException;
import java.nio.file.Path;
import java.util.UUID;

/**
 * A read-only window of {@code size} bytes at {@code start} of another image: the diskette image inside a CD that
 * El Torito floppy emulation serves as drive 00h. Writes fail as on a write-protected diskette (a CD is read-only).
 * Closing the window leaves the CD open; the machine owns it.
 */
final class ImageWindow implements DiskImage {

    private final DiskImage base;
    private final long start;
    private final long size;

    ImageWindow(DiskImage base, long start, long size) {
        this.base = base;
        this.start = start;
        this.size = size;
    }

    /** Where the window starts in the underlying image, in bytes. */
    long start() {
        return start;
    }

    @Override
    public Path path() {
        return base.path();
    }

    @Override
    public ImageFormat format() {
        return base.format();
    }

    @Override
    public ImageVariant variant() {
        return base.variant();
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public int blockSize() {
        return 512;
    }

    @Override
    public BlockState blockState(long block) {
        return BlockState.ALLOCATED;
    }

    @Override
    public long allocatedBytes() {
        return size;
    }

    @Override
    public UUID uuid() {
        return base.uuid();
    }

    @Override
    public UUID parentUuid() {
        return null;
    }

    @Override
    public void setParentUuid(UUID parent) throws IOException {
        throw new StorageException(base.path(), "an emulated diskette inside a CD image has no parent");
    }

    @Override
    public boolean readOnly() {
        return true;
    }

    @Override
    public void read(long offset, byte[] buf, int bufOffset, int len) throws IOException {
        if (offset < 0 || len < 0 || offset > size - len) {
            throw new StorageException(base.path(), "read of " + len + " bytes at " + offset
                    + " is outside the emulated diskette of " + size + " bytes");
        }
        base.read(start + offset, buf, bufOffset, len);
    }

    @Override
    public void write(long offset, byte[] buf, int bufOffset, int len) throws IOException {
        throw new StorageException(base.path(), "the emulated diskette is on a CD and cannot be written");
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
