package dev.strata.storage.image.vmdk;

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
 * VMware's VMDK ({@link VmdkImage}): monolithic sparse (Standard), monolithic flat (Fixed) and differencing sparse
 * images are made; split (twoGbMaxExtent) disks are opened, stream-optimized ones read. Checked and repaired by
 * {@link VmdkChecker}.
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
        return EnumSet.of(ImageVariant.STANDARD, ImageVariant.FIXED);
    }

    /** What a sparse extent's 32-bit grain table entries address with 64 KiB grains. */
    @Override
    public long maxSize() {
        return SparseInspector.MAX_GRAINS * VmdkCreator.GRAIN_SECTORS * SparseHeader.SECTOR;
    }

    @Override
    public void writeBase(NewImageFiles files, ImageVariant variant, long size) throws IOException {
        if (variant == ImageVariant.FIXED) {
            VmdkCreator.writeFlat(files, size);
        } else {
            VmdkCreator.writeSparse(files, size);
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

    @Override
    public List<ImageFinding> check(Path path, FileChannel ch) throws IOException {
        return VmdkChecker.check(path, ch);
    }

    @Override
    public List<ImageFinding> repair(Path path) throws IOException {
        return VmdkChecker.repair(path);
    }
}
