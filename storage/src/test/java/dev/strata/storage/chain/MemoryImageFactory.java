package dev.strata.storage.chain;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** {@link ImageFactory} over a {@link MemoryStore}, with a random block size per image to mix granularities. */
final class MemoryImageFactory implements ImageFactory {

    private static final int[] BLOCK_SIZES = {512, 4096, 8192, 16384};

    final MemoryStore store;

    MemoryImageFactory(Path folder) {
        this.store = new MemoryStore(folder);
    }

    @Override
    public Path createBase(String name, long size, Random random) throws IOException {
        store.create(name, size, BLOCK_SIZES[random.nextInt(BLOCK_SIZES.length)], null);
        return store.path(name);
    }

    @Override
    public Path createDiff(String name, Path parent, Random random) throws IOException {
        MemoryImage.Content p = store.files.get(parent);
        store.create(name, p.size, BLOCK_SIZES[random.nextInt(BLOCK_SIZES.length)], p.uuid);
        return store.path(name);
    }

    @Override
    public void delete(Path file) throws IOException {
        store.files.remove(file);
        Files.deleteIfExists(file);
    }

    @Override
    public String extension() {
        return "vdi";
    }

    @Override
    public MemoryImage open(java.nio.file.Path path, boolean readOnly) throws IOException {
        return store.open(path, readOnly);
    }
}
