package dev.strata.guests.freedos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.strata.emulator.cpu.translate.JitMode;
import dev.strata.emulator.machine.MachineSettings;
import dev.strata.guests.SharedData;
import dev.strata.guests.state.CheckpointedBoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FreeDOS boots and runs {@code dir} deterministically interpreted, with hot blocks translated, and with every
 * block translated: the prompt comes at the same instruction, and the screen, COM1 and the instruction count at
 * the end are the same in all three.
 */
class FreeDosTranslatedBootTest {

    @TempDir
    Path dir;

    private record Run(long promptAt, CheckpointedBoot.Tail tail, double translatedPercent) {
    }

    private Run boot(Path floppy, JitMode jit) throws Exception {
        Path copy = Files.copy(floppy, dir.resolve("freedos-" + jit + ".img"));
        try (CheckpointedBoot boot = new CheckpointedBoot(new MachineSettings().floppy(0, copy).bootOrder("a")
                .jit(jit))) {
            boot.runUntilScreen("A:\\>", 50_000_000L, 180);
            long promptAt = boot.machine.cpu().instructions;
            boot.machine.keyInput().type("dir\r");
            CheckpointedBoot.Tail tail = boot.finish(List.of("bytes free"));
            assertTrue(tail.allMet(), jit + ": " + tail.describe());
            assertEquals(0, boot.machine.cpu().stats().untranslatable(), jit + ": blocks the translator failed on");
            return new Run(promptAt, tail, boot.machine.cpu().stats().translatedPercent());
        }
    }

    @Test
    void freeDosRunsTheSameInterpretedAndTranslated() throws Exception {
        Optional<Path> floppy = SharedData.find("guests/freedos/freedos722.img");
        assumeTrue(floppy.isPresent(), "FreeDOS floppy not available");
        Run interpreted = boot(floppy.get(), JitMode.OFF);
        for (JitMode jit : new JitMode[] {JitMode.ON, JitMode.ALL}) {
            Run translated = boot(floppy.get(), jit);
            assertEquals(interpreted.promptAt(), translated.promptAt(), jit + ": instructions to the prompt");
            assertEquals(interpreted.tail().screen(), translated.tail().screen(), jit + ": screen");
            assertEquals(interpreted.tail().serial(), translated.tail().serial(), jit + ": COM1");
            assertEquals(interpreted.tail().instructions(), translated.tail().instructions(), jit + ": instructions");
            System.out.printf("FreeDOS boot and dir, jit %s: %.1f%% of instructions translated%n", jit,
                    translated.translatedPercent());
        }
        assertEquals(0.0, interpreted.translatedPercent());
    }
}
