package dev.strata.tools.medium;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.vm.Attachment;
import dev.strata.emulator.vm.PreparedDisks;
import dev.strata.emulator.vm.VirtualMachine;
import dev.strata.emulator.vm.VirtualMachines;
import dev.strata.emulator.vm.VmDisks;
import dev.strata.emulator.vm.VmRunLock;
import dev.strata.emulator.vm.VmState;
import dev.strata.storage.media.MediaRegistry;
import dev.strata.storage.media.Medium;
import dev.strata.storage.media.StrataHome;
import dev.strata.tools.StrataCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The media rules towards VMs: the diffs VMs make are registered media, and a disk a VM needs as it is (frozen by
 * a snapshot, attached, Saved, running) is neither written nor deleted by {@code strata medium}.
 */
class MediumVmRulesTest {
    @TempDir
    Path home;

    record Run(int exit, String out, String err) {
    }

    @BeforeEach
    void pointHomeAtTemp() {
        System.setProperty(StrataHome.PROPERTY, home.toString());
    }

    @AfterEach
    void restore() {
        System.clearProperty(StrataHome.PROPERTY);
    }

    Run run(String... args) {
        CommandLine cl = StrataCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    Run ok(String... args) {
        Run r = run(args);
        assertEquals(0, r.exit, "strata " + String.join(" ", args) + "\nout: " + r.out + "\nerr: " + r.err);
        return r;
    }

    Run fails(String... args) {
        Run r = run(args);
        assertEquals(1, r.exit, "strata " + String.join(" ", args) + " should fail\nout: " + r.out + "\nerr: " + r.err);
        assertFalse(r.err.contains("\tat "), "no stack trace: " + r.err);
        return r;
    }

    String c() {
        return home.resolve("c.vdi").toString();
    }

    String input() throws Exception {
        return Files.write(home.resolve("in-" + System.nanoTime()), "changed".getBytes(StandardCharsets.US_ASCII))
                .toString();
    }

    /** VM {@code name} with c.vdi (of type {@code mtype}) as its first hard disk. */
    void vmWithDisk(String name, String mtype) {
        if (!Files.exists(Path.of(c()))) {
            ok("medium", "create", "--filename", c(), "--size", "1");
        }
        ok("vm", "create", name, "--memory", "4");
        ok("vm", "attach", name, "--controller", "ide", "--port", "0", "--device", "0", "--type", "hdd", "--medium",
                c(), "--mtype", mtype);
    }

    VirtualMachine vm(String name) throws Exception {
        return new VirtualMachines(home).open(name);
    }

    @Test
    void aSnapshotFreezesTheBaseAgainstWritesAndItsDiffIsARegisteredChild() throws Exception {
        vmWithDisk("v", "normal");
        ok("snapshot", "v", "take", "S");
        byte[] before = Files.readAllBytes(Path.of(c()));
        Run r = fails("medium", "write", c(), "--offset", "0", "--input", input());
        assertTrue(r.err.contains("c.vdi") && r.err.contains("snapshot 'S'") && r.err.contains("VM 'v'"), r.err);
        assertArrayEquals(before, Files.readAllBytes(Path.of(c())));

        MediaRegistry reg = MediaRegistry.load(home);
        Medium base = reg.findByPath(Path.of(c())).orElseThrow();
        Attachment disk = vm("v").settings().attachments.get(0);
        Medium diff = reg.findByPath(Path.of(disk.current)).orElseThrow();
        assertEquals(base.uuid(), diff.parentUuid());
        assertTrue(ok("medium", "tree").out.contains(disk.current));
    }

    @Test
    void closeDeleteOfAnAttachedDiskIsRefusedNamingTheVm() throws Exception {
        vmWithDisk("v", "normal");
        Run r = fails("medium", "close", c(), "--delete");
        assertTrue(r.err.contains("c.vdi") && r.err.contains("VM 'v'"), r.err);
        assertTrue(Files.exists(Path.of(c())));
        fails("medium", "close", c());
        ok("snapshot", "v", "take", "S");
        r = fails("medium", "close", c(), "--delete");
        assertTrue(r.err.contains("VM 'v'"), r.err);
        String diff = vm("v").settings().attachments.get(0).current;
        r = fails("medium", "close", diff, "--delete");
        assertTrue(r.err.contains("VM 'v'"), r.err);
        assertTrue(Files.exists(Path.of(c())) && Files.exists(Path.of(diff)));
    }

    @Test
    void aSavedVmsDisksAreNeitherWrittenNorDeleted() throws Exception {
        vmWithDisk("v", "writethrough");
        VirtualMachine vm = vm("v");
        vm.settings().state = VmState.SAVED;
        vm.settings().savedState = Files.write(vm.folder().resolve("saved.state"), new byte[16]).toString();
        vm.save();
        byte[] before = Files.readAllBytes(Path.of(c()));
        Run r = fails("medium", "write", c(), "--offset", "0", "--input", input());
        assertTrue(r.err.contains("c.vdi") && r.err.contains("VM 'v'") && r.err.contains("Saved")
                && r.err.contains("--discard-state"), r.err);
        r = fails("medium", "close", c(), "--delete");
        assertTrue(r.err.contains("VM 'v'"), r.err);
        assertArrayEquals(before, Files.readAllBytes(Path.of(c())));
    }

    @Test
    void theCurrentDiffOfASavedVmIsProtectedToo() throws Exception {
        vmWithDisk("v", "normal");
        ok("snapshot", "v", "take", "S");
        VirtualMachine vm = vm("v");
        String diff = vm.settings().attachments.get(0).current;
        vm.settings().state = VmState.SAVED;
        vm.settings().savedState = Files.write(vm.folder().resolve("saved.state"), new byte[16]).toString();
        vm.save();
        Run r = fails("medium", "write", diff, "--offset", "0", "--input", input());
        assertTrue(r.err.contains("Saved") && r.err.contains("VM 'v'"), r.err);
    }

    @Test
    void writingAnImmutableBaseUnderAPerVmDiffIsRefused() throws Exception {
        vmWithDisk("v", "immutable");
        try (PreparedDisks disks = VmDisks.prepare(vm("v"), MediaRegistry.load(home), false)) {
            assertEquals(1, disks.drives().size());
        }
        byte[] before = Files.readAllBytes(Path.of(c()));
        Run r = fails("medium", "write", c(), "--offset", "0", "--input", input());
        assertTrue(r.err.contains("immutable"), r.err);
        assertArrayEquals(before, Files.readAllBytes(Path.of(c())));
        Attachment disk = vm("v").settings().attachments.get(0);
        assertEquals(MediaRegistry.load(home).findByPath(Path.of(c())).orElseThrow().uuid(),
                MediaRegistry.load(home).findByPath(Path.of(disk.current)).orElseThrow().parentUuid(),
                "the per-VM diff is a registered child of the immutable medium");
    }

    @Test
    void modifyTypeAndCloseAreRefusedWhileAVmRunsTheDisk() throws Exception {
        vmWithDisk("v", "normal");
        VirtualMachine vm = vm("v");
        try (VmRunLock lock = VmRunLock.acquire(vm.folder(), "v")) {
            vm.settings().state = VmState.RUNNING;
            vm.save();
            Run r = fails("medium", "modify", c(), "--type", "writethrough");
            assertTrue(r.err.contains("c.vdi") && r.err.contains("VM 'v'") && r.err.contains("running"), r.err);
            r = fails("medium", "close", c());
            assertTrue(r.err.contains("VM 'v'"), r.err);
            r = fails("medium", "write", c(), "--offset", "0", "--input", input());
            assertTrue(r.err.contains("VM 'v'") && r.err.contains("running"), r.err);
        }
        assertEquals("normal", MediaRegistry.load(home).findByPath(Path.of(c())).orElseThrow().type().cliName());
    }

    @Test
    void resizeAndCompactAreRefusedWhileAVmRunsTheDiskAndResizeWhileASnapshotFreezesIt() throws Exception {
        vmWithDisk("v", "normal");
        VirtualMachine vm = vm("v");
        byte[] before = Files.readAllBytes(Path.of(c()));
        try (VmRunLock lock = VmRunLock.acquire(vm.folder(), "v")) {
            vm.settings().state = VmState.RUNNING;
            vm.save();
            Run r = fails("medium", "resize", c(), "--size", "2");
            assertTrue(r.err.contains("c.vdi") && r.err.contains("VM 'v'") && r.err.contains("running")
                    && r.err.contains("cannot be resized"), r.err);
            r = fails("medium", "compact", c());
            assertTrue(r.err.contains("VM 'v'") && r.err.contains("cannot be compacted"), r.err);
        }
        assertArrayEquals(before, Files.readAllBytes(Path.of(c())));
        vm.settings().state = VmState.POWERED_OFF;
        vm.save();
        // a powered-off VM's disk may grow, as in VirtualBox
        ok("medium", "resize", c(), "--size", "2");
        assertEquals(2 << 20, MediaRegistry.load(home).findByPath(Path.of(c())).orElseThrow().logicalSize());
        ok("snapshot", "v", "take", "S");
        Run r = fails("medium", "resize", c(), "--size", "3");
        assertTrue(r.err.contains("c.vdi") && r.err.contains("snapshot 'S'"), r.err);
        String diff = vm("v").settings().attachments.get(0).current;
        r = fails("medium", "resize", diff, "--size", "3");
        assertTrue(r.err.contains("is a differencing image") && r.err.contains("strata medium merge"), r.err);
    }

    @Test
    void restoringAndDeletingSnapshotsKeepsTheRegistryInStepWithTheFiles() throws Exception {
        vmWithDisk("v", "normal");
        ok("snapshot", "v", "take", "one");
        ok("snapshot", "v", "take", "two");
        assertEquals(3, MediaRegistry.load(home).all().size(), "c.vdi and the two diffs over it");
        ok("snapshot", "v", "restore", "one");
        assertEquals(3, MediaRegistry.load(home).all().size(), "the discarded diff is forgotten, its successor known");
        ok("snapshot", "v", "delete", "two");
        ok("snapshot", "v", "delete", "one");
        MediaRegistry reg = MediaRegistry.load(home);
        assertEquals(java.util.List.of(), reg.validate(), "no registered file is missing");
        for (Medium m : reg.all()) {
            assertTrue(Files.exists(m.path()), m.path().toString());
        }
        try (var files = Files.list(vm("v").snapshotsFolder())) {
            for (Path p : files.filter(p -> p.toString().endsWith(".vdi")).toList()) {
                assertTrue(reg.findByPath(p).isPresent(), "every diff is registered: " + p);
            }
        }
        ok("vm", "delete", "v");
        assertEquals(1, MediaRegistry.load(home).all().size(), "deleting the VM forgets its diffs");
    }
}
