package dev.strata.tools.medium;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.storage.image.ImageStaging;
import dev.strata.storage.media.ImageLock;
import dev.strata.storage.media.LockMode;
import dev.strata.storage.media.StrataHome;
import dev.strata.tools.StrataCli;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code strata medium clone} SIGKILLed just after its first write to the new file: no DST is left that looks
 * whole, the leftover partial file is neither an image by name nor in the way, and a rerun makes an exact copy.
 */
class CloneKillTest {
    private static final int SIZE = 8 << 20;

    @TempDir
    Path dir;

    @AfterEach
    void restore() {
        System.clearProperty(StrataHome.PROPERTY);
    }

    private int strata(StringWriter out, String... args) {
        CommandLine cl = StrataCli.commandLine();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        out.write(err.toString());
        return exit;
    }

    @Test
    void cloneKilledAfterItsFirstWriteLeavesNoImageAndARerunCopiesExactly() throws Exception {
        Path home = dir.resolve("home");
        System.setProperty(StrataHome.PROPERTY, home.toString());
        Path src = dir.resolve("src.vdi");
        Path dst = dir.resolve("dst.vdi");
        StringWriter log = new StringWriter();
        assertEquals(0, strata(log, "medium", "create", "--filename", src.toString(), "--size", "8M"), log.toString());
        byte[] data = new byte[SIZE];
        new Random(99).nextBytes(data);
        Path input = Files.write(dir.resolve("data.bin"), data);
        assertEquals(0, strata(log, "medium", "write", src.toString(), "--offset", "0", "--input", input.toString()),
                log.toString());

        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), CloneKillChild.class.getName(),
                home.toString(), src.toString(), dst.toString())
                .redirectError(dir.resolve("child.err").toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertTrue(line != null && line.startsWith("KILL POINT "), "the child reached its kill point: " + line
                + " " + Files.readString(dir.resolve("child.err")));
        child.toHandle().destroyForcibly(); // SIGKILL
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));

        assertFalse(Files.exists(dst), "no DST that looks whole after the kill");
        Path partial = ImageStaging.partialPath(dst);
        assertTrue(Files.exists(partial), "the kill landed mid-copy (the partial file is there)");
        assertTrue(partial.getFileName().toString().startsWith("."), "the partial file is hidden");
        StringWriter check = new StringWriter();
        assertEquals(1, strata(check, "medium", "check", dst.toString()));
        assertTrue(check.toString().contains("no such image file"), check.toString());
        StringWriter list = new StringWriter();
        assertEquals(0, strata(list, "medium", "list"));
        assertFalse(list.toString().contains("dst.vdi"), list.toString());

        StringWriter rerun = new StringWriter();
        assertEquals(0, strata(rerun, "medium", "clone", src.toString(), dst.toString()), rerun.toString());
        assertFalse(Files.exists(partial), "the rerun removed the leftover");
        assertFalse(Files.exists(ImageLock.lockFile(partial)), "and the lock file the killed clone left");
        Path copy = dir.resolve("copy.bin");
        assertEquals(0, strata(log, "medium", "cat", dst.toString(), "--output", copy.toString()), log.toString());
        assertArrayEquals(data, Files.readAllBytes(copy));
        StringWriter checked = new StringWriter();
        assertEquals(0, strata(checked, "medium", "check", dst.toString()), checked.toString());
    }

    @SuppressWarnings("try") // the lock stands for a clone in progress; it is not used in the block
    @Test
    void aSecondCloneToTheSameTargetLeavesTheFirstOnesPartialFileAlone() throws Exception {
        Path home = dir.resolve("home");
        System.setProperty(StrataHome.PROPERTY, home.toString());
        Path src = dir.resolve("src.vdi");
        Path dst = dir.resolve("dst.vdi");
        StringWriter log = new StringWriter();
        assertEquals(0, strata(log, "medium", "create", "--filename", src.toString(), "--size", "1M"), log.toString());
        Path partial = ImageStaging.partialPath(dst);
        byte[] inProgress = {1, 2, 3};
        // a first clone is building DST: it holds the partial file's lock while it writes
        try (ImageLock first = ImageLock.acquire(partial, LockMode.EXCLUSIVE)) {
            Files.write(partial, inProgress);
            StringWriter second = new StringWriter();
            assertEquals(1, strata(second, "medium", "clone", src.toString(), dst.toString()), second.toString());
            assertTrue(second.toString().contains("being made by another clone"), second.toString());
            assertArrayEquals(inProgress, Files.readAllBytes(partial), "the first clone's file is untouched");
            assertFalse(Files.exists(dst));
        }
        Files.delete(partial);
        StringWriter after = new StringWriter();
        assertEquals(0, strata(after, "medium", "clone", src.toString(), dst.toString()), after.toString());
        assertFalse(Files.exists(ImageLock.lockFile(partial)), "the clone left no lock file behind");
    }
}
