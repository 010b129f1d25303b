package dev.strata.storage.chain;

import dev.strata.storage.image.DiskImage;
import dev.strata.storage.image.DiskImages;
import dev.strata.storage.image.ImageFormat;
import dev.strata.storage.image.ImageVariant;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** {@link ImageFactory} making real files: dynamic or fixed VDI or raw bases, VDI differencing images over them. */
final class VdiImageFactory implements ImageFactory {

    private final Path folder;

    VdiImageFactory(Path folder) {
        this.folder = folder;
    }

    @Override
    public Path createBase(String name, long size, Random random) throws IOException {
        Path p = folder.resolve(name);
        int kind = random.nextInt(3);
        ImageFormat format = kind == 2 ? ImageFormat.RAW : ImageFormat.VDI;
        ImageVariant variant = kind == 0 ? ImageVariant.STANDARD : ImageVariant.FIXED;
        DiskImages.create(p, format, variant, size).close();
        return p;
    }

    @Override
    public Path createDiff(String name, Path parent, Random random) throws IOException {
        Path p = folder.resolve(name);
        try (DiskImage parentImage = DiskImages.open(parent, true)) {
            DiskImages.createDiff(p, parentImage).close();
        }
        return p;
    }

    @Override
    public void delete(Path file) throws IOException {
        Files.delete(file);
    }

    @Override
    public String extension() {
        return "vdi";
    }

    @Override
    public DiskImage open(Path path, boolean readOnly) throws IOException {
        return DiskImages.open(path, readOnly);
    }
}
