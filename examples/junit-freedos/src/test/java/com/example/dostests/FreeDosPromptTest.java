package com.example.dostests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.strata.junit.Guest;
import dev.strata.junit.StrataMachine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Guest tests of FreeDOS's command shell, as a project testing its own DOS software would write them: each test
 * boots the floppy on a fresh deterministic machine (the image itself is never written) and drives it.
 */
@StrataMachine(fda = FreeDosPromptTest.FLOPPY, memory = 16)
class FreeDosPromptTest {

    /** Strata's shared test data sits beside the project, or where STRATA_SHARED says. */
    static final String FLOPPY = "${STRATA_SHARED:-../../../shared}/guests/freedos/freedos722.img";

    @BeforeAll
    static void floppyIsThere() {
        // this project's convention: CI must have the image; a laptop without it skips, loudly
        Path floppy = Path.of(System.getenv().getOrDefault("STRATA_SHARED", "../../../shared"),
                "guests/freedos/freedos722.img");
        if (!"true".equals(System.getenv("CI"))) {
            assumeTrue(Files.isRegularFile(floppy), "*** SKIPPING: no FreeDOS floppy at " + floppy.toAbsolutePath());
        }
    }

    @Test
    void verNamesTheShell(Guest dos) {
        dos.waitFor("A:\\>").type("ver\r").waitFor("FreeCom version", Duration.ofSeconds(10));
        assertTrue(dos.screen().contains("FreeCom version"), dos.screen());
    }

    @Test
    void aFileWrittenByTheGuestIsListed(Guest dos) {
        // DIR lists names in capitals with the extension apart: only the listing shows it so, not the command line
        dos.waitFor("A:\\>")
                .type("echo written by a guest test> note.txt\r")
                .type("dir note.txt\r")
                .waitFor("NOTE     TXT", Duration.ofSeconds(10));
        // and the floppy holds it: read from its FAT through Strata's storage layer, no mounting
        String note = new String(dos.file("fda", "NOTE.TXT").orElseThrow(), StandardCharsets.US_ASCII);
        assertEquals("written by a guest test\r\n", note);
    }
}
