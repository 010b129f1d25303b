package dev.strata.storage.image.parallels;

import dev.strata.storage.StorageException;
import dev.strata.storage.image.DiskImage;
import dev.strata.storage.image.ImageDriver;
import dev.strata.storage.image.ImageFiles;
import dev.strata.storage.image.ImageFinding;
import dev.strata.storage.image.ImageFinding.Severity;
import dev.strata.storage.image.ImageFormat;
import dev.strata.storage.image.ImageProbe;
import dev.strata.storage.image.ImageVariant;
import dev.strata.storage.image.NewImageFiles;
import dev.strata.storage.Progress;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Parallels expanding disks ({@link ParallelsImage}), format HDD: Standard grows, Fixed has every cluster allocated.
 * The format has no differencing images here, so a child of one is a VDI.
 */
public final class ParallelsDriver implements ImageDriver {

    @Override
    public ImageFormat format() {
        return ImageFormat.HDD;
    }

    @Override
    public int probe(ImageProbe file) {
        return ParallelsHeader.hasMagic(file.head()) ? CERTAIN : NOT_MINE;
    }

    @Override
    public String signature() {
        return "Parallels signature (WithoutFreeSpace or WithouFreSpacExt) at byte offset 0";
    }

    @Override
    public DiskImage open(Path path, boolean readOnly, UUID recordedUuid, boolean guessed) throws IOException {
        return ParallelsImage.open(path, readOnly, recordedUuid);
    }

    @Override
    public boolean storesUuid() {
        return false;
    }

    @Override
    public List<String> extensions() {
        return List.of("hdd");
    }

    @Override
    public Set<ImageVariant> variants() {
        return EnumSet.of(ImageVariant.STANDARD, ImageVariant.FIXED);
    }

    @Override
    public long maxSize() {
        return ParallelsInspector.MAX_SIZE;
    }

    @Override
    public void writeBase(NewImageFiles files, ImageVariant variant, long size) throws IOException {
        ParallelsImage.writeNew(files.main(), size, variant == ImageVariant.FIXED);
    }

    @Override
    public boolean differencing() {
        return false;
    }

    @Override
    public void writeChild(NewImageFiles files, DiskImage parent) {
        throw new UnsupportedOperationException("Parallels disks have no differencing images here");
    }

    @Override
    public void grow(Path path, long oldSize, long newSize) throws IOException {
        ParallelsResizer.grow(path, newSize);
    }

    /** Expanding disks; fully allocated ones are refused by name. */
    @Override
    public long compact(Path path, Progress progress) throws IOException {
        return ParallelsCompactor.compact(path, progress);
    }

    @Override
    public List<ImageFinding> check(Path path, FileChannel ch) throws IOException {
        ParallelsInspector.Inspection in = ParallelsInspector.inspect(ch);
        List<ImageFinding> out = new ArrayList<>(in.findings);
        if (in.header != null && in.firstError() == null) {
            out.add(new ImageFinding(Severity.INFO, "summary", -1, "Parallels HDD, " + in.header.sectors() * 512
                    + " bytes, " + in.allocated + " of " + in.clusters.length + " clusters allocated"));
        }
        return out;
    }

    /** Clears an in-use mark a crashed writer left, once the catalog checks clean. */
    @Override
    public List<ImageFinding> repair(Path path) throws IOException {
        List<ImageFinding> done = new ArrayList<>();
        try (FileChannel ch = ImageFiles.open(path, false)) {
            ParallelsInspector.Inspection in = ParallelsInspector.inspect(ch);
            ImageFinding err = in.firstError();
            if (err != null) {
                throw new StorageException(path, "cannot be repaired: " + err.describe()
                        + "; restore the image from a backup");
            }
            if (in.header.inUse() != 0) {
                ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
                ImageFiles.writeAll(ch, b, ParallelsHeader.OFF_IN_USE);
                done.add(new ImageFinding(Severity.INFO, "in use", ParallelsHeader.OFF_IN_USE, "cleared"));
            }
            long end = in.nextSector * 512;
            if (in.fileLength > end && in.allocated > 0) {
                ch.truncate(end);
                done.add(new ImageFinding(Severity.INFO, "data area", end, "removed " + (in.fileLength - end)
                        + " bytes that no cluster used"));
            }
            ch.force(true);
        }
        return done;
    }
}
