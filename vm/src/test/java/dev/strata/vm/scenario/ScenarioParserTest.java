package dev.strata.vm.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.device.keyboard.Key;
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
        assertTrue(e.getMessage().startsWith(file + ":"), e.getMessage());
        return e.getMessage().substring(file.toString().length() + 1);
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
        MachineSpec m = (MachineSpec) s.machine();
        assertEquals(dir.resolve("disk.img"), m.hardDisks()[0]);
        assertEquals("c", m.bootOrder());
        assertEquals(32, m.memoryMb());
        assertEquals(List.of(new Step.Wait("C:\\>", 5_000_000_000L), new Step.Wait("ok", 250_000_000L),
                new Step.Type("dir\r"), new Step.ScreenContains("bytes"), new Step.SerialContains("boot"),
                new Step.Sleep(2_000_000_000L), new Step.SaveState(Path.of("here.sav")),
                new Step.FileContains("hda", "DOS\\NOTE.TXT", "hello"), new Step.Host("true", dir, 3000),
                new Step.Host("ls", dir, 60_000), new Step.ExpectExit(Step.Exit.RESET, 9_000_000_000L)), s.steps());
    }

    @Test
    void anUnknownStepListsTheStepsThereAre() throws Exception {
        assertEquals("4: steps[1]: unknown step 'wiat'; the steps are wait, type, keys, screen-contains,"
                + " serial-contains, sleep, save-state, file-contains, host, expect-exit, power-off, screen-matches, power-cycle, reset,"
                + " restore-state, snapshot, restore-snapshot",
                refused("machine: {hda: disk.img}\nsteps:\n  - type: x\n  - wiat: y\n"));
    }

    @Test
    void keysAreChordsInAStringOrAListAndAnUnknownOneIsNamedWithItsPlace() throws Exception {
        Scenario s = ScenarioParser.read(write("""
                machine: {hda: disk.img}
                steps:
                  - keys: ctrl+alt+delete
                  - keys: [f8, down down, shift+tab]
                """));
        assertEquals(List.of(new Step.Keys(List.of(List.of(Key.LEFT_CTRL, Key.LEFT_ALT, Key.DELETE))),
                new Step.Keys(List.of(List.of(Key.F8), List.of(Key.DOWN), List.of(Key.DOWN),
                        List.of(Key.LEFT_SHIFT, Key.TAB)))), s.steps());
        assertEquals("keys f8 down down left-shift+tab", s.steps().get(1).describe());
        String refused = refused("machine: {hda: disk.img}\nsteps:\n  - keys: [f8, ctl+c]\n");
        assertTrue(refused.startsWith("3: steps[0].keys[1]: unknown key 'ctl': give a key such as"), refused);
        assertEquals("3: steps[0].keys: must not be empty",
                refused("machine: {hda: disk.img}\nsteps:\n  - keys: ''\n"));
    }

    @Test
    void aScreenTextCheckMayNameARegionInCells() throws Exception {
        Scenario s = ScenarioParser.read(write("""
                machine: {hda: disk.img}
                steps:
                  - screen-contains: {text: 'A:\\>', region: [0, 24, 80, 1]}
                  - screen-contains: {text: 'bytes'}
                """));
        assertEquals(List.of(new Step.ScreenContains("A:\\>", new Step.TextRegion(0, 24, 80, 1)),
                new Step.ScreenContains("bytes")), s.steps());
        assertEquals("3: steps[0].screen-contains.region: a region is [column, row, width, height] in character"
                + " cells, e.g. [0, 24, 80, 1]",
                refused("machine: {hda: disk.img}\nsteps:\n  - screen-contains: {text: x, region: [0, 1]}\n"));
        assertEquals("3: steps[0].screen-contains.region: a region of width or height 0 holds no text",
                refused("machine: {hda: disk.img}\nsteps:\n  - screen-contains: {text: x, region: [0, 1, 0, 1]}\n"));
        assertEquals("3: steps[0].screen-contains: missing text: {text: 'A:\\>', region: [0, 24, 80, 1]}",
                refused("machine: {hda: disk.img}\nsteps:\n  - screen-contains: {region: [0, 1, 2, 1]}\n"));
    }

    @Test
    void aFileCheckNamesADiskThereIsAndEveryPart() throws Exception {
        assertEquals("3: steps[0].file-contains.disk: 'c' is not a disk: fda, fdb, hda, hdb, hdc, hdd",
                refused("machine: {hda: disk.img}\nsteps:\n  - file-contains: {disk: c, path: X, text: y}\n"));
        assertEquals("3: steps[0].file-contains: missing text: {disk: hda, path: 'DOS\\NOTE.TXT', text: hello}",
                refused("machine: {hda: disk.img}\nsteps:\n  - file-contains: {disk: hda, path: X}\n"));
    }

    @Test
    void aBadTimeoutIsNamedWithItsPlace() throws Exception {
        assertEquals("3: steps[0].wait.timeout: 'soon' is not a number of seconds from 0 to 86400",
                refused("machine: {hda: disk.img}\nsteps:\n  - wait: {text: x, timeout: soon}\n"));
    }

    @Test
    void aMissingImageIsNamedWithTheFullPath() throws Exception {
        assertEquals("1: machine.fda: no such image file " + dir.resolve("nope.img"),
                refused("machine: {fda: nope.img}\nsteps: [power-off]\n"));
    }

    @Test
    void anUnknownKeySaysWhatTheMappingTakes() throws Exception {
        assertEquals("1: machine.ram: unknown key; machine takes boot, cdrom, fda, fdb, hda, hdb, hdc, hdd, memory,"
                + " persist, vm",
                refused("machine: {hda: disk.img, ram: 4}\nsteps: [power-off]\n"));
    }

    @Test
    void brokenYamlNamesTheLine() throws Exception {
        assertTrue(refused("machine: {hda: disk.img\nsteps: [\n").startsWith(" line "));
    }

    @Test
    void aScenarioWithoutStepsOrMachineIsRefused() throws Exception {
        assertTrue(refused("machine: {hda: disk.img}\n").startsWith(" steps: missing or empty"));
        assertTrue(refused("steps: [power-off]\n").startsWith(" machine: missing"));
        assertTrue(refused("machine: {memory: 4}\nsteps: [power-off]\n").startsWith("1: machine: no drive to boot"));
    }

    @Test
    void theStepsThatCycleRestoreAndCompareScreensRead() throws Exception {
        Scenario s = ScenarioParser.read(write("""
                machine: {hda: disk.img}
                timeout: 5
                steps:
                  - screen-matches: shots/prompt.png
                  - screen-matches: {png: b.png, tolerance: 8, max-differing-pixels: 20, mask: [[0, 0, 80, 16]],
                                     timeout: 2}
                  - save-state: here.sav
                  - power-cycle
                  - reset
                  - reset:
                  - restore-state: here.sav
                """));
        assertEquals(List.of(new Step.ScreenMatches(dir.resolve("shots/prompt.png"), 0, 0, List.of(), 5_000_000_000L),
                new Step.ScreenMatches(dir.resolve("b.png"), 8, 20,
                        List.of(new dev.strata.emulator.display.FrameDiff.Rect(0, 0, 80, 16)), 2_000_000_000L),
                new Step.SaveState(Path.of("here.sav")), new Step.PowerCycle(), new Step.Reset(), new Step.Reset(),
                new Step.RestoreState(Path.of("here.sav"))), s.steps());
    }

    @Test
    void aVmMachineReadsWithItsSnapshotStepsWhenItPersists() throws Exception {
        Scenario s = ScenarioParser.read(write("""
                machine: {vm: dos, persist: true}
                steps:
                  - snapshot: before
                  - restore-snapshot: before
                """));
        assertEquals(new VmSpec("dos", true), s.machine());
        assertEquals(List.of(new Step.Snapshot("before"), new Step.RestoreSnapshot("before")), s.steps());
        assertEquals(new VmSpec("dos", false), ScenarioParser.read(write("machine: {vm: dos}\nsteps: [reset]\n"))
                .machine());
    }

    @Test
    void aBadScreenCompareIsNamedWithItsLineAndField() throws Exception {
        assertEquals("4: steps[1].screen-matches.tolerance: '300' is not a colour difference per channel: a whole"
                + " number from 0 to 255", refused("""
                machine: {hda: disk.img}
                steps:
                  - wait: x
                  - screen-matches: {png: a.png, tolerance: 300}
                """));
        assertEquals("5: steps[0].screen-matches.mask[1]: a rectangle is [x, y, width, height] in pixels, e.g."
                + " [0, 0, 80, 16]", refused("""
                machine: {hda: disk.img}
                steps:
                  - screen-matches:
                      png: a.png
                      mask: [[0, 0, 8, 8], [1, 2]]
                """));
        assertEquals("3: steps[0].screen-matches: 'a.bmp' is not a .png file; the expected screen is a PNG picture",
                refused("machine: {hda: disk.img}\nsteps:\n  - screen-matches: a.bmp\n"));
        assertEquals("3: steps[0].screen-matches: name the picture: {png: prompt.png, tolerance: 8,"
                + " max-differing-pixels: 20, mask: [[0, 0, 80, 16]], timeout: 10}",
                refused("machine: {hda: disk.img}\nsteps:\n  - screen-matches: {tolerance: 3}\n"));
    }

    @Test
    void aRestoreNeedsAStateSavedBeforeItInTheRun() throws Exception {
        assertEquals("4: steps[1].restore-state: no save-state: b.sav comes before it; a run restores only states it"
                + " saved itself (its disks are kept with them)", refused("""
                machine: {hda: disk.img}
                steps:
                  - save-state: a.sav
                  - restore-state: b.sav
                """));
        assertEquals("3: steps[0].power-cycle: power-cycle takes nothing: write '- power-cycle'",
                refused("machine: {hda: disk.img}\nsteps:\n  - power-cycle: now\n"));
    }

    @Test
    void aRunOnImagesRestoresOnlySnapshotsItTookItselfAndAVmRunAlsoTheVms() throws Exception {
        assertEquals("4: steps[1].restore-snapshot: no snapshot: a comes before it; a run on images restores only"
                + " snapshots it took itself", refused("machine: {hda: disk.img}\nsteps:\n  - snapshot: b\n"
                + "  - restore-snapshot: a\n"));
        Scenario images = ScenarioParser.read(write("machine: {hda: disk.img}\nsteps:\n  - snapshot: a\n"
                + "  - restore-snapshot: a\n"));
        assertEquals(new Step.RestoreSnapshot("a"), images.steps().get(1));
        Scenario vm = ScenarioParser.read(write("machine: {vm: dos}\nsteps:\n  - restore-snapshot: the-vms\n"));
        assertEquals(new Step.RestoreSnapshot("the-vms"), vm.steps().get(0));
    }

    @Test
    void aPersistingRunCannotRestoreAStateAndSaysWhereAndWhatToDoInstead() throws Exception {
        assertEquals("5: steps[2].restore-state: this run writes the disks of VM 'dos' in place, and a state file"
                + " cannot take them back: take a snapshot (snapshot: NAME) and restore-snapshot it instead",
                refused("machine: {vm: dos, persist: true}\nsteps:\n  - save-state: a.sav\n  - reset\n"
                        + "  - restore-state: a.sav\n"));
    }

    @Test
    void aVmMachineTakesNoDrivesAndOnlyAVmPersists() throws Exception {
        assertEquals("3: machine.memory: a VM brings its own drives, memory and boot order: change them with strata"
                + " vm, or boot images instead of the VM", refused("machine:\n  vm: dos\n  memory: 4\nsteps: [reset]\n"));
        assertTrue(refused("machine: {hda: disk.img, persist: true}\nsteps: [reset]\n")
                .startsWith("1: machine.persist: only a VM's run persists"));
        assertEquals("1: machine.persist: 'yes please' is not true or false",
                refused("machine: {vm: dos, persist: yes please}\nsteps: [reset]\n"));
    }
}
