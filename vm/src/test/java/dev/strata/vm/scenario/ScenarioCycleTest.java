package dev.strata.vm.scenario;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Power cycles, resets and restored states inside a run, on the echo guest: the guest boots again, what it wrote to
 * its disks survives a power cycle and goes back with a restored state, and the images named are only read.
 */
class ScenarioCycleTest {

    @TempDir
    Path dir;

    @BeforeEach
    void guest() throws Exception {
        EchoGuest.floppy(dir.resolve("echo.img"));
        Files.write(dir.resolve("blank.img"), new byte[1 << 20]);
    }

    private ScenarioResult run(String yaml) throws Exception {
        Scenario s = ScenarioParser.read(Files.writeString(dir.resolve("s.yaml"), yaml));
        return ScenarioRunner.run(s, dir.resolve("out"));
    }

    @Test
    void aPowerCycleBootsTheGuestAgainAndTheRunStaysDeterministic() throws Exception {
        String yaml = """
                machine: {fda: echo.img, hda: blank.img, memory: 4}
                steps:
                  - wait: "ready> "
                  - type: "a"
                  - wait: "ready> a"
                  - power-cycle
                  - wait: "ready> "
                  - type: "bq"
                  - expect-exit: halt
                  - serial-contains: "ready> aready> bq"
                """;
        ScenarioResult first = run(yaml);
        assertTrue(first.passed(), first.summary());
        assertTrue(!first.screen().contains("ready> a"), "the screen starts afresh:\n" + first.screen());
        ScenarioResult second = run(yaml);
        assertEquals(first.instructions(), second.instructions());
        assertEquals(first.virtualNanos(), second.virtualNanos());
        assertEquals(first.serial(), second.serial());
    }

    @Test
    void aResetStartsTheBiosAgain() throws Exception {
        ScenarioResult r = run("""
                machine: {fda: echo.img}
                steps:
                  - wait: "ready> "
                  - reset
                  - wait: "ready> "
                  - sleep: 1
                  - serial-contains: "ready> ready> "
                """);
        assertTrue(r.passed(), r.summary());
    }

    @Test
    void aRestoredStateResumesWhereItWasSaved() throws Exception {
        ScenarioResult r = run("""
                machine: {fda: echo.img}
                steps:
                  - wait: "ready> "
                  - save-state: prompt.sav
                  - type: "ab"
                  - wait: "ready> ab"
                  - restore-state: prompt.sav
                  - type: "c"
                  - wait: "ready> c"
                """);
        assertTrue(r.passed(), r.summary() + "\n" + r.screen() + "\nserial: " + r.serial());
        assertFalse(r.screen().contains("ab"), "the screen as it was at the save, then c:\n" + r.screen());
        assertTrue(Files.exists(dir.resolve("out/prompt.sav")));
    }

    @Test
    void aWriteSurvivesAPowerCycleAndGoesBackWithARestoredStateButNeverReachesTheImage() throws Exception {
        byte[] before = Files.readAllBytes(dir.resolve("blank.img"));
        MachineSpec spec = new MachineSpec(new Path[] {dir.resolve("echo.img")}, new Path[] {dir.resolve("blank.img")},
                null, 4, "a");
        try (ScenarioMachine m = ScenarioMachine.powerOn(spec, dir.resolve("scratch"))) {
            assertEquals(null, m.waitFor("ready> ", 5_000_000_000L));
            m.saveState(dir.resolve("clean.sav"));
            write(m, "written by the guest");
            m.powerCycle();
            assertEquals("written by the guest", read(m, 20), "the run's write layer outlives the power cycle");
            m.restoreState(dir.resolve("clean.sav"));
            assertEquals(0, read(m, 20).chars().filter(c -> c != 0).count(), "the disk as it was at the save");
            m.type("z");
            assertEquals(null, m.waitFor("ready> z", 1_000_000_000L), "the guest resumed at its prompt");
        }
        assertArrayEquals(before, Files.readAllBytes(dir.resolve("blank.img")));
    }

    @Test
    void aSnapshotOfTheRunBringsBackTheMachineAndItsDisksAndTheRunStaysDeterministic() throws Exception {
        String yaml = """
                machine: {fda: echo.img, hda: blank.img, memory: 4}
                steps:
                  - wait: "ready> "
                  - snapshot: at-prompt
                  - type: "ab"
                  - wait: "ready> ab"
                  - restore-snapshot: at-prompt
                  - type: "c"
                  - wait: "ready> c"
                  - snapshot: at-prompt
                  - type: "d"
                  - wait: "ready> cd"
                  - restore-snapshot: at-prompt
                  - type: "q"
                  - expect-exit: halt
                """;
        ScenarioResult first = run(yaml);
        assertTrue(first.passed(), first.summary() + "\n" + first.screen());
        assertFalse(first.screen().contains("ab") || first.screen().contains("cd"), "each restore went back to the"
                + " snapshot, the second one to the name taken again:\n" + first.screen());
        assertTrue(first.screen().contains("ready> cq"), first.screen());
        ScenarioResult second = run(yaml);
        assertEquals(first.instructions(), second.instructions());
        assertEquals(first.serial(), second.serial());
    }

    @Test
    void aSnapshotKeepsWhatTheDisksHeldAndARestoreOfAnUnknownNameLeavesTheMachineRunning() throws Exception {
        byte[] before = Files.readAllBytes(dir.resolve("blank.img"));
        byte[] floppy = Files.readAllBytes(dir.resolve("echo.img"));
        MachineSpec spec = new MachineSpec(new Path[] {dir.resolve("echo.img")}, new Path[] {dir.resolve("blank.img")},
                null, 4, "a");
        try (ScenarioMachine m = ScenarioMachine.powerOn(spec, dir.resolve("scratch"))) {
            assertEquals(null, m.waitFor("ready> ", 5_000_000_000L));
            write(m, "first");
            m.snapshot("one");
            write(m, "second");
            m.machine().floppy(0).write(1024, new byte[] {1, 2, 3}, 0, 3);
            m.restoreSnapshot("one");
            assertEquals("first", read(m, 5), "the disk as it was at the snapshot");
            byte[] b = new byte[3];
            m.machine().floppy(0).read(1024, b, 0, 3);
            assertArrayEquals(new byte[3], b, "the floppy too");
            java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                    () -> m.restoreSnapshot("two"));
            assertEquals("no snapshot 'two' was taken earlier in this run", e.getMessage());
            m.type("z");
            assertEquals(null, m.waitFor("ready> z", 1_000_000_000L), "the guest resumed at its prompt");
        }
        assertArrayEquals(before, Files.readAllBytes(dir.resolve("blank.img")));
        assertArrayEquals(floppy, Files.readAllBytes(dir.resolve("echo.img")));
    }

    private static void write(ScenarioMachine m, String text) throws Exception {
        byte[] b = text.getBytes(StandardCharsets.US_ASCII);
        m.machine().hardDisk(0).write(512, b, 0, b.length);
    }

    private static String read(ScenarioMachine m, int length) throws Exception {
        byte[] b = new byte[length];
        m.machine().hardDisk(0).read(512, b, 0, length);
        return new String(b, StandardCharsets.US_ASCII);
    }
}
