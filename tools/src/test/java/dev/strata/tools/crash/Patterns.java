package dev.strata.tools.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import java.util.concurrent.Callable;

/** Test data and small waits the kill scenarios share. */
final class Patterns {
    private Patterns() {
    }

    /** {@code length} bytes from {@code random}. */
    static byte[] random(Random random, int length) {
        byte[] b = new byte[length];
        random.nextBytes(b);
        return b;
    }

    /** Waits for the child's command to end by itself, which must be a success. */
    static Callable<Object> succeeds(StandbyChild child) {
        return () -> {
            assertEquals(0, child.awaitExit(), child::errors);
            return null;
        };
    }
}
