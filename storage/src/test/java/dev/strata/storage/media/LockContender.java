package dev.strata.storage.media;

import dev.strata.storage.StorageException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A process for {@link ImageLockTest} that takes and releases a lock on an image many times (as writer or
 * reader) and checks, with marker files beside it, that no writer ever overlaps another lock holder. Prints
 * "OK n" after n locked rounds, or "OVERLAP" and exits 1.
 */
public final class LockContender {
    private LockContender() {
    }

    public static void main(String[] args) throws Exception {
        Path image = Path.of(args[0]);
        LockMode mode = LockMode.valueOf(args[1]);
        int rounds = Integer.parseInt(args[2]);
        Path writer = image.resolveSibling("writer.marker");
        Path readers = image.resolveSibling("reader." + ProcessHandle.current().pid());
        int locked = 0;
        for (int i = 0; i < rounds; i++) {
            ImageLock lock;
            try {
                lock = ImageLock.acquire(image, mode);
            } catch (StorageException busy) {
                Thread.onSpinWait();
                continue;
            }
            try {
                locked++;
                if (mode == LockMode.EXCLUSIVE) {
                    try {
                        Files.createFile(writer);
                    } catch (FileAlreadyExistsException e) {
                        overlap();
                    }
                    if (hasReaders(image)) {
                        overlap();
                    }
                    Files.delete(writer);
                } else {
                    Files.createFile(readers);
                    if (Files.exists(writer)) {
                        overlap();
                    }
                    Files.delete(readers);
                }
            } finally {
                lock.close();
            }
        }
        System.out.println("OK " + locked);
    }

    private static boolean hasReaders(Path image) throws Exception {
        try (var files = Files.list(image.getParent())) {
            return files.anyMatch(p -> p.getFileName().toString().startsWith("reader."));
        }
    }

    private static void overlap() {
        System.out.println("OVERLAP");
        System.exit(1);
    }
}
