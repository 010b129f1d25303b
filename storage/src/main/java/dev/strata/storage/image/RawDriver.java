package dev.strata.storage.image;

import dev.strata.storage.image.ImageFinding.Severity;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Raw disks ({@link RawImage}): the sectors and nothing else, so no signature; a file of whole sectors that no other
 * driver claims is taken for one. No differencing images (a raw parent gets children of another format).
 */
final class RawDriver implements ImageDriver {

    @Override
    public ImageFormat format() {
        return ImageFormat.RAW;
    }

    @Override
    public int probe(ImageProbe file) {
        return file.length() > 0 && file.length() % 512 == 0 ? FALLBACK : NOT_MINE;
    }

    @Override
    public String signature() {
        return null;
    }

    @Override
    public DiskImage open(Path path, boolean readOnly, UUID recordedUuid, boolean guessed) throws IOException {
        return RawImage.open(path, readOnly, recordedUuid, guessed);
    }

    @Override
    public boolean storesUuid() {
        return false;
    }

    /** Both give a sparse file: the host file system, not the format, decides what is allocated. */
    @Override
    public List<String> extensions() {
        return List.of("raw", "img");
    }

    @Override
    public Set<ImageVariant> variants() {
        return EnumSet.of(ImageVariant.STANDARD, ImageVariant.FIXED);
    }

    @Override
    public long maxSize() {
        return Long.MAX_VALUE / 512 * 512;
    }

    @Override
    public void writeBase(NewImageFiles files, ImageVariant variant, long size) throws IOException {
        RawImage.writeNew(files.main(), size);
    }

    @Override
    public boolean differencing() {
        return false;
    }

    @Override
    public void writeChild(NewImageFiles files, DiskImage parent) {
        throw new UnsupportedOperationException("raw disks have no differencing images");
    }

    /** The file grows; what it did not hold reads as zeros (a sparse end). */
    @Override
    public void grow(Path path, long oldSize, long newSize) throws IOException {
        try (FileChannel ch = ImageFiles.open(path, false)) {
            ImageFiles.writeAll(ch, ByteBuffer.allocate(1), newSize - 1);
            ch.force(false);
        }
    }

    @Override
    public List<ImageFinding> check(Path path, FileChannel ch) throws IOException {
        return List.of(new ImageFinding(Severity.INFO, "summary", -1, "raw disk, " + ch.size() + " bytes"));
    }

    @Override
    public List<ImageFinding> repair(Path path) {
        return List.of();
    }
}
