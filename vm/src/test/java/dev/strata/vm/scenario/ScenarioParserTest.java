package dev.strata.vm.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scenario files: what they may say, and mistakes refused with the file, the place in it and what is allowed. */
class ScenarioParserTest {

    @TempDir
    Path dir;

    private Path write(String yaml) throws Exception {
        Files.write(dir.resolve("disk.img"), new byte[512]);
        return Files.writeString(dir.resolve("s.yaml"), yaml);
    }

    private String refused(String yaml) throws Exception {
        Path file = write(yaml);
        ScenarioException e = assertThrows(ScenarioException.class, () -> ScenarioParser.read(file));
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        return e.getMessage().substring(file.toString().length() + 2);
    }

    @Test
    void everyStepReadsWithItsArgumentsAndTheDefaultsFillTheRest() throws Exception {
        Scenario s = ScenarioParser.read(write("""
                machine: {hda: disk.img}
                timeout: 5
                steps:
                  - wait: "C:\\\\>"
                  - wait: {text: ok, timeout: 0.25}
                  - type: "dir\\r"
                  - screen-contains: bytes
                  - serial-contains: boot
                  - sleep: 2
                  - save-state: here.sav
                  - file-contains: {disk: hda, path: 'DOS\\NOTE.TXT', text: hello}
                  - host: {command: "true", timeout: 3}
                  - host: ls
                  - expect-exit: {exit: reset, timeout: 9}
                """));
        assertEquals("s", s.name());
        assertEquals(dir.resolve("disk.img"), s.machine().hardDisks()[0]);
        assertEquals("c", s.machine().bootOrder());
        assertEquals(32, s.machine().memoryMb());
        assertEquals(List.of(new Step.Wait("C:\\>", 5_000_000_000L), new Step.Wait("ok", 250_000_000L),
                new Step.Type("dir\r"), new Step.ScreenContains("bytes"), new Step.SerialContains("boot"),
                new Step.Sleep(2_000_000_000L), new Step.SaveState(Path.of("here.sav")),
                new Step.FileContains("hda", "DOS\\NOTE.TXT", "hello"), new Step.Host("true", dir, 3000),
                new Step.Host("ls", dir, 60_000), new Step.ExpectExit(Step.Exit.RESET, 9_000_000_000L)), s.steps());
    }

    @Test
    void anUnknownStepListsTheStepsThereAre() throws Exception {
        assertEquals("steps[1]: unknown step 'wiat'; the steps are wait, type, screen-contains, serial-contains,"
                + " sleep, save-state, file-contains, host, expect-exit, power-off",
                refused("machine: {hda: disk.img}\nsteps:\n  - type: x\n  - wiat: y\n"));
    }

    @Test
    void aFileCheckNamesADiskThereIsAndEveryPart() throws Exception {
        assertEquals("steps[0].file-contains.disk: 'c' is not a disk: fda, fdb, hda, hdb, hdc, hdd",
                refused("machine: {hda: disk.img}\nsteps:\n  - file-contains: {disk: c, path: X, text: y}\n"));
        assertEquals("steps[0].file-contains: missing text: {disk: hda, path: 'DOS\\NOTE.TXT', text: hello}",
                refused("machine: {hda: disk.img}\nsteps:\n  - file-contains: {disk: hda, path: X}\n"));
    }

    @Test
    void aBadTimeoutIsNamedWithItsPlace() throws Exception {
        assertEquals("steps[0].wait.timeout: 'soon' is not a number of seconds from 0 to 86400",
                refused("machine: {hda: disk.img}\nsteps:\n  - wait: {text: x, timeout: soon}\n"));
    }

    @Test
    void aMissingImageIsNamedWithTheFullPath() throws Exception {
        assertEquals("machine.fda: no such image file " + dir.resolve("nope.img"),
                refused("machine: {fda: nope.img}\nsteps: [power-off]\n"));
    }

    @Test
    void anUnknownKeySaysWhatTheMappingTakes() throws Exception {
        assertEquals("machine.ram: unknown key; machine takes boot, cdrom, fda, fdb, hda, hdb, hdc, hdd, memory",
                refused("machine: {hda: disk.img, ram: 4}\nsteps: [power-off]\n"));
    }

    @Test
    void brokenYamlNamesTheLine() throws Exception {
        assertTrue(refused("machine: {hda: disk.img\nsteps: [\n").startsWith("line "));
    }

    @Test
    void aScenarioWithoutStepsOrMachineIsRefused() throws Exception {
        assertTrue(refused("machine: {hda: disk.img}\n").startsWith("steps: missing or empty"));
        assertTrue(refused("steps: [power-off]\n").startsWith("machine: missing"));
        assertTrue(refused("machine: {memory: 4}\nsteps: [power-off]\n").startsWith("machine: no drive to boot"));
    }
}
