package dev.strata.vm.scenario;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.vm.Snapshots;
import dev.strata.emulator.vm.VirtualMachine;
import dev.strata.emulator.vm.VirtualMachines;
import dev.strata.emulator.vm.VmAttachments;
import dev.strata.emulator.vm.VmRunLock;
import dev.strata.emulator.vm.VmState;
import dev.strata.storage.chain.DiskChain;
import dev.strata.storage.chain.FileChains;
import dev.strata.storage.image.DiskImage;
import dev.strata.storage.image.DiskImages;
import dev.strata.storage.image.ImageFormat;
import dev.strata.storage.image.ImageVariant;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Registered VMs as scenario machines, on the echo guest: a run leaves the VM as it was unless it persists; a
 * persisting run writes its disks and takes and restores its snapshots; a VM that runs or is Saved is refused.
 */
class ScenarioVmTest {

    @TempDir
    Path dir;

    private VirtualMachines vms;
    private ScenarioOptions options;

    @BeforeEach
    void vm() throws Exception {
        vms = new VirtualMachines(dir.resolve("home"));
        options = new ScenarioOptions(vms, false);
        Path floppy = EchoGuest.floppy(dir.resolve("echo.img"));
        try (DiskImage c = DiskImages.create(dir.resolve("c.vdi"), ImageFormat.VDI, ImageVariant.STANDARD, 1 << 20)) {
            c.flush();
        }
        VirtualMachine vm = vms.create("echo", 4, null);
        new VmAttachments(vms).attach(vm, "floppy", 0, 0, "fdd", floppy, null);
        new VmAttachments(vms).attach(vm, "ide", 0, 0, "hdd", dir.resolve("c.vdi"), null);
        vm = vms.open("echo");
        vm.settings().bootOrder = "a";
        vm.save();
    }

    private ScenarioResult run(String yaml) throws Exception {
        return ScenarioRunner.run(ScenarioParser.read(Files.writeString(dir.resolve("s.yaml"), yaml)),
                dir.resolve("out"), options);
    }

    @Test
    void aRunOfAVmBootsItsDrivesAndLeavesTheVmAsItWas() throws Exception {
        Path settings = vms.open("echo").settingsFile();
        byte[] vmJson = Files.readAllBytes(settings);
        byte[] disk = Files.readAllBytes(dir.resolve("c.vdi"));
        byte[] floppy = Files.readAllBytes(dir.resolve("echo.img"));
        ScenarioResult r = run("""
                machine: {vm: echo}
                steps:
                  - wait: "ready> "
                  - type: "abq"
                  - expect-exit: halt
                  - serial-contains: "ready> abq"
                """);
        assertTrue(r.passed(), r.summary());
        try (ScenarioMachine m = ScenarioMachine.powerOn(new VmSpec("echo", false), dir.resolve("scratch"), vms)) {
            write(m, "not for the VM");
            assertEquals(null, m.powerCycle());
            assertEquals("not for the VM", read(m, 14), "the write layer outlives the power cycle");
        }
        assertArrayEquals(vmJson, Files.readAllBytes(settings));
        assertArrayEquals(disk, Files.readAllBytes(dir.resolve("c.vdi")));
        assertArrayEquals(floppy, Files.readAllBytes(dir.resolve("echo.img")));
        assertEquals(VmState.POWERED_OFF, vms.open("echo").settings().state);
    }

    @Test
    void aPersistingRunWritesTheVmsDisk() throws Exception {
        try (ScenarioMachine m = ScenarioMachine.powerOn(new VmSpec("echo", true), dir.resolve("scratch"), vms)) {
            assertEquals(VmState.RUNNING, vms.open("echo").settings().state, "recorded running meanwhile");
            write(m, "kept by the VM");
        }
        assertEquals(VmState.POWERED_OFF, vms.open("echo").settings().state);
        try (DiskChain c = FileChains.opener(vms.media()).open(dir.resolve("c.vdi"), true)) {
            byte[] b = new byte[14];
            c.read(512, b, 0, b.length);
            assertEquals("kept by the VM", new String(b, StandardCharsets.US_ASCII));
        }
    }

    @Test
    void aVmThatRunsOrIsSavedIsRefusedNamingIt() throws Exception {
        VirtualMachine vm = vms.open("echo");
        try (VmRunLock lock = vm.lock()) {
            vm.settings().state = VmState.RUNNING;
            vm.save();
            ScenarioResult r = run("machine: {vm: echo}\nsteps: [{wait: x}]\n");
            assertEquals(ScenarioResult.MACHINE, r.failedStep());
            assertTrue(r.summary().startsWith("FAIL s: machine (vm echo): VM 'echo' is Running; a scenario boots a VM"
                    + " that is not running: power it off first (strata vm control echo poweroff)"), r.summary());
        }
        vm.settings().state = VmState.SAVED;
        vm.save();
        ScenarioResult saved = run("machine: {vm: echo, persist: true}\nsteps: [{wait: x}]\n");
        assertTrue(saved.message().startsWith("VM 'echo' is Saved; a scenario boots it afresh"), saved.message());
        assertEquals("there is no VM 'nope' in " + dir.resolve("home") + " (strata vm list shows the VMs;"
                + " STRATA_HOME picks another home)",
                run("machine: {vm: nope}\nsteps: [{wait: x}]\n").message());
    }

    @Test
    void aPersistingRunTakesAnOnlineSnapshotAndRunsOnFromItWhenRestored() throws Exception {
        ScenarioResult r = run("""
                machine: {vm: echo, persist: true}
                steps:
                  - wait: "ready> "
                  - type: "a"
                  - wait: "ready> a"
                  - snapshot: typed-a
                  - type: "b"
                  - wait: "ready> ab"
                  - restore-snapshot: typed-a
                  - type: "c"
                  - wait: "ready> ac"
                """);
        assertTrue(r.passed(), r.summary() + "\n" + r.screen());
        VirtualMachine vm = vms.open("echo");
        assertEquals(VmState.POWERED_OFF, vm.settings().state);
        assertEquals(null, vm.settings().savedState);
        assertTrue(vm.snapshot("typed-a").online);
        assertFalse(r.screen().contains("ab"), "the snapshot from before 'b' was typed:\n" + r.screen());
    }

    @Test
    void aRunThatDoesNotPersistTakesItsOwnSnapshotsAndRestoresTheVmsOntoItsLayer() throws Exception {
        assertTrue(run("""
                machine: {vm: echo, persist: true}
                steps:
                  - wait: "ready> "
                  - type: "a"
                  - wait: "ready> a"
                  - snapshot: typed-a
                """).passed());
        Path settings = vms.open("echo").settingsFile();
        byte[] vmJson = Files.readAllBytes(settings);
        String snapshots = listing(dir.resolve("home"));
        ScenarioResult r = run("""
                machine: {vm: echo}
                steps:
                  - restore-snapshot: typed-a
                  - type: "b"
                  - wait: "ready> ab"
                  - snapshot: mine
                  - type: "c"
                  - wait: "ready> abc"
                  - restore-snapshot: mine
                  - type: "d"
                  - wait: "ready> abd"
                """);
        assertTrue(r.passed(), r.summary() + "\n" + r.screen());
        assertArrayEquals(vmJson, Files.readAllBytes(settings), "the VM as it was");
        assertEquals(snapshots, listing(dir.resolve("home")), "no image made or changed");
        ScenarioResult unknown = run("machine: {vm: echo}\nsteps:\n  - restore-snapshot: nope\n");
        assertEquals(0, unknown.failedStep());
        assertTrue(unknown.message().endsWith("VM 'echo' has no snapshot 'nope'; see `strata snapshot echo list`"),
                unknown.message());
    }

    @Test
    void aFailedPersistingRunKeepsTheTraceOfAReplayThatLeavesTheVmAsTheRunLeftIt() throws Exception {
        new Snapshots(vms).take(vms.open("echo"), "booted-never", "offline", false);
        String steps = """
                steps:
                  - wait: "ready> "
                  - type: "a"
                  - snapshot: typed-a
                  - wait: "ready> a"
                  - restore-snapshot: booted-never
                  - wait: "ready> "
                  - wait: {text: never, timeout: 0.5}
                """;
        ScenarioResult readOnly = run("machine: {vm: echo}\n" + steps);
        assertEquals(6, readOnly.failedStep(), readOnly.summary());
        String readOnlyTrace = Files.readString(dir.resolve("out").resolve(ScenarioRunner.TRACE));
        ScenarioResult persisting = run("machine: {vm: echo, persist: true}\n" + steps);
        assertEquals(6, persisting.failedStep(), persisting.summary());
        String trace = Files.readString(dir.resolve("out").resolve(ScenarioRunner.TRACE));
        assertTrue(trace.startsWith("# end of the run at instruction "), trace.lines().findFirst().orElse(""));
        assertEquals(readOnlyTrace, trace, "the replay takes the path the run took");
        VirtualMachine vm = vms.open("echo");
        assertEquals(2, vm.allSnapshots().size(), "the replay took no snapshot of the VM");
        assertEquals(VmState.POWERED_OFF, vm.settings().state);
        try (var files = Files.list(dir.resolve("out"))) {
            assertEquals(java.util.List.of("failed.sav", "screen.txt", "serial.log", "trace.txt"),
                    files.map(f -> f.getFileName().toString()).sorted().toList(), "no copies left behind");
        }
    }

    /** Every file under {@code folder} with its size and last change. */
    private static String listing(Path folder) throws Exception {
        try (var walk = Files.walk(folder)) {
            StringBuilder b = new StringBuilder();
            for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
                b.append(p).append(' ').append(Files.size(p)).append(' ').append(Files.getLastModifiedTime(p))
                        .append('\n');
            }
            return b.toString();
        }
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
