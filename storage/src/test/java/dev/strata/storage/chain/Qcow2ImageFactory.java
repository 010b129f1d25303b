package dev.strata.storage.chain;

import dev.strata.storage.image.DiskImage;
import dev.strata.storage.image.DiskImages;
import dev.strata.storage.image.ImageFormat;
import dev.strata.storage.image.ImageVariant;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * {@link ImageFactory} making mixed qcow2 and VDI chains: Standard or Fixed qcow2 bases or a VDI base, and
 * differencing layers that are qcow2 or VDI at random, so each format sits on the other.
 */
final class Qcow2ImageFactory implements ImageFactory {

    private final Path folder;

    Qcow2ImageFactory(Path folder) {
        this.folder = folder;
    }

    @Override
    public Path createBase(String name, long size, Random random) throws IOException {
        Path p = folder.resolve(name);
        int kind = random.nextInt(3);
        ImageFormat format = kind == 2 ? ImageFormat.VDI : ImageFormat.QCOW2;
        ImageVariant variant = kind == 1 ? ImageVariant.FIXED : ImageVariant.STANDARD;
        DiskImages.create(p, format, variant, size).close();
        return p;
    }

    @Override
    public Path createDiff(String name, Path parent, Random random) throws IOException {
        Path p = folder.resolve(name);
        ImageFormat format = random.nextInt(3) == 0 ? ImageFormat.VDI : ImageFormat.QCOW2;
        try (DiskImage parentImage = DiskImages.open(parent, true)) {
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
        return "qcow2";
    }

    @Override
    public DiskImage open(Path path, boolean readOnly) throws IOException {
        return DiskImages.open(path, readOnly);
    }
}
