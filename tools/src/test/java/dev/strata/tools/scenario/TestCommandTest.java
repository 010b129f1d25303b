package dev.strata.tools.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.guests.demo.DemoGuest;
import dev.strata.tools.InProcessStrata;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code strata test}: scenarios run at once, a line each, a JUnit report, shards, and the exit status CI reads. */
class TestCommandTest {

    @TempDir
    Path dir;

    private final InProcessStrata strata = new InProcessStrata();

    @BeforeEach
    void scenarios() throws Exception {
        DemoGuest.copyTo(dir.resolve("demo.img"));
        Files.writeString(dir.resolve("a-ready.yaml"), """
                machine: {fda: demo.img}
                steps:
                  - wait: "%s"
                  - power-off
                """.formatted(DemoGuest.READY_LINE));
        Files.writeString(dir.resolve("b-never.yaml"), """
                name: never
                machine: {fda: demo.img}
                steps:
                  - wait: {text: "no such text", timeout: 1}
                """);
    }

    private int test(String... more) {
        String[] args = new String[more.length + 5];
        args[0] = "test";
        args[1] = "--output";
        args[2] = dir.resolve("results").toString();
        args[3] = dir.resolve("a-ready.yaml").toString();
        args[4] = dir.resolve("b-never.yaml").toString();
        System.arraycopy(more, 0, args, 5, more.length);
        return strata.run(args);
    }

    @Test
    void aSuiteWithAFailureExitsOneAndReportsEachScenarioAndTheTotals() throws Exception {
        Path report = dir.resolve("junit.xml");
        assertEquals(1, test("--jobs", "2", "--junit", report.toString()), strata.err.toString());
        String out = strata.out.toString();
        assertTrue(out.contains("PASS a-ready ("), out);
        assertTrue(out.contains("FAIL never: step 1 (wait \"no such text\"): did not appear within 1 s of guest"
                + " time"), out);
        assertTrue(out.endsWith("2 scenarios, 1 passed, 1 failed\n"), out);
        String xml = Files.readString(report);
        assertTrue(xml.contains("<testsuite name=\"strata\" tests=\"2\" failures=\"1\""), xml);
        assertTrue(xml.contains("<testcase classname=\"strata\" name=\"never\""), xml);
        assertTrue(xml.contains("<failure message=\"FAIL never: step 1"), xml);
        assertTrue(Files.exists(dir.resolve("results/never/failed.sav")));
        assertTrue(Files.readString(dir.resolve("results/a-ready/serial.log")).contains(DemoGuest.READY_LINE));
    }

    @Test
    void theStateAFailedScenarioLeavesIsResumedByRunRestoreState() throws Exception {
        assertEquals(1, test("--jobs", "2"), strata.err.toString());
        Path state = dir.resolve("results/never/failed.sav");
        InProcessStrata resumed = new InProcessStrata();
        Path screen = dir.resolve("resumed.txt");
        assertEquals(0, resumed.run("run", "--headless", "--deterministic", "--serial", "none", "--fda",
                dir.resolve("demo.img").toString(), "--restore-state", state.toString(), "--type", "resumed",
                "--expect", "resumed", "--timeout", "60", "--screen-dump", screen.toString()), resumed.err.toString());
        String text = Files.readString(screen);
        assertTrue(text.contains("Strata demo guest") && text.contains("resumed"), text);
    }

    @Test
    void aShardRunsItsShareOfTheSortedScenarios() {
        assertEquals(1, test("--shard", "2/2"));
        assertFalse(strata.out.toString().contains("a-ready"), strata.out.toString());
        assertTrue(strata.out.toString().contains("1 scenarios, 0 passed, 1 failed"), strata.out.toString());
        assertEquals(2, new InProcessStrata().run("test", "--shard", "3/2", dir.resolve("a-ready.yaml").toString()));
    }

    @Test
    void aMistakeInAScenarioFileExitsTwoNamingTheFileAndThePlace() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.yaml"), "machine: {fda: demo.img}\nsteps: [{wiat: x}]\n");
        assertEquals(2, strata.run("test", bad.toString()));
        assertTrue(strata.err.toString().contains(bad + ":2: steps[0]: unknown step 'wiat'"), strata.err.toString());
    }

    @Test
    void updateScreensWritesThePicturesAndSaysSoThenTheScreensAreChecked() throws Exception {
        Path shot = Files.writeString(dir.resolve("shot.yaml"), """
                machine: {fda: demo.img}
                steps:
                  - wait: "%s"
                  - screen-matches: screens/ready.png
                """.formatted(DemoGuest.READY_LINE));
        String results = dir.resolve("results").toString();
        assertEquals(0, strata.run("test", "--output", results, "--update-screens", shot.toString()),
                strata.err.toString());
        assertTrue(strata.out.toString().contains("PASS shot (") && strata.out.toString().contains(
                "\n  screens/ready.png: written\n"), strata.out.toString());
        assertTrue(Files.isRegularFile(dir.resolve("screens/ready.png")));
        InProcessStrata again = new InProcessStrata();
        assertEquals(0, again.run("test", "--output", results, shot.toString()), again.out.toString());
        assertFalse(again.out.toString().contains("screens/ready.png"), again.out.toString());
    }
}
