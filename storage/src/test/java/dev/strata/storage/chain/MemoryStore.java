package dev.strata.storage.chain;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** A folder of {@link MemoryImage}s standing in for image files: an {@link ImageOpener} for chain tests. */
final class MemoryStore implements ImageOpener {

    final Map<Path, MemoryImage.Content> files = new HashMap<>();
    private final Path folder;

    /** With a real folder, every image also gets an empty marker file so folder listing finds it. */
    MemoryStore(Path folder) {
        this.folder = folder;
    }

    MemoryImage.Content create(String name, long size, int blockSize, UUID parent) throws IOException {
        Path p = folder.resolve(name);
        MemoryImage.Content content = new MemoryImage.Content(size, blockSize, UUID.randomUUID(), parent);
        files.put(p, content);
        if (!Files.exists(p)) {
            Files.createFile(p);
        }
        return content;
    }

    Path path(String name) {
        return folder.resolve(name);
    }

    int openHandles() {
        return files.values().stream().mapToInt(c -> c.openHandles).sum();
    }

    int changes() {
        return files.values().stream().mapToInt(c -> c.changes).sum();
    }

    @Override
    public MemoryImage open(Path path, boolean readOnly) throws IOException {
        MemoryImage.Content content = files.get(path);
        if (content == null) {
            throw new NoSuchFileException(path.toString());
        }
        return new MemoryImage(content, path, readOnly);
    }
}
