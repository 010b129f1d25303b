package dev.strata.tools.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A rotated log begins anew at every open and keeps the last few beside it, the newest as .1. */
class LogTargetTest {
    @TempDir
    Path dir;

    @Test
    void eachOpenStartsAFreshFileAndKeepsThreeOlderOnes() throws Exception {
        Path log = dir.resolve("Logs").resolve("strata.log");
        for (int run = 1; run <= 5; run++) {
            LogTarget.Opened o = LogTarget.rotated(log, 3).open();
            try (Writer w = o.writer()) {
                w.write("run " + run + "\n");
            }
        }
        assertEquals("run 5\n", Files.readString(log));
        assertEquals("run 4\n", Files.readString(LogTarget.generation(log, 1)));
        assertEquals("run 2\n", Files.readString(LogTarget.generation(log, 3)));
        assertFalse(Files.exists(LogTarget.generation(log, 4)));
    }
}
