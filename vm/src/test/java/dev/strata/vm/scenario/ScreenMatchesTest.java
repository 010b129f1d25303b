package dev.strata.vm.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.display.Frame;
import dev.strata.emulator.display.FramePng;
import dev.strata.emulator.vm.VirtualMachines;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Screen compares on the bundled demo guest (its ready line on the screen, a ticking clock): --update-screens
 * writes the pictures, the next run matches them, a screen that differs fails with how many pixels and where, and
 * leaves what it saw and the differences.
 */
class ScreenMatchesTest {

    /** The demo guest's line on COM1 once it is up. */
    private static final String READY = "Strata demo guest: ready";

    @TempDir
    Path dir;

    private ScenarioOptions checking;

    @BeforeEach
    void guest() throws Exception {
        Files.copy(Path.of("..", "guests", "demo", "demo.img"), dir.resolve("demo.img"));
        checking = new ScenarioOptions(new VirtualMachines(dir.resolve("home")), false);
    }

    private ScenarioResult run(String yaml, ScenarioOptions options, String out) throws Exception {
        Scenario s = ScenarioParser.read(Files.writeString(dir.resolve("s.yaml"), yaml));
        return ScenarioRunner.run(s, dir.resolve(out), options);
    }

    private static final String READY_SCREEN = """
            machine: {fda: demo.img, memory: 4}
            steps:
              - wait: "%s"
              - screen-matches: screens/ready.png
            """.formatted(READY);

    @Test
    void updateScreensWritesThePictureAndTheNextRunMatchesIt() throws Exception {
        ScenarioResult written = run(READY_SCREEN, checking.updatingScreens(true), "w");
        assertTrue(written.passed(), written.summary());
        assertEquals(List.of("screens/ready.png: written"), written.screens());
        Frame picture = FramePng.read(dir.resolve("screens/ready.png"));
        assertTrue(picture.width() >= 640 && picture.height() >= 350, picture.width() + "x" + picture.height());

        ScenarioResult checked = run(READY_SCREEN, checking, "c");
        assertTrue(checked.passed(), checked.summary());
        assertEquals(List.of(), checked.screens());
        assertEquals(written.instructions(), checked.instructions(), "the same path: the step matched at once");

        ScenarioResult again = run(READY_SCREEN, checking.updatingScreens(true), "a");
        assertEquals(List.of("screens/ready.png: unchanged"), again.screens());
    }

    @Test
    void aScreenThatDiffersFailsSayingHowManyPixelsAndWhereAndLeavesTheActualAndTheDiff() throws Exception {
        assertTrue(run(READY_SCREEN, checking.updatingScreens(true), "w").passed());
        ScenarioResult r = run("""
                machine: {fda: demo.img, memory: 4}
                steps:
                  - wait: "%s"
                  - type: "xyzzy"
                  - sleep: 0.5
                  - screen-matches: {png: screens/ready.png, timeout: 0.5}
                """.formatted(READY), checking, "f");
        assertEquals(3, r.failedStep(), r.summary());
        assertTrue(r.message().matches("the screen did not match within 0\\.500 s of guest time: \\d+ pixels differ,"
                + " the first at x=\\d+, y=\\d+ \\(see actual.png and diff.png\\)"), r.message());
        Frame actual = FramePng.read(dir.resolve("f/actual.png"));
        Frame diff = FramePng.read(dir.resolve("f/diff.png"));
        assertEquals(actual.width(), diff.width());
        assertTrue(java.util.Arrays.stream(diff.pixels()).anyMatch(p -> (p & 0xFFFFFF) == 0xFF0000),
                "differing pixels are red");
    }

    @Test
    void aMaskOrAnAllowanceLetsTheDifferencePass() throws Exception {
        assertTrue(run(READY_SCREEN, checking.updatingScreens(true), "w").passed());
        String typed = """
                machine: {fda: demo.img, memory: 4}
                steps:
                  - wait: "%s"
                  - type: "xyzzy"
                  - sleep: 0.5
                  - screen-matches: {png: screens/ready.png, timeout: 0.1, %s}
                """;
        ScenarioResult failed = run(typed.formatted(READY, "tolerance: 0"), checking, "f");
        assertFalse(failed.passed());
        long differing = Long.parseLong(failed.message().replaceAll(".*: (\\d+) pixels differ.*", "$1"));
        assertTrue(run(typed.formatted(READY, "max-differing-pixels: " + differing), checking, "m").passed());
        Frame f = FramePng.read(dir.resolve("screens/ready.png"));
        assertTrue(run(typed.formatted(READY, "mask: [[0, 0, " + f.width() + ", " + f.height() + "]]"), checking,
                "k").passed());
    }

    @Test
    void aMissingPictureSaysHowToWriteIt() throws Exception {
        ScenarioResult r = run(READY_SCREEN, checking, "m");
        assertEquals(1, r.failedStep());
        assertTrue(r.message().startsWith("there is no picture ") && r.message().endsWith("strata test"
                + " --update-screens writes it from the run"), r.message());
    }
}
