package dev.strata.storage.image.vmdk;

import dev.strata.storage.Progress;
import dev.strata.storage.image.DiskImage;
import dev.strata.storage.image.ImageDriver;
import dev.strata.storage.image.ImageFinding;
import dev.strata.storage.image.ImageFormat;
import dev.strata.storage.image.ImageProbe;
import dev.strata.storage.image.ImageVariant;
import dev.strata.storage.image.NewImageFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * VMware's VMDK ({@link VmdkImage}): monolithic sparse (Standard), monolithic flat (Fixed), split sparse (Split2G),
 * split flat (Fixed,Split2G), stream-optimized (Stream, written once from a source disk, read-only afterwards) and
 * differencing sparse images. Checked and repaired by {@link VmdkChecker}.
 */
public final class VmdkDriver implements ImageDriver {

    @Override
    public ImageFormat format() {
        return ImageFormat.VMDK;
    }

    /** A sparse extent header, an ESX sparse extent, or a descriptor file's first line. */
    @Override
    public int probe(ImageProbe file) {
        return SparseInspector.isSparse(file.head()) || file.startsWith("COWD")
                || file.startsWith("# Disk DescriptorFile") ? CERTAIN : NOT_MINE;
    }

    @Override
    public String signature() {
        return "VMDK signature (KDMV or \"# Disk DescriptorFile\") at byte offset 0";
    }

    @Override
    public DiskImage open(Path path, boolean readOnly, UUID recordedUuid, boolean guessed) throws IOException {
        return VmdkOpener.open(path, readOnly, recordedUuid);
    }

    @Override
    public List<String> extensions() {
        return List.of("vmdk");
    }

    @Override
    public Set<ImageVariant> variants() {
        return EnumSet.of(ImageVariant.STANDARD, ImageVariant.FIXED, ImageVariant.SPLIT_2G,
                ImageVariant.SPLIT_2G_FIXED, ImageVariant.STREAM);
    }

    /** What a sparse extent's 32-bit grain table entries address with 64 KiB grains. */
    @Override
    public long maxSize() {
        return SparseInspector.MAX_GRAINS * VmdkCreator.GRAIN_SECTORS * SparseHeader.SECTOR;
    }

    @Override
    public void writeBase(NewImageFiles files, ImageVariant variant, long size) throws IOException {
        switch (variant) {
            case FIXED -> VmdkCreator.writeFlat(files, size);
            case SPLIT_2G -> VmdkCreator.writeSplit(files, size, false);
            case SPLIT_2G_FIXED -> VmdkCreator.writeSplit(files, size, true);
            case STREAM -> VmdkCreator.writeStream(files, size, null, Progress.NONE);
            default -> VmdkCreator.writeSparse(files, size);
        }
    }

    /** A stream-optimized image is written once, whole, from its source. */
    @Override
    public void writeCopy(NewImageFiles files, ImageVariant variant, DiskImage source, Progress progress)
            throws IOException {
        if (variant == ImageVariant.STREAM) {
            VmdkCreator.writeStream(files, source.size(), source, progress);
        } else {
            ImageDriver.super.writeCopy(files, variant, source, progress);
        }
    }

    @Override
    public boolean differencing() {
        return true;
    }

    @Override
    public void writeChild(NewImageFiles files, DiskImage parent) throws IOException {
        VmdkCreator.writeChild(files, parent);
    }

    /** monolithicSparse and twoGbMaxExtentSparse; flat and stream-optimized ones are refused by name. */
    @Override
    public long compact(Path path, Progress progress) throws IOException {
        return SparseCompactor.compact(path, progress);
    }

    @Override
    public List<ImageFinding> check(Path path, FileChannel ch) throws IOException {
        return VmdkChecker.check(path, ch);
    }

    @Override
    public List<ImageFinding> repair(Path path) throws IOException {
        return VmdkChecker.repair(path);
    }
}
