package dev.strata.vm.scenario;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scenarios run on the echo guest: steps in order, failures that say where and why, the same result every run. */
class ScenarioRunnerTest {

    @TempDir
    Path dir;

    @BeforeEach
    void guest() throws Exception {
        EchoGuest.floppy(dir.resolve("echo.img"));
    }

    private Scenario scenario(String name, String yaml) throws Exception {
        return ScenarioParser.read(Files.writeString(dir.resolve(name + ".yaml"), yaml));
    }

    private static final String ECHO = """
            machine: {fda: echo.img, memory: 4}
            steps:
              - wait: "ready> "
              - type: "abq"
              - expect-exit: halt
              - serial-contains: "ready> abq"
            """;

    @Test
    void stepsRunInOrderAndThePassingRunLeavesItsSerialLogAndScreen() throws Exception {
        ScenarioResult r = ScenarioRunner.run(scenario("echo", ECHO), dir.resolve("out"));
        assertTrue(r.passed(), r.summary());
        assertEquals("ready> abq", Files.readString(dir.resolve("out").resolve(ScenarioRunner.SERIAL)));
        assertTrue(Files.readString(dir.resolve("out").resolve(ScenarioRunner.SCREEN)).contains("ready> abq"));
        assertFalse(Files.exists(dir.resolve("out").resolve(ScenarioRunner.FAILED_STATE)));
        assertFalse(Files.exists(dir.resolve("out").resolve(ScenarioRunner.TRACE)));
        assertTrue(r.summary().startsWith("PASS echo ("), r.summary());
    }

    @Test
    void keysAndChordsReachTheGuestAsItsKeyboardGivesThem() throws Exception {
        ScenarioResult r = ScenarioRunner.run(scenario("keys", """
                machine: {fda: echo.img, memory: 4}
                steps:
                  - wait: "ready> "
                  - keys: shift+h i space 7
                  - wait: "Hi 7"
                  - keys: [ctrl+a, q]
                  - expect-exit: halt
                """), dir.resolve("out"));
        assertTrue(r.passed(), r.summary());
        assertEquals("ready> Hi 7\u0001q", r.serial(), "Ctrl+A is the control character 01h");
    }

    @Test
    void aRegionOfTheScreenIsCheckedForTextAndAFailureQuotesWhatItShows() throws Exception {
        ScenarioResult r = ScenarioRunner.run(scenario("region", """
                machine: {fda: echo.img, memory: 4}
                steps:
                  - wait: "ready> "
                  - type: "abc"
                  - wait: "ready> abc"
                  - screen-contains: {text: "> abc", region: [4, 2, 10, 1]}
                  - screen-contains: {text: "ready", region: [2, 2, 80, 2]}
                """), dir.resolve("out"));
        assertFalse(r.passed());
        assertTrue(r.summary().contains("FAIL region: step 5 (screen-contains \"ready\" in [2, 2, 80, 2]): the region"
                + " shows \"ady> abc\""), r.summary());
    }

    @Test
    void theSameScenarioEndsAtTheSameInstructionEveryRun() throws Exception {
        ScenarioResult a = ScenarioRunner.run(scenario("echo", ECHO), dir.resolve("a"));
        ScenarioResult b = ScenarioRunner.run(scenario("echo", ECHO), dir.resolve("b"));
        assertEquals(a.instructions(), b.instructions());
        assertEquals(a.virtualNanos(), b.virtualNanos());
        assertEquals(a.serial(), b.serial());
    }

    @Test
    void aTextThatNeverComesFailsItsStepAfterTheTimeoutAndKeepsAStateToResumeFrom() throws Exception {
        ScenarioResult r = ScenarioRunner.run(scenario("never", """
                machine: {fda: echo.img}
                steps:
                  - wait: "ready> "
                  - wait: {text: "never", timeout: 0.5}
                  - type: "q"
                """), dir.resolve("out"));
        assertFalse(r.passed());
        assertEquals(1, r.failedStep());
        assertTrue(r.summary().startsWith("FAIL never: step 2 (wait \"never\"): did not appear within 0.500 s of"
                + " guest time"), r.summary());
        assertTrue(Files.size(dir.resolve("out").resolve(ScenarioRunner.FAILED_STATE)) > 0);
        assertEquals("ready> ", Files.readString(dir.resolve("out").resolve(ScenarioRunner.SERIAL)));
    }

    @Test
    void aFailureLeavesTheLastInstructionsBeforeItTracedFromARerunThatEndsWhereTheRunDid() throws Exception {
        ScenarioResult r = ScenarioRunner.run(scenario("never", """
                machine: {fda: echo.img}
                steps:
                  - wait: "ready> "
                  - save-state: before.sav
                  - wait: {text: "never", timeout: 0.5}
                """), dir.resolve("out"));
        assertEquals(2, r.failedStep(), r.summary());
        List<String> trace = Files.readAllLines(dir.resolve("out").resolve(ScenarioRunner.TRACE));
        assertTrue(trace.get(0).startsWith("# end of the run at instruction " + r.instructions() + ": the last "),
                trace.get(0));
        long records = trace.stream().filter(l -> !l.startsWith("#")).count();
        assertTrue(records > 0 && records <= ScenarioRunner.TRACED_INSTRUCTIONS, records + " records");
        String last = trace.get(trace.size() - 1);
        // a line starts with the count of instructions before it: the last one ran as the run's last
        assertEquals(r.instructions() - 1, Long.parseLong(last.trim().split("\\s+")[0]), last);
        try (var files = Files.list(dir.resolve("out"))) {
            assertEquals(List.of("before.sav", "failed.sav", "screen.txt", "serial.log", "trace.txt"),
                    files.map(f -> f.getFileName().toString()).sorted().toList(), "no scratch left behind");
        }
    }

    @Test
    void aFileCheckOnADiskWithoutFatSaysSo() throws Exception {
        ScenarioResult r = ScenarioRunner.run(scenario("nofat", """
                machine: {fda: echo.img}
                steps:
                  - wait: "ready> "
                  - file-contains: {disk: fda, path: NOTE.TXT, text: x}
                """), dir.resolve("out"));
        assertEquals(1, r.failedStep(), r.summary());
        assertTrue(r.message().contains("no FAT file system"), r.message());
        ScenarioResult none = ScenarioRunner.run(scenario("nodisk", """
                machine: {fda: echo.img}
                steps:
                  - file-contains: {disk: hdb, path: NOTE.TXT, text: x}
                """), dir.resolve("out2"));
        assertEquals("the machine has no disk hdb", none.message());
    }

    @Test
    void aHostCommandSeesTheSerialLogSoFarAndFailsTheStepWithItsStatusAndOutput() throws Exception {
        ScenarioResult r = ScenarioRunner.run(scenario("host", """
                machine: {fda: echo.img}
                steps:
                  - wait: "ready> "
                  - sleep: 1
                  - host: 'grep -q "ready> " "$STRATA_OUTPUT/serial.log" && touch host-ran'
                  - host: {command: 'echo looked; exit 3', timeout: 5}
                """), dir.resolve("out"));
        assertTrue(Files.exists(dir.resolve("host-ran")), "run in the scenario's folder, after the guest's output");
        assertEquals(3, r.failedStep(), r.summary());
        assertEquals("exited with status 3: looked", r.message());
    }

    @Test
    void aRunThatEndsOtherwiseThanExpectedSaysHow() throws Exception {
        ScenarioResult r = ScenarioRunner.run(scenario("exit", """
                machine: {fda: echo.img}
                steps:
                  - type: "q"
                  - expect-exit: power-off
                """), dir.resolve("out"));
        assertEquals(1, r.failedStep(), r.summary());
        assertTrue(r.message().equals("the run ended by halt"), r.message());
    }

    @Test
    void theImagesAScenarioNamesAreOnlyRead() throws Exception {
        byte[] before = Files.readAllBytes(dir.resolve("echo.img"));
        assertTrue(ScenarioRunner.run(scenario("echo", ECHO), dir.resolve("out")).passed());
        assertArrayEquals(before, Files.readAllBytes(dir.resolve("echo.img")));
    }

    @Test
    void aCheckOfTheScreenFailsWhenTheTextIsNotThere() throws Exception {
        ScenarioResult r = ScenarioRunner.run(scenario("screen", """
                machine: {fda: echo.img}
                steps:
                  - wait: "ready> "
                  - screen-contains: "ready>"
                  - screen-contains: "xyz"
                """), dir.resolve("out"));
        assertEquals(2, r.failedStep(), r.summary());
        assertEquals("the screen does not show it", r.message());
    }
}
