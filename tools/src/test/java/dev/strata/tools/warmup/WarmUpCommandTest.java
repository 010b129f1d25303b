package dev.strata.tools.warmup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.tools.StrataCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code strata warm-up}, the launcher's training run for its start-up archive. */
class WarmUpCommandTest {

    @TempDir
    Path dir;

    private final StringWriter err = new StringWriter();

    private int strata(String... args) {
        CommandLine cl = StrataCli.commandLine(args);
        cl.setErr(new PrintWriter(err, true));
        cl.setOut(new PrintWriter(new StringWriter(), true));
        return cl.execute(args);
    }

    @Test
    void bothTrainingGuestsFinish() {
        assertEquals(0, strata("warm-up"), err.toString());
    }

    @Test
    void theWarmUpGuestRunsLongEnoughForTheTranslatingTier() throws Exception {
        Path floppy = dir.resolve("warm-up.img");
        Files.write(floppy, WarmUpCommand.floppyImage());
        assertEquals(0, strata("run", "--headless", "--deterministic", "--serial", "none", "--fda", floppy.toString(),
                "--expect", WarmUpCommand.MARKER, "--timeout", "120", "--stats"), err.toString());
        Matcher m = Pattern.compile("instructions (\\d+),.* ([0-9.]+)% of instructions translated").matcher(err.toString());
        assertTrue(m.find(), err.toString());
        assertTrue(Long.parseLong(m.group(1)) > 30_000_000L, err.toString());
        assertTrue(Double.parseDouble(m.group(2)) > 10.0, err.toString());
        // what runs beside the CPU thread to make those translations fast
        Matcher work = Pattern.compile("JIT compilers took ([0-9.]+) s .*the translator thread took ([0-9.]+) s")
                .matcher(err.toString());
        assertTrue(work.find(), err.toString());
        assertTrue(Double.parseDouble(work.group(1)) > 0 && Double.parseDouble(work.group(2)) > 0, err.toString());
    }

    @Test
    void theFloppyIsABootableHighDensityDisk() throws Exception {
        byte[] image = WarmUpCommand.floppyImage();
        assertEquals(1_474_560, image.length);
        assertEquals(0x55, image[510] & 0xFF);
        assertEquals(0xAA, image[511] & 0xFF);
    }

    @Test
    void helpDoesNotListIt() {
        CommandLine cl = StrataCli.commandLine();
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.execute("--help");
        assertTrue(!out.toString().contains("warm-up"), out.toString());
    }
}
