package dev.strata.storage.chain;

import dev.strata.storage.image.DiskImage;
import dev.strata.storage.image.DiskImages;
import dev.strata.storage.image.ImageFormat;
import dev.strata.storage.image.ImageVariant;
import dev.strata.storage.image.vhd.HandMadeVhd;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * {@link ImageFactory} making real files of any registered formats: bases in one of {@code baseFormats} (Standard or
 * Fixed), differencing images in one of {@code diffFormats}, each drawn at random (list a format twice to draw it
 * more often), so chains can mix formats. Files are found by content, whatever their one extension.
 */
final class FormatImageFactory implements ImageFactory {
    /** Four heads of 17 sectors: a VHD size of whole cylinders below 34 MiB is kept exactly. */
    private static final int VHD_CYLINDER = 4 * 17 * 512;

    private final Path folder;
    private final List<ImageFormat> baseFormats;
    private final List<ImageFormat> diffFormats;

    FormatImageFactory(Path folder, List<ImageFormat> baseFormats, List<ImageFormat> diffFormats) {
        this.folder = folder;
        this.baseFormats = baseFormats;
        this.diffFormats = diffFormats;
    }

    @Override
    public Path createBase(String name, long size, Random random) throws IOException {
        Path p = folder.resolve(name);
        ImageFormat format = baseFormats.get(random.nextInt(baseFormats.size()));
        ImageVariant variant = random.nextBoolean() ? ImageVariant.STANDARD : ImageVariant.FIXED;
        try (DiskImage d = DiskImages.create(p, format, variant, size)) {
            if (d.size() != size) {
                throw new AssertionError(format + " made " + d.size() + " bytes of " + size);
            }
        }
        return p;
    }

    @Override
    public Path createDiff(String name, Path parent, Random random) throws IOException {
        Path p = folder.resolve(name);
        try (DiskImage parentImage = DiskImages.open(parent, true)) {
            ImageFormat format = diffFormats.get(random.nextInt(diffFormats.size()));
            DiskImages.createDiff(p, parentImage, format).close();
        }
        return p;
    }

    @Override
    public void delete(Path file) throws IOException {
        Files.delete(file);
    }

    @Override
    public String extension() {
        return "disk";
    }

    @Override
    public DiskImage open(Path path, boolean readOnly) throws IOException {
        return DiskImages.open(path, readOnly);
    }

    /** VHD's sector bitmaps, as VirtualBox and Virtual PC leave them. */
    @Override
    public int thinOut(Path file, DiskImage below, Random random) throws IOException {
        try (DiskImage image = open(file, true)) {
            if (image.format() != ImageFormat.VHD || image.parentUuid() == null) {
                return 0;
            }
        }
        return HandMadeVhd.thinOut(file, below, random);
    }

    @Override
    public int sizeGranularity() {
        return baseFormats.contains(ImageFormat.VHD) ? VHD_CYLINDER : 512;
    }
}
