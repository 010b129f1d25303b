package dev.strata.guests.freedos;

import dev.strata.guests.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** A working copy of the shared FreeDOS floppy for guest tests: the shared image itself is never written. */
final class FreeDosFloppy {

    /** The floppy's path inside the shared folder. */
    static final String SHARED = "guests/freedos/freedos722.img";

    private FreeDosFloppy() {
    }

    /** The shared floppy, if present (required in CI, skipped loudly elsewhere). */
    static Optional<Path> shared() {
        return SharedData.find(SHARED);
    }

    static Path copy(Path shared, Path target) throws IOException {
        return Files.copy(shared, target);
    }
}
