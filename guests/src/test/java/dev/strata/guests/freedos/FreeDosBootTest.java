package dev.strata.guests.freedos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.strata.junit.Guest;
import dev.strata.junit.StrataMachine;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

/**
 * The unmodified FreeDOS floppy (HIMEM, DOS=HIGH and all) boots to its prompt headless on Strata's machine and BIOS,
 * answers commands typed on the emulated keyboard, and runs programs from the floppy — the same way every run.
 */
@StrataMachine(fda = FreeDosBootTest.FLOPPY, timeout = 180)
class FreeDosBootTest {

    static final String FLOPPY = "${STRATA_SHARED:-${strata.root}/../shared}/" + FreeDosFloppy.SHARED;
    static final String PROMPT = "A:\\>";

    @BeforeAll
    static void floppy() {
        assumeTrue(FreeDosFloppy.shared().isPresent(), "FreeDOS floppy not available");
    }

    @Test
    void bootsTheUnmodifiedFloppyWithHimemToThePrompt(Guest dos) {
        dos.waitFor("FreeDOS HIMEM").waitFor("in HMA").waitFor(PROMPT);
        assertTrue(dos.screen().contains("Welcome to FreeDOS"), dos.screen());
    }

    @Test
    void verTypedOnTheKeyboardReportsTheDosVersion(Guest dos) {
        dos.waitFor(PROMPT).type("ver /r\r").waitFor("A:\\>ver /r").waitFor("FreeDOS kernel version");
        assertTrue(dos.screen().contains("DOS version 7.10"), dos.screen());
        assertTrue(dos.screen().contains("FreeCom version 0.82"), dos.screen());
    }

    @Test
    void runsAProgramFromTheFloppy(Guest dos) {
        dos.waitFor(PROMPT).type("hello\r").waitFor("A:\\>hello").waitFor("Hello, World!");
        assertTrue(dos.screen().contains("A:\\>hello\nHello, World!"), dos.screen());
    }

    /** What the first boot of the repeated test below saw, for the second to compare. */
    private static String firstScreen;
    private static String firstSerial;
    private static long firstInstructions;

    @RepeatedTest(2)
    void twoDeterministicBootsGiveTheSameScreenAndInstructionCount(Guest dos, RepetitionInfo boot) {
        dos.waitFor(PROMPT).type("hello\r").waitFor("Hello, World!");
        if (boot.getCurrentRepetition() == 1) {
            firstScreen = dos.screen();
            firstSerial = dos.serial();
            firstInstructions = dos.instructions();
            return;
        }
        assertEquals(firstScreen, dos.screen());
        assertEquals(firstSerial, dos.serial());
        assertEquals(firstInstructions, dos.instructions());
    }
}
