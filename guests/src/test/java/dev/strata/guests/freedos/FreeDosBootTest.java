package dev.strata.guests.freedos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.strata.emulator.machine.MachineSettings;
import dev.strata.guests.GuestBoot;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The unmodified FreeDOS floppy (HIMEM, DOS=HIGH and all) boots to its prompt headless on Strata's machine and BIOS,
 * answers commands typed on the emulated keyboard, and runs programs from the floppy — the same way every run.
 */
class FreeDosBootTest {

    static final String PROMPT = "A:\\>";

    @TempDir
    Path dir;
    private Path shared;

    @BeforeEach
    void floppy() {
        Optional<Path> p = FreeDosFloppy.shared();
        assumeTrue(p.isPresent(), "FreeDOS floppy not available");
        shared = p.get();
    }

    private GuestBoot.Result boot(List<String> expect, String typed) throws Exception {
        Path floppy = FreeDosFloppy.copy(shared, dir.resolve("fd-" + System.nanoTime() + ".img"));
        return GuestBoot.run(new MachineSettings().floppy(0, floppy).bootOrder("a"), expect,
                typed == null ? null : PROMPT, typed, 180);
    }

    @Test
    void bootsTheUnmodifiedFloppyWithHimemToThePrompt() throws Exception {
        GuestBoot.Result r = boot(List.of("FreeDOS HIMEM", "in HMA", PROMPT), null);
        assertTrue(r.allMet(), r.describe());
        assertTrue(r.screen().contains("Welcome to FreeDOS"), r.describe());
    }

    @Test
    void verTypedOnTheKeyboardReportsTheDosVersion() throws Exception {
        GuestBoot.Result r = boot(List.of(PROMPT, "A:\\>ver /r", "FreeDOS kernel version"), "ver /r\r");
        assertTrue(r.allMet(), r.describe());
        assertTrue(r.screen().contains("DOS version 7.10"), r.describe());
        assertTrue(r.screen().contains("FreeCom version 0.82"), r.describe());
    }

    @Test
    void runsAProgramFromTheFloppy() throws Exception {
        GuestBoot.Result r = boot(List.of(PROMPT, "A:\\>hello", "Hello, World!"), "hello\r");
        assertTrue(r.allMet(), r.describe());
        assertTrue(r.screen().contains("A:\\>hello\nHello, World!"), r.describe());
    }

    @Test
    void twoDeterministicBootsGiveTheSameScreenAndInstructionCount() throws Exception {
        List<String> expect = List.of(PROMPT, "A:\\>hello", "Hello, World!");
        GuestBoot.Result a = boot(expect, "hello\r");
        GuestBoot.Result b = boot(expect, "hello\r");
        assertTrue(a.allMet(), a.describe());
        assertEquals(a.screen(), b.screen());
        assertEquals(a.serial(), b.serial());
        assertEquals(a.instructions(), b.instructions());
    }
}
