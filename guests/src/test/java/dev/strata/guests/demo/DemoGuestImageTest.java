package dev.strata.guests.demo;

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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoGuestImageTest {

    private static Path committedImage() {
        return SharedData.projectRoot().resolve("guests/demo/demo.img");
    }

    @Test
    void committedImageIsAFloppyWithTheBootSignature() throws IOException {
        byte[] image = Files.readAllBytes(committedImage());
        assertEquals(1_474_560, image.length);
        assertEquals(0x55, image[510] & 0xFF);
        assertEquals(0xAA, image[511] & 0xFF);
    }

    @Test
    void bundledResourceIsTheCommittedImage() throws IOException {
        assertArrayEquals(Files.readAllBytes(committedImage()), DemoGuest.image(),
                "guests/demo/demo.img and the resource differ: run guests/demo/build.sh");
    }

    @Test
    void imageCarriesTheReadyLine() {
        String text = new String(DemoGuest.image(), 0, 4096, StandardCharsets.ISO_8859_1);
        assertTrue(text.contains(DemoGuest.READY_LINE + "\0"), "ready line not found in the first 8 sectors");
    }

    @Test
    void copyToWritesTheWholeImage(@TempDir Path dir) throws IOException {
        Path copy = DemoGuest.copyTo(dir.resolve("demo.img"));
        assertArrayEquals(DemoGuest.image(), Files.readAllBytes(copy));
    }

    @Test
    void committedImageIsAFreshNasmBuild(@TempDir Path dir) throws Exception {
        Path source = SharedData.projectRoot().resolve("guests/demo/demo.asm");
        Path out = dir.resolve("demo.bin");
        Process nasm;
        try {
            nasm = new ProcessBuilder("nasm", "-f", "bin", "-o", out.toString(), source.toString())
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            if (SharedData.inCi()) {
                fail("nasm is required in CI (CI=true) to check guests/demo/demo.img: " + e.getMessage());
            }
            System.err.println("*** SKIPPING: nasm not found; cannot check guests/demo/demo.img against demo.asm");
            Assumptions.abort("nasm not found");
            return;
        }
        String log = new String(nasm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(nasm.waitFor(60, TimeUnit.SECONDS), "nasm did not finish");
        assertEquals(0, nasm.exitValue(), "nasm failed: " + log);

        byte[] built = Files.readAllBytes(out);
        byte[] expected = Arrays.copyOf(built, DemoGuest.IMAGE_SIZE); // build.sh pads with zeros
        assertArrayEquals(expected, Files.readAllBytes(committedImage()),
                "guests/demo/demo.img is stale: run guests/demo/build.sh and commit the image");
    }
}
