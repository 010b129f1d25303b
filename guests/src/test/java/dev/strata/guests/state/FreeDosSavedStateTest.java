package dev.strata.guests.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.strata.emulator.state.SavedState;
import dev.strata.guests.SharedData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FreeDOS is saved at its prompt, restored into a new machine with a copy of the floppy as it was at the save, and
 * a command typed into both gives the same screen and the same instruction count.
 */
class FreeDosSavedStateTest {

    static final String PROMPT = "A:\\>";
    static final String COMMAND = "dir\r";
    static final List<String> EXPECT = List.of("bytes free");

    @TempDir
    Path dir;

    @Test
    void freeDosRestoredAtItsPromptRunsACommandLikeTheOriginal() throws Exception {
        Optional<Path> shared = SharedData.find("guests/freedos/freedos722.img");
        assumeTrue(shared.isPresent(), "FreeDOS floppy not available");
        Path floppy = Files.copy(shared.get(), dir.resolve("freedos.img"));
        Path state = dir.resolve("freedos.sav");
        Path restoredFloppy = dir.resolve("restored.img");
        CheckpointedBoot.Tail expected;
        long size;
        double saveMillis;
        double restoreMillis;
        try (CheckpointedBoot boot = new CheckpointedBoot(floppy)) {
            boot.runUntilScreen(PROMPT, 50_000_000L, 180);
            long t0 = System.nanoTime();
            size = SavedState.save(boot.machine, state);
            saveMillis = (System.nanoTime() - t0) / 1e6;
            Files.copy(floppy, restoredFloppy, StandardCopyOption.REPLACE_EXISTING);
            boot.machine.keyInput().type(COMMAND);
            expected = boot.finish(EXPECT);
        }
        assertTrue(expected.allMet(), expected.describe());
        try (CheckpointedBoot boot = new CheckpointedBoot(restoredFloppy)) {
            long t0 = System.nanoTime();
            SavedState.restore(boot.machine, state);
            restoreMillis = (System.nanoTime() - t0) / 1e6;
            boot.machine.keyInput().type(COMMAND);
            CheckpointedBoot.Tail actual = boot.finish(EXPECT);
            assertTrue(actual.allMet(), actual.describe());
            assertEquals(expected.screen(), actual.screen());
            assertEquals(expected.serial(), actual.serial());
            assertEquals(expected.instructions(), actual.instructions());
        }
        System.out.printf("FreeDOS saved state: %d bytes, saved in %.1f ms, restored in %.1f ms%n", size, saveMillis,
                restoreMillis);
    }
}
