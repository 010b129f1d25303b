package dev.strata.emulator.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.storage.image.ImageVariant;
import dev.strata.storage.media.MediaRegistry;
import dev.strata.storage.media.Medium;
import dev.strata.storage.media.MediumType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The diffs VMs make are registered media, in step with the VM settings after every snapshot operation, after a
 * power-on that resets an immutable diff, for VMs made before Strata registered them, and after a kill at any
 * of the points where files and settings change.
 */
class VmDiffRegistrationTest {
    @TempDir
    Path dir;

    private VmFixture fixture(String name) throws Exception {
        return new VmFixture(Files.createDirectories(dir.resolve(name)));
    }

    /** Fails unless every diff the settings name is registered with its file's parent, and nothing is missing. */
    static void assertInStep(VmFixture fx, VirtualMachine vm) throws Exception {
        MediaRegistry reg = fx.vms.media();
        assertEquals(List.of(), reg.validate(), "the registry has no problems");
        List<Attachment> all = new ArrayList<>(vm.settings().attachments);
        vm.allSnapshots().forEach(n -> all.addAll(n.attachments));
        for (Attachment a : all) {
            if (a.current != null) {
                Medium m = reg.findByPath(Path.of(a.current)).orElseThrow(() -> new AssertionError("not registered: "
                        + a.current));
                assertEquals(VmMedia.ids(Path.of(a.current))[1], m.parentUuid(), "parent of " + a.current);
            }
        }
        try (Stream<Path> files = Files.list(vm.snapshotsFolder())) {
            for (Path p : files.filter(p -> p.toString().endsWith(".vdi")).toList()) {
                boolean named = all.stream().anyMatch(a -> p.toString().equals(a.current));
                assertEquals(named, reg.findByPath(p).isPresent(), "registered exactly when named: " + p);
            }
        }
    }

    @Test
    void everySnapshotOperationLeavesTheRegistryInStep() throws Exception {
        VmFixture fx = fixture("home");
        Path c = fx.disk("c.vdi", ImageVariant.STANDARD);
        VirtualMachine vm = fx.vmWithDisk("v", c, null);
        Snapshots snaps = new Snapshots(fx.vms);
        snaps.take(vm, "one", null, false);
        assertInStep(fx, vm);
        Medium base = fx.vms.media().findByPath(c).orElseThrow();
        assertEquals(1, fx.vms.media().children(base.uuid()).size(), "the snapshot's diff is c.vdi's child");
        snaps.take(vm, "two", null, false);
        assertInStep(fx, vm);
        snaps.restore(vm, vm.snapshot("one"));
        assertInStep(fx, vm);
        snaps.delete(vm, vm.snapshot("two"), (d, t) -> { });
        assertInStep(fx, vm);
        snaps.delete(vm, vm.snapshot("one"), (d, t) -> { });
        assertInStep(fx, vm);
        fx.vms.delete("v");
        assertEquals(List.of(c.toRealPath()), fx.vms.media().all().stream().map(Medium::path).toList());
    }

    @Test
    void anImmutableDiffIsRegisteredAndReplacedAtPowerOn() throws Exception {
        VmFixture fx = fixture("home");
        Path c = fx.disk("gold.vdi", ImageVariant.STANDARD);
        VirtualMachine vm = fx.vmWithDisk("v", c, MediumType.IMMUTABLE);
        fx.guestWrites(vm, 0, 7);
        String first = vm.settings().attachments.get(0).current;
        assertInStep(fx, vm);
        fx.guestWrites(vm, 0, 8); // power-on resets: a new diff, the old one gone from disk and registry
        assertTrue(!first.equals(vm.settings().attachments.get(0).current));
        assertInStep(fx, vm);
        UUID gold = fx.vms.media().findByPath(c).orElseThrow().uuid();
        assertEquals(1, fx.vms.media().children(gold).size());
    }

    @Test
    void theDiffsOfAVmFromBeforeRegistrationAreRegisteredWhenItIsOpened() throws Exception {
        VmFixture fx = fixture("home");
        Path c = fx.disk("c.vdi", ImageVariant.STANDARD);
        VirtualMachine vm = fx.vmWithDisk("v", c, null);
        new Snapshots(fx.vms).take(vm, "one", null, false);
        // as an older Strata left it: the VM's diffs unknown to the registry
        MediaRegistry.load(fx.home).update(r -> {
            for (Medium m : r.all()) {
                if (m.isDiff()) {
                    r.unregister(m.uuid());
                }
            }
        });
        assertEquals(1, fx.vms.media().all().size());
        assertInStep(fx, fx.vms.open("v"));
    }

    /** Runs a snapshot operation in a child JVM that halts at {@code killAt}; fails unless it halted there. */
    private static void killedAt(VmFixture fx, String op, String snapshot, String killAt) throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-D" + KillPoints.PROPERTY + "=" + killAt, "-cp", System.getProperty("java.class.path"),
                SnapshotOpChild.class.getName(), fx.home.toString(), "v", op, snapshot).redirectErrorStream(true)
                .start();
        String out = new String(child.getInputStream().readAllBytes());
        assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        assertEquals(KillPoints.STATUS, child.exitValue(), op + " " + snapshot + " was not killed at " + killAt
                + ": " + out);
    }

    @Test
    void snapshotOperationsKilledRightAfterAFileChangeLeaveVmRegistryAndDataConsistent() throws Exception {
        record Case(String op, String snapshot, String killAt, Set<Integer> guestSees) {
        }
        List<Case> cases = List.of(
                new Case("take", "three", "snapshot-diff-created", Set.of(3)),
                new Case("take", "three", "settings-saved", Set.of(3)),
                new Case("restore", "one", "settings-saved", Set.of(1)),
                new Case("restore", "one", "snapshot-diff-discarded", Set.of(1)),
                new Case("delete", "one", "settings-saved#1", Set.of(3)),
                new Case("delete", "one", "settings-saved#2", Set.of(3)),
                new Case("delete", "two", "settings-saved#2", Set.of(3)),
                new Case("delete", "two", "settings-saved#3", Set.of(3)));
        int n = 0;
        for (Case k : cases) {
            VmFixture fx = fixture("home-" + n++);
            Path c = fx.disk("c.vdi", ImageVariant.STANDARD);
            VirtualMachine vm = fx.vmWithDisk("v", c, null);
            Snapshots snaps = new Snapshots(fx.vms);
            fx.guestWrites(vm, 0, 1);
            snaps.take(vm, "one", null, false);
            fx.guestWrites(vm, 0, 2);
            snaps.take(vm, "two", null, false);
            fx.guestWrites(vm, 0, 3);

            killedAt(fx, k.op(), k.snapshot(), k.killAt());

            VirtualMachine after = fx.vms.open("v"); // finishes what can be finished, brings the registry in step
            String what = k.op() + " " + k.snapshot() + " killed at " + k.killAt();
            assertInStep(fx, after);
            assertTrue(k.guestSees().contains(fx.guestReads(after, 0)), what + ": guest sees " + fx.guestReads(after, 0));
            assertInStep(fx, after);
        }
    }
}
