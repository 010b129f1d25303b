package dev.strata.emulator.vm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.storage.Progress;
import dev.strata.storage.StorageException;
import dev.strata.storage.image.ImageVariant;
import dev.strata.storage.media.ImageLock;
import dev.strata.storage.media.LockMode;
import dev.strata.storage.media.MediumType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotsTest {
    @TempDir
    Path home;
    VmFixture fx;
    Snapshots snaps;

    @BeforeEach
    void setUp() {
        fx = new VmFixture(home);
        snaps = new Snapshots(fx.vms);
    }

    private long diffCount(VirtualMachine vm) throws Exception {
        try (Stream<Path> s = Files.list(vm.snapshotsFolder())) {
            return s.filter(p -> p.toString().endsWith(".vdi")).count();
        }
    }

    @Test
    void takeFreezesANormalMediumAndRestoreDiscardsLaterWrites() throws Exception {
        Path disk = fx.disk("n.vdi", ImageVariant.STANDARD);
        VirtualMachine vm = fx.vmWithDisk("vm", disk, null);
        fx.guestWrites(vm, 0, 1);
        SnapshotNode s = snaps.take(vm, "one", "first", false);
        fx.guestWrites(vm, 0, 2);
        assertEquals(1, fx.imageReads(disk, 0), "frozen");
        assertEquals(2, fx.guestReads(vm, 0));
        snaps.restore(vm, s);
        assertEquals(1, fx.guestReads(vm, 0));
        assertEquals(1, diffCount(vm), "the discarded diff is gone, a fresh one is current");
        assertEquals(s.uuid, fx.vms.open("vm").settings().currentSnapshot);
    }

    @SuppressWarnings("try") // the lock is held by the try block, not used in it
    @Test
    void takeRefusesWhileTheImageToFreezeIsOpenForWritingAndChangesNothing() throws Exception {
        Path disk = fx.disk("n.vdi", ImageVariant.STANDARD);
        VirtualMachine vm = fx.vmWithDisk("vm", disk, null);
        byte[] settings = Files.readAllBytes(vm.settingsFile());
        try (ImageLock writer = ImageLock.acquire(disk, LockMode.EXCLUSIVE)) { // a `medium write` in progress
            StorageException e = assertThrows(StorageException.class, () -> snaps.take(vm, "one", null, false));
            assertTrue(e.getMessage().contains("close it first"), e.getMessage());
        }
        assertEquals(0, diffCount(vm), "no diff made");
        assertArrayEquals(settings, Files.readAllBytes(vm.settingsFile()), "vm.json untouched");
        assertTrue(fx.vms.open("vm").settings().snapshots.isEmpty());
        snaps.take(vm, "one", null, false);
        try (ImageLock again = ImageLock.acquire(disk, LockMode.EXCLUSIVE)) {
            assertEquals(LockMode.EXCLUSIVE, again.mode(), "the take let go of the frozen image");
        }
    }

    @Test
    void writethroughIsUntouchedBySnapshots() throws Exception {
        Path disk = fx.disk("w.vdi", ImageVariant.STANDARD);
        VirtualMachine vm = fx.vmWithDisk("vm", disk, MediumType.WRITETHROUGH);
        SnapshotNode s = snaps.take(vm, "one", null, false);
        assertNull(vm.settings().attachments.get(0).current);
        fx.guestWrites(vm, 0, 7);
        snaps.restore(vm, s);
        assertEquals(7, fx.guestReads(vm, 0));
        assertEquals(7, fx.imageReads(disk, 0));
        assertEquals(0, diffCount(vm));
    }

    @Test
    void immutableResetsToTheCurrentSnapshotsState() throws Exception {
        Path disk = fx.disk("i.vdi", ImageVariant.STANDARD);
        VirtualMachine vm = fx.vmWithDisk("vm", disk, MediumType.IMMUTABLE);
        fx.guestWrites(vm, 0, 5);
        snaps.take(vm, "one", null, false);
        fx.guestWrites(vm, 0, 6);
        // each power-on resets to the snapshot's 5, not to the medium's 0
        assertEquals(5, fx.guestReads(vm, 0));
        assertEquals(0, fx.imageReads(disk, 0));
    }

    @Test
    void deletingTheOnlySnapshotMergesTheCurrentDiffIntoTheMedium() throws Exception {
        Path disk = fx.disk("n.vdi", ImageVariant.STANDARD);
        VirtualMachine vm = fx.vmWithDisk("vm", disk, null);
        fx.guestWrites(vm, 0, 1);
        SnapshotNode s = snaps.take(vm, "one", null, false);
        fx.guestWrites(vm, 4096, 9);
        long[] last = new long[2];
        snaps.delete(vm, s, (done, total) -> { last[0] = done; last[1] = total; });
        assertTrue(last[1] > 0 && last[0] == last[1], "progress reached the end");
        VirtualMachine again = fx.vms.open("vm");
        assertNull(again.settings().currentSnapshot);
        assertTrue(again.settings().snapshots.isEmpty());
        assertNull(again.settings().attachments.get(0).current);
        assertEquals(9, fx.imageReads(disk, 4096));
        assertEquals(1, fx.imageReads(disk, 0));
        assertEquals(0, diffCount(again));
    }

    @SuppressWarnings("try") // the lock stands for a `medium write` in progress
    @Test
    void restoreRefusesWhileTheDiffItWouldDiscardIsOpenForWritingAndChangesNothing() throws Exception {
        Path disk = fx.disk("n.vdi", ImageVariant.STANDARD);
        VirtualMachine vm = fx.vmWithDisk("vm", disk, null);
        SnapshotNode s = snaps.take(vm, "one", null, false);
        fx.guestWrites(vm, 0, 3);
        Path current = Path.of(fx.vms.open("vm").settings().attachments.get(0).current);
        byte[] settings = Files.readAllBytes(vm.settingsFile());
        try (ImageLock writer = ImageLock.acquire(current, LockMode.EXCLUSIVE)) {
            StorageException e = assertThrows(StorageException.class, () -> snaps.restore(fx.vms.open("vm"), s));
            assertTrue(e.getMessage().contains("close it first"), e.getMessage());
        }
        assertArrayEquals(settings, Files.readAllBytes(vm.settingsFile()), "vm.json untouched");
        assertTrue(Files.exists(current), "the diff in use was not deleted");
        assertEquals(3, fx.guestReads(fx.vms.open("vm"), 0));
        snaps.restore(fx.vms.open("vm"), s);
        assertEquals(0, fx.guestReads(fx.vms.open("vm"), 0), "once free, the restore goes ahead");
    }

    @SuppressWarnings("try") // the lock stands for a `medium write` in progress
    @Test
    void deleteRefusesWhileAnImageItMergesIsInUseAndRecordsNothing() throws Exception {
        Path disk = fx.disk("n.vdi", ImageVariant.STANDARD);
        VirtualMachine vm = fx.vmWithDisk("vm", disk, null);
        fx.guestWrites(vm, 0, 1);
        SnapshotNode s = snaps.take(vm, "one", null, false);
        fx.guestWrites(vm, 4096, 9);
        byte[] settings = Files.readAllBytes(vm.settingsFile());
        try (ImageLock writer = ImageLock.acquire(disk, LockMode.EXCLUSIVE)) {
            StorageException e = assertThrows(StorageException.class,
                    () -> snaps.delete(fx.vms.open("vm"), s, Progress.NONE));
            assertTrue(e.getMessage().contains("close it first"), e.getMessage());
            assertEquals(0, fx.imageReads(disk, 4096), "nothing merged into the image in use");
        }
        assertArrayEquals(settings, Files.readAllBytes(vm.settingsFile()), "no pending delete recorded");
        VirtualMachine again = fx.vms.open("vm");
        snaps.delete(again, again.snapshot(s.uuid).orElseThrow(), Progress.NONE);
        assertTrue(fx.vms.open("vm").settings().snapshots.isEmpty(), "once free, the delete goes ahead");
        assertEquals(9, fx.imageReads(disk, 4096));
        assertEquals(1, fx.imageReads(disk, 0));
    }

    @Test
    void deletingAMiddleSnapshotKeepsEveryStateReadable() throws Exception {
        Path disk = fx.disk("n.vdi", ImageVariant.STANDARD);
        VirtualMachine vm = fx.vmWithDisk("vm", disk, null);
        fx.guestWrites(vm, 0, 1);
        SnapshotNode one = snaps.take(vm, "one", null, false);
        fx.guestWrites(vm, 0, 2);
        fx.guestWrites(vm, 8192, 2);
        SnapshotNode two = snaps.take(vm, "two", null, false);
        fx.guestWrites(vm, 0, 3);
        SnapshotNode three = snaps.take(vm, "three", null, false);
        fx.guestWrites(vm, 0, 4);
        snaps.delete(vm, two, Progress.NONE);
        VirtualMachine again = fx.vms.open("vm");
        assertEquals(2, again.allSnapshots().size());
        assertEquals(one.uuid, again.settings().snapshots.get(0).uuid);
        assertEquals(three.uuid, again.settings().snapshots.get(0).children.get(0).uuid);
        assertEquals(4, fx.guestReads(again, 0));
        assertEquals(2, fx.guestReads(again, 8192));
        snaps.restore(again, again.snapshot("three"));
        assertEquals(3, fx.guestReads(again, 0));
        assertEquals(2, fx.guestReads(again, 8192));
        snaps.restore(again, again.snapshot("one"));
        assertEquals(1, fx.guestReads(again, 0));
        assertEquals(0, fx.guestReads(again, 8192));
        assertEquals(1, fx.imageReads(disk, 0));
    }

    @Test
    void anInterruptedDeleteIsFinishedByTheNextCommand() throws Exception {
        Path disk = fx.disk("n.vdi", ImageVariant.STANDARD);
        VirtualMachine vm = fx.vmWithDisk("vm", disk, null);
        SnapshotNode one = snaps.take(vm, "one", null, false);
        fx.guestWrites(vm, 0, 1);
        snaps.take(vm, "two", null, false);
        fx.guestWrites(vm, 0, 2);
        // the merge was recorded and interrupted: a progress sink that throws stops it mid-way
        RuntimeException stop = assertThrows(RuntimeException.class,
                () -> snaps.delete(vm, one, (d, t) -> { throw new IllegalStateException("interrupted"); }));
        assertEquals("interrupted", stop.getMessage());
        assertTrue(fx.vms.registry().all().containsKey("vm"));
        VirtualMachine again = fx.vms.open("vm");
        assertNull(again.settings().pending);
        assertEquals(1, again.allSnapshots().size());
        assertEquals(2, fx.guestReads(again, 0));
        snaps.restore(again, again.snapshot("two"));
        assertEquals(1, fx.guestReads(again, 0));
    }

    @Test
    void aLiveSnapshotIsRefusedWithAClearMessage() throws Exception {
        VirtualMachine vm = fx.vms.create("vm", 16, null);
        StorageException e = assertThrows(StorageException.class, () -> snaps.take(vm, "x", null, true));
        assertTrue(e.getMessage().contains(Snapshots.LIVE_UNSUPPORTED), e.getMessage());
        assertFalse(vm.currentSnapshot().isPresent());
    }

    @Test
    void anInterruptedBackwardMergeCanBeRolledBack() throws Exception {
        Path disk = fx.disk("n.vdi", ImageVariant.STANDARD);
        VirtualMachine vm = fx.vmWithDisk("vm", disk, null);
        snaps.take(vm, "one", null, false);
        fx.guestWrites(vm, 0, 1);
        SnapshotNode two = snaps.take(vm, "two", null, false);
        fx.guestWrites(vm, 1 << 20, 2);
        fx.guestWrites(vm, 2 << 20, 3);
        // two's frozen diff (one block) is cheaper to merge into the current diff (two blocks): a backward merge
        assertThrows(RuntimeException.class, () -> snaps.delete(vm, two, (d, t) -> {
            throw new IllegalStateException("interrupted");
        }));
        VirtualMachine held = fx.vms.open("vm", false);
        assertEquals("backward", held.settings().pending.merges.get(0).direction);
        snaps.rollbackPending(held);
        VirtualMachine again = fx.vms.open("vm");
        assertNull(again.settings().pending);
        assertEquals(2, again.allSnapshots().size());
        assertEquals(1, fx.guestReads(again, 0));
        assertEquals(2, fx.guestReads(again, 1 << 20));
        snaps.restore(again, again.snapshot("two"));
        assertEquals(1, fx.guestReads(again, 0));
        assertEquals(0, fx.guestReads(again, 1 << 20));
        snaps.restore(again, again.snapshot("one"));
        assertEquals(0, fx.guestReads(again, 0));
    }

    @Test
    void anInterruptedForwardMergeIntoTheMediumCanOnlyBeFinished() throws Exception {
        Path disk = fx.disk("n.vdi", ImageVariant.STANDARD);
        VirtualMachine vm = fx.vmWithDisk("vm", disk, null);
        SnapshotNode one = snaps.take(vm, "one", null, false);
        fx.guestWrites(vm, 0, 1);
        assertThrows(RuntimeException.class, () -> snaps.delete(vm, one, (d, t) -> {
            throw new IllegalStateException("interrupted");
        }));
        VirtualMachine held = fx.vms.open("vm", false);
        StorageException e = assertThrows(StorageException.class, () -> snaps.rollbackPending(held));
        assertTrue(e.getMessage().contains("cannot be rolled back"), e.getMessage());
        VirtualMachine again = fx.vms.open("vm");
        assertNull(again.settings().pending);
        assertEquals(1, fx.imageReads(disk, 0));
    }
}
