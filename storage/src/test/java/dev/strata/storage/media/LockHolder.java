package dev.strata.storage.media;

import java.nio.file.Path;

/** A second Strata process for {@link ImageLockTest}: locks an image, says so, and holds it until stdin closes. */
public final class LockHolder {
    private LockHolder() {
    }

    @SuppressWarnings("try") // the lock is held by the try block, not used in it
    public static void main(String[] args) throws Exception {
        try (ImageLock lock = ImageLock.acquire(Path.of(args[0]), LockMode.valueOf(args[1]))) {
            System.out.println("LOCKED");
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold the lock until the test closes our stdin
            }
        }
    }
}
