package dev.strata.storage.image.qcow2;

import dev.strata.storage.Progress;
import dev.strata.storage.image.DiskImage;
import dev.strata.storage.image.ImageDriver;
import dev.strata.storage.image.ImageFinding;
import dev.strata.storage.image.ImageFormat;
import dev.strata.storage.image.ImageProbe;
import dev.strata.storage.image.ImageVariant;
import dev.strata.storage.image.NewImageFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * QEMU's qcow2 ({@link Qcow2Image}), versions 2 and 3: Standard (grows) and Fixed (metadata preallocated) base images
 * and differencing children over a backing file are made; checked and repaired by {@link Qcow2Checker}.
 */
public final class Qcow2Driver implements ImageDriver {

    @Override
    public ImageFormat format() {
        return ImageFormat.QCOW2;
    }

    /** The magic QFI\xfb with version 2 or 3 (version 1 is the old qcow, which Strata does not open). */
    @Override
    public int probe(ImageProbe file) {
        byte[] h = file.head();
        if (h.length < 8) {
            return NOT_MINE;
        }
        ByteBuffer b = ByteBuffer.wrap(h);
        int version = b.getInt(Qcow2Header.OFF_VERSION);
        return b.getInt(0) == Qcow2Header.MAGIC && version >= 2 ? CERTAIN : NOT_MINE;
    }

    @Override
    public String signature() {
        return "qcow2 magic (QFI\\xfb) at byte offset 0";
    }

    @Override
    public DiskImage open(Path path, boolean readOnly, UUID recordedUuid, boolean guessed) throws IOException {
        return Qcow2Opener.open(path, readOnly, recordedUuid);
    }

    @Override
    public List<String> extensions() {
        return List.of("qcow2", "qcow");
    }

    @Override
    public Set<ImageVariant> variants() {
        return EnumSet.of(ImageVariant.STANDARD, ImageVariant.FIXED);
    }

    /** What Strata tracks: {@link Qcow2Opener#MAX_CLUSTERS} clusters of the 64 KiB it makes. */
    @Override
    public long maxSize() {
        return Qcow2Opener.MAX_CLUSTERS << Qcow2Creator.CLUSTER_BITS;
    }

    @Override
    public void writeBase(NewImageFiles files, ImageVariant variant, long size) throws IOException {
        Qcow2Creator.writeBase(files, size, variant == ImageVariant.FIXED);
    }

    @Override
    public boolean differencing() {
        return true;
    }

    @Override
    public void writeChild(NewImageFiles files, DiskImage parent) throws IOException {
        Qcow2Creator.writeChild(files, parent);
    }

    @Override
    public void grow(Path path, long oldSize, long newSize) throws IOException {
        Qcow2Resizer.grow(path, newSize);
    }

    @Override
    public long compact(Path path, Progress progress) throws IOException {
        return Qcow2Compactor.compact(path, progress);
    }

    @Override
    public List<ImageFinding> check(Path path, FileChannel ch) throws IOException {
        return Qcow2Checker.check(path, ch);
    }

    @Override
    public List<ImageFinding> repair(Path path) throws IOException {
        return Qcow2Checker.repair(path);
    }
}
