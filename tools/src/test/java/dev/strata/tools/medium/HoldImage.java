package dev.strata.tools.medium;

import dev.strata.storage.media.ImageLock;
import dev.strata.storage.media.LockMode;
import java.nio.file.Path;

/** Another Strata process for the CLI tests: holds a writer's lock on an image until its stdin closes. */
public final class HoldImage {
    private HoldImage() {
    }

    @SuppressWarnings("try") // the lock is held by the try block, not used in it
    public static void main(String[] args) throws Exception {
        try (ImageLock lock = ImageLock.acquire(Path.of(args[0]), LockMode.EXCLUSIVE)) {
            System.out.println("LOCKED");
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold it
            }
        }
    }
}
