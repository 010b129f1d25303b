package dev.strata.guests.x87;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.machine.MachineSettings;
import dev.strata.guests.GuestBoot;
import dev.strata.guests.SharedData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Boots the x87 differential guest (guests/x87) on Strata, headless and deterministic, captures what it writes to
 * port E9h and compares it line by line with the output QEMU gave for the same image (the fixture made by
 * guests/x87/regenerate-expected.sh). Strata's own output is kept in target/x87diff-actual.txt for inspection.
 */
class X87DiffTest {

    static final String DONE = "x87 differential done";
    static final String FIXTURE = "x87diff-expected.txt.gz";

    @TempDir
    Path dir;

    static Path image() {
        return SharedData.projectRoot().resolve("guests/x87/x87diff.img");
    }

    static List<String> expectedLines() throws IOException {
        try (InputStream in = X87DiffTest.class.getResourceAsStream(FIXTURE)) {
            if (in == null) {
                throw new IllegalStateException("test resource " + FIXTURE
                        + " is missing: run guests/x87/regenerate-expected.sh");
            }
            return new String(new GZIPInputStream(in).readAllBytes(), StandardCharsets.ISO_8859_1).lines().toList();
        }
    }

    @Test
    void everyX87OperationMatchesQemu() throws Exception {
        Path floppy = Files.copy(image(), dir.resolve("x87diff.img"));
        ByteArrayOutputStream e9 = new ByteArrayOutputStream();
        MachineSettings settings = new MachineSettings().floppy(0, floppy).bootOrder("a").debugConsole(b -> {
            synchronized (e9) {
                e9.write(b);
            }
        });
        GuestBoot.Result boot = GuestBoot.run(settings, List.of(DONE), null, 900);
        String output;
        synchronized (e9) {
            output = e9.toString(StandardCharsets.ISO_8859_1);
        }
        Path kept = SharedData.projectRoot().resolve("guests/target/x87diff-actual.txt");
        Files.createDirectories(kept.getParent());
        Files.writeString(kept, output, StandardCharsets.ISO_8859_1);

        X87DiffReport report = X87DiffReport.compare(expectedLines(), output.lines().toList());
        String context = boot.allMet() ? "" : "\nthe guest did not finish: " + boot.outcome() + ", "
                + boot.instructions() + " instructions, " + output.lines().count() + " lines on E9h";
        assertTrue(report.allMatch(), report.summary() + context + "\nStrata's output: " + kept);
    }
}
