package dev.strata.guests.state;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.strata.emulator.machine.MachineSettings;
import dev.strata.emulator.state.SavedState;
import dev.strata.guests.SharedData;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Saved states written by earlier builds must load in this one (users' Saved VMs and online snapshots are such
 * files). Each file under {@code golden/} was written by the commit in its name, with {@code strata run
 * --deterministic --fda freedos722.img --expect 'A:\>' --save-state FILE} on an unchanged copy of the shared
 * floppy, and is never rewritten: a change that makes one fail to load needs a migration, not a new file. Add a
 * file from the new build when the format changes, so the next change is checked against it too.
 */
class GoldenStateTest {

    /** FreeDOS at its prompt, saved by commit 5e14df7 (2026-12-04, before the translating tier). */
    static final String FREEDOS_5E14DF7 = "freedos-prompt-cli-5e14df7.sav";
    /** The same, saved by commit a607995 (2026-12-04, with the translating tier, whose settings stay out). */
    static final String FREEDOS_A607995 = "freedos-prompt-cli-a607995.sav";

    @TempDir
    Path dir;

    private Path floppy() throws Exception {
        Optional<Path> shared = SharedData.find("guests/freedos/freedos722.img");
        assumeTrue(shared.isPresent(), "FreeDOS floppy not available");
        return Files.copy(shared.get(), dir.resolve("freedos.img"));
    }

    private static MachineSettings freeDos(Path floppy) {
        return new MachineSettings().floppy(0, floppy).bootOrder("a");
    }

    private Path golden(String name) throws Exception {
        Path file = dir.resolve(name);
        try (InputStream in = GoldenStateTest.class.getResourceAsStream("golden/" + name)) {
            assertTrue(in != null, "golden state " + name + " is missing from the test resources");
            Files.copy(in, file);
        }
        return file;
    }

    @ParameterizedTest
    @ValueSource(strings = {FREEDOS_5E14DF7, FREEDOS_A607995})
    void freeDosSavedAtItsPromptByAnEarlierBuildRestoresAndRunsACommand(String file) throws Exception {
        try (CheckpointedBoot boot = new CheckpointedBoot(freeDos(floppy()))) {
            SavedState.restore(boot.machine, golden(file));
            boot.machine.keyInput().type("dir\r");
            CheckpointedBoot.Tail tail = boot.finish(List.of("bytes free"));
            assertTrue(tail.allMet(), tail.describe());
            assertTrue(tail.screen().contains("COMMAND  COM        66,090"),
                    "the floppy's listing: " + tail.describe());
        }
    }
}
