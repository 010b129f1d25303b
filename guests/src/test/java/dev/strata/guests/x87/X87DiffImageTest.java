package dev.strata.guests.x87;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.strata.guests.SharedData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The committed x87 guest image is a fresh build of its source, and the fixture is a complete QEMU run. */
class X87DiffImageTest {

    private static final int FLOPPY_SIZE = 1_474_560;

    @Test
    void committedImageIsAFreshNasmBuildOfTheSource(@TempDir Path dir) throws Exception {
        Path source = SharedData.projectRoot().resolve("guests/x87/x87diff.asm");
        Path out = dir.resolve("x87diff.bin");
        Process nasm;
        try {
            nasm = new ProcessBuilder("nasm", "-f", "bin", "-o", out.toString(), source.toString())
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            if (SharedData.inCi()) {
                fail("nasm is required in CI (CI=true) to check guests/x87/x87diff.img: " + e.getMessage());
            }
            System.err.println("*** SKIPPING: nasm not found; cannot check guests/x87/x87diff.img against its source");
            Assumptions.abort("nasm not found");
            return;
        }
        String log = new String(nasm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(nasm.waitFor(60, TimeUnit.SECONDS), "nasm did not finish");
        assertEquals(0, nasm.exitValue(), "nasm failed: " + log);
        byte[] built = Arrays.copyOf(Files.readAllBytes(out), FLOPPY_SIZE);
        byte[] committed = Files.readAllBytes(X87DiffTest.image());
        assertEquals(0x55, committed[510] & 0xFF);
        assertEquals(0xAA, committed[511] & 0xFF);
        assertArrayEquals(built, committed, "guests/x87/x87diff.img is stale: run guests/x87/build.sh, then "
                + "guests/x87/regenerate-expected.sh, and commit both");
    }

    @Test
    void fixtureNamesItsQemuAndEndsWithTheChecksumLine() throws IOException {
        List<String> lines = X87DiffTest.expectedLines();
        assertTrue(lines.get(0).startsWith("# expected output of guests/x87/x87diff.img, produced by QEMU emulator"),
                lines.get(0));
        assertTrue(lines.get(lines.size() - 1).matches("checksum [0-9A-F]{8} " + X87DiffTest.DONE),
                lines.get(lines.size() - 1));
        assertTrue(lines.size() > 50_000, "only " + lines.size() + " lines");
    }
}
