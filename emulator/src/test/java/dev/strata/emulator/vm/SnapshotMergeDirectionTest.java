package dev.strata.emulator.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.storage.Progress;
import dev.strata.storage.StorageException;
import dev.strata.storage.image.ImageVariant;
import dev.strata.storage.media.MediumType;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which way a snapshot delete merges, and the cases it refuses or leaves alone. */
class SnapshotMergeDirectionTest {
    private static final long MB = 1 << 20;

    @TempDir
    Path home;
    VmFixture fx;
    Snapshots snaps;

    @BeforeEach
    void setUp() {
        fx = new VmFixture(home);
        snaps = new Snapshots(fx.vms);
    }

    private static Path frozen(SnapshotNode n) {
        return Path.of(n.attachments.get(0).current);
    }

    @Test
    void aSmallFrozenDiffIsMergedBackwardIntoItsBigChild() throws Exception {
        VirtualMachine vm = fx.vmWithDisk("vm", fx.disk("n.vdi", ImageVariant.STANDARD), null);
        snaps.take(vm, "one", null, false);
        fx.guestWrites(vm, 0, 1);
        SnapshotNode two = snaps.take(vm, "two", null, false);
        Path small = frozen(two);
        Path big = Path.of(vm.settings().attachments.get(0).current);
        fx.guestWrites(vm, MB, 2);
        fx.guestWrites(vm, 2 * MB, 3);
        fx.guestWrites(vm, 3 * MB - 1, 4);
        snaps.delete(vm, two, Progress.NONE);
        assertFalse(Files.exists(small), "the parent was merged into the child and removed");
        assertTrue(Files.exists(big));
        VirtualMachine again = fx.vms.open("vm");
        assertEquals(1, fx.guestReads(again, 0));
        assertEquals(2, fx.guestReads(again, MB));
        assertEquals(4, fx.guestReads(again, 3 * MB - 1));
    }

    @Test
    void aBigFrozenDiffTakesItsSmallChildForward() throws Exception {
        VirtualMachine vm = fx.vmWithDisk("vm", fx.disk("n.vdi", ImageVariant.STANDARD), null);
        snaps.take(vm, "one", null, false);
        fx.guestWrites(vm, 0, 1);
        fx.guestWrites(vm, MB, 2);
        fx.guestWrites(vm, 2 * MB, 3);
        SnapshotNode two = snaps.take(vm, "two", null, false);
        Path big = frozen(two);
        Path small = Path.of(vm.settings().attachments.get(0).current);
        fx.guestWrites(vm, 0, 9);
        snaps.delete(vm, two, Progress.NONE);
        assertTrue(Files.exists(big));
        assertFalse(Files.exists(small), "the child was merged into the parent and removed");
        VirtualMachine again = fx.vms.open("vm");
        assertEquals(big.toString(), again.settings().attachments.get(0).current);
        assertEquals(9, fx.guestReads(again, 0));
        assertEquals(3, fx.guestReads(again, 2 * MB));
    }

    @Test
    void aSnapshotWithTwoChildSnapshotsIsNotDeleted() throws Exception {
        VirtualMachine vm = fx.vmWithDisk("vm", fx.disk("n.vdi", ImageVariant.STANDARD), null);
        SnapshotNode one = snaps.take(vm, "one", null, false);
        snaps.take(vm, "a", null, false);
        snaps.restore(vm, one);
        snaps.take(vm, "b", null, false);
        StorageException e = assertThrows(StorageException.class, () -> snaps.delete(vm, one, Progress.NONE));
        assertTrue(e.getMessage().contains("2 child snapshots"), e.getMessage());
        assertEquals(3, fx.vms.open("vm").allSnapshots().size());
    }

    @Test
    void immutableIsNotResetWhenTheCurrentSnapshotIsOnline() throws Exception {
        VirtualMachine vm = fx.vmWithDisk("vm", fx.disk("i.vdi", ImageVariant.STANDARD), MediumType.IMMUTABLE);
        SnapshotNode s = snaps.take(vm, "live", null, false);
        s.online = true; // as an online snapshot would record it, with the machine's saved state
        vm.save();
        fx.guestWrites(vm, 0, 8);
        assertEquals(8, fx.guestReads(vm, 0));
    }

    @Test
    void anImmutableMediumIsNeverTheTargetOfAMerge() throws Exception {
        Path disk = fx.disk("i.vdi", ImageVariant.STANDARD);
        VirtualMachine vm = fx.vmWithDisk("vm", disk, MediumType.IMMUTABLE);
        SnapshotNode s = snaps.take(vm, "first", null, false);
        fx.guestWrites(vm, 0, 5);
        snaps.delete(vm, s, Progress.NONE);
        assertEquals(0, fx.imageReads(disk, 0));
        assertTrue(fx.vms.open("vm").allSnapshots().isEmpty());
    }
}
