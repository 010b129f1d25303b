package dev.strata.guests.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.state.SavedState;
import dev.strata.guests.SharedData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FreeDOS saved while its BIOS keyboard poll waits for the next interrupt (idle at the prompt) and restored into a
 * new machine continues exactly as the original: a command typed later at the same virtual time gives the same
 * screen and instruction count.
 */
class FreeDosIdleSavedStateTest {

    static final long SECOND = 1_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void freeDosSavedWhileIdleResumesIdenticallyAfterARestore() throws Exception {
        Optional<Path> shared = SharedData.find("guests/freedos/freedos722.img");
        assumeTrue(shared.isPresent(), "FreeDOS floppy not available");
        Path floppy = Files.copy(shared.get(), dir.resolve("freedos.img"));
        Path state = dir.resolve("idle.sav");
        Path restoredFloppy = dir.resolve("restored.img");
        List<String> expect = List.of("FreeDOS kernel version");
        CheckpointedBoot.Tail expected;
        try (CheckpointedBoot boot = new CheckpointedBoot(floppy)) {
            boot.runTo(2 * SECOND + 12_345_678);
            Cpu cpu = boot.machine.cpu();
            assertTrue(cpu.halted, "FreeDOS should be idle at its prompt, halted in the BIOS");
            assertEquals(0xF000, cpu.seg[Cpu.CS].selector);
            SavedState.save(boot.machine, state);
            Files.copy(floppy, restoredFloppy);
            boot.typeAt(3 * SECOND, "ver /r\r");
            expected = boot.finish(expect);
        }
        assertTrue(expected.allMet(), expected.describe());
        try (CheckpointedBoot boot = new CheckpointedBoot(restoredFloppy)) {
            SavedState.restore(boot.machine, state);
            boot.typeAt(3 * SECOND, "ver /r\r");
            CheckpointedBoot.Tail actual = boot.finish(expect);
            assertTrue(actual.allMet(), actual.describe());
            assertEquals(expected.screen(), actual.screen());
            assertEquals(expected.serial(), actual.serial());
            assertEquals(expected.instructions(), actual.instructions());
        }
    }
}
