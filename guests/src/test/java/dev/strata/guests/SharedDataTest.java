package dev.strata.guests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class SharedDataTest {
    @Test
    void projectRootHoldsTheLauncher() {
        assertTrue(Files.exists(SharedData.projectRoot().resolve("strata")), SharedData.projectRoot().toString());
    }

    @Test
    void sharedDirIsBesideTheProjectRoot() {
        if (System.getenv("STRATA_SHARED") == null) {
            assertEquals(SharedData.projectRoot().getParent().resolve("shared"), SharedData.sharedDir());
        }
    }

    @Test
    void freedosFloppyIsFoundOrSkippedLoudly() {
        SharedData.find("guests/freedos/freedos722.img").ifPresent(p -> assertEquals(737280L, p.toFile().length()));
    }
}
