package dev.strata.emulator.vm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.machine.DriveSlot;
import dev.strata.storage.Progress;
import dev.strata.storage.StorageException;
import dev.strata.storage.chain.DiskChain;
import dev.strata.storage.chain.FileChains;
import dev.strata.storage.image.ImageVariant;
import dev.strata.storage.media.MediumType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnlineSnapshotsTest {
    static final byte[] STATE = "machine state".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path home;
    VmFixture fx;
    Snapshots snaps;

    @BeforeEach
    void setUp() {
        fx = new VmFixture(home);
        snaps = new Snapshots(fx.vms);
    }

    /**
     * Runs {@code vm} (its first hard disk) to write 1 at offset 0, takes online snapshot "live" of it, writes 2 there
     * after the snapshot and stops: the snapshot holds 1, the VM reads 2.
     */
    SnapshotNode liveSnapshotBetweenTwoWrites(VirtualMachine vm) throws IOException {
        try (RunningVm run = new RunningVm(vm)) {
            run.write(0, 1);
            SnapshotNode node = snaps.takeOnline(vm, "live", null, run);
            run.write(0, 2);
            return node;
        }
    }

    /** A running VM's first hard disk, without a CPU: the chain the guest writes to, switched as a machine would. */
    final class RunningVm implements LiveMachine, AutoCloseable {
        final VirtualMachine vm;
        final PreparedDisks disks;
        DiskChain drive;
        final List<DriveSlot> switched = new ArrayList<>();
        boolean failSwitch;

        RunningVm(VirtualMachine vm) throws IOException {
            this.vm = vm;
            disks = VmDisks.prepare(vm, fx.vms.media(), vm.settings().state == VmState.SAVED);
            drive = FileChains.opener(fx.vms.media()).open(disks.drives().get(0).file(), false);
            vm.settings().state = VmState.RUNNING;
            vm.save();
        }

        void write(long offset, int value) throws IOException {
            drive.write(offset, new byte[] {(byte) value}, 0, 1);
        }

        @Override
        public void flushDisks() throws IOException {
            drive.flush();
        }

        @Override
        public void saveState(Path file) throws IOException {
            Files.write(file, STATE);
        }

        @Override
        public void switchHardDisk(DriveSlot slot, Path top) throws IOException {
            if (failSwitch) {
                throw new IOException("no room for " + top);
            }
            drive.flush();
            drive.close();
            drive = FileChains.opener(fx.vms.media()).open(top, false);
            switched.add(slot);
        }

        /** Powers off (or, with {@code saved}, stops as a savestate does). */
        @Override
        public void close() throws IOException {
            drive.flush();
            drive.close();
            disks.close();
            vm.settings().state = VmState.POWERED_OFF;
            vm.save();
        }
    }

    @Test
    void anOnlineSnapshotSwitchesTheRunningDiskToANewDiffAndRecordsItsState() throws Exception {
        Path disk = fx.disk("n.vdi", ImageVariant.STANDARD);
        VirtualMachine vm = fx.vmWithDisk("vm", disk, null);
        SnapshotNode node;
        try (RunningVm run = new RunningVm(vm)) {
            run.write(0, 1);
            node = snaps.takeOnline(vm, "live", null, run);
            run.write(0, 2); // the guest runs on, into the new diff
            assertEquals(List.of(DriveSlot.ide(0)), run.switched);
            assertEquals(run.drive.path(), Path.of(vm.settings().attachments.get(0).current));
        }
        assertTrue(node.online);
        assertArrayEquals(STATE, Files.readAllBytes(Path.of(node.savedState)));
        assertEquals(1, fx.imageReads(disk, 0), "the snapshot froze the medium with the guest's first write");
        VirtualMachine again = fx.vms.open("vm");
        assertTrue(again.currentSnapshot().orElseThrow().online, "recorded in vm.json");
        assertEquals(2, fx.guestReads(again, 0));
    }

    @Test
    void anOnlineSnapshotSwitchesASataDiskToItsNewDiffThroughItsMachineSlot() throws Exception {
        Path disk = fx.disk("s.vdi", ImageVariant.STANDARD);
        VirtualMachine vm = fx.vms.create("vm", 16, null);
        new VmAttachments(fx.vms).attach(vm, "sata", 3, 0, "hdd", disk, null);
        vm = fx.vms.open("vm");
        try (RunningVm run = new RunningVm(vm)) {
            run.write(0, 1);
            snaps.takeOnline(vm, "live", null, run);
            run.write(0, 2);
            assertEquals(List.of(DriveSlot.sata(3)), run.switched);
            assertEquals(run.drive.path(), Path.of(vm.settings().attachments.get(0).current));
        }
        assertEquals(1, fx.imageReads(disk, 0), "the snapshot froze the SATA medium with the guest's first write");
        assertEquals(2, fx.guestReads(fx.vms.open("vm"), 0));
    }

    @Test
    void restoringAnOnlineSnapshotLeavesTheVmSavedOnTheSnapshotsDisks() throws Exception {
        Path disk = fx.disk("n.vdi", ImageVariant.STANDARD);
        VirtualMachine vm = fx.vmWithDisk("vm", disk, null);
        SnapshotNode node = liveSnapshotBetweenTwoWrites(vm);
        snaps.restore(vm, node);
        VirtualMachine again = fx.vms.open("vm");
        assertEquals(VmState.SAVED, again.settings().state);
        Path state = Path.of(again.settings().savedState);
        assertNotEquals(Path.of(node.savedState), state, "the VM resumes from a copy; the snapshot keeps its own");
        assertArrayEquals(STATE, Files.readAllBytes(state));
        assertEquals(1, fx.guestReads(again, 0), "the disks are the snapshot's");
    }

    @Test
    void immutableIsNotResetWhenTheCurrentSnapshotIsOnline() throws Exception {
        Path disk = fx.disk("i.vdi", ImageVariant.STANDARD);
        VirtualMachine vm = fx.vmWithDisk("vm", disk, MediumType.IMMUTABLE);
        try (RunningVm run = new RunningVm(vm)) {
            run.write(0, 5);
            snaps.takeOnline(vm, "live", null, run);
            run.write(0, 6);
        }
        assertEquals(6, fx.guestReads(fx.vms.open("vm"), 0), "an online current snapshot keeps the immutable diff");
        assertEquals(0, fx.imageReads(disk, 0), "the medium itself is never written");
    }

    @Test
    void immutableStillResetsWhenTheCurrentSnapshotIsOffline() throws Exception {
        Path disk = fx.disk("i.vdi", ImageVariant.STANDARD);
        VirtualMachine vm = fx.vmWithDisk("vm", disk, MediumType.IMMUTABLE);
        fx.guestWrites(vm, 0, 5);
        snaps.take(vm, "offline", null, false);
        fx.guestWrites(vm, 0, 6);
        assertEquals(5, fx.guestReads(fx.vms.open("vm"), 0));
    }

    @Test
    void aFailedSwitchRecordsNothingAndLeavesNoFiles() throws Exception {
        Path disk = fx.disk("n.vdi", ImageVariant.STANDARD);
        VirtualMachine vm = fx.vmWithDisk("vm", disk, null);
        try (RunningVm run = new RunningVm(vm)) {
            run.write(0, 3);
            run.failSwitch = true;
            assertThrows(IOException.class, () -> snaps.takeOnline(vm, "live", null, run));
            run.write(0, 4);
        }
        VirtualMachine again = fx.vms.open("vm");
        assertTrue(again.settings().snapshots.isEmpty());
        assertEquals(4, fx.imageReads(disk, 0), "the guest kept writing to its old disk");
        if (Files.exists(vm.snapshotsFolder())) {
            try (Stream<Path> files = Files.list(vm.snapshotsFolder())) {
                assertEquals(List.of(), files.toList());
            }
        }
    }

    @Test
    void aSnapshotOfASavedVmKeepsItsStateAndRestoresSaved() throws Exception {
        Path disk = fx.disk("n.vdi", ImageVariant.STANDARD);
        VirtualMachine vm = fx.vmWithDisk("vm", disk, null);
        Path saved = vm.folder().resolve(Snapshots.SAVED_STATE);
        Files.write(saved, STATE);
        vm.settings().state = VmState.SAVED;
        vm.settings().savedState = saved.toString();
        vm.save();
        SnapshotNode node = snaps.take(vm, "saved", null, false);
        assertTrue(node.online, "a Saved VM's snapshot has its saved state");
        assertArrayEquals(STATE, Files.readAllBytes(Path.of(node.savedState)));
        vm.settings().state = VmState.POWERED_OFF; // discarded, as `vm start --discard-state` does
        vm.settings().savedState = null;
        Files.delete(saved);
        vm.save();
        snaps.restore(vm, node);
        assertEquals(VmState.SAVED, fx.vms.open("vm").settings().state);
        assertArrayEquals(STATE, Files.readAllBytes(saved));
    }

    @Test
    void anOnlineSnapshotNeedsARunningVm() throws Exception {
        Path disk = fx.disk("n.vdi", ImageVariant.STANDARD);
        VirtualMachine vm = fx.vmWithDisk("vm", disk, null);
        StorageException e = assertThrows(StorageException.class, () -> snaps.takeOnline(vm, "live", null, null));
        assertTrue(e.getMessage().contains("needs it running"), e.getMessage());
    }

    @Test
    void deletingAnOnlineSnapshotRemovesItsStateFile() throws Exception {
        Path disk = fx.disk("n.vdi", ImageVariant.STANDARD);
        VirtualMachine vm = fx.vmWithDisk("vm", disk, null);
        SnapshotNode node = liveSnapshotBetweenTwoWrites(vm);
        snaps.delete(vm, node, Progress.NONE);
        assertFalse(Files.exists(Path.of(node.savedState)));
        assertEquals(2, fx.guestReads(fx.vms.open("vm"), 0));
    }

    @Test
    void aStateFileLeftUndeletedKeepsTheDeleteRecordedUntilItGoes() throws Exception {
        Path disk = fx.disk("n.vdi", ImageVariant.STANDARD);
        VirtualMachine vm = fx.vmWithDisk("vm", disk, null);
        SnapshotNode node = liveSnapshotBetweenTwoWrites(vm);
        // a directory with something in it where the state file was: its deletion fails, as a crash there would stop it
        Path state = Path.of(node.savedState);
        Files.delete(state);
        Files.createDirectories(state.resolve("in the way"));
        assertThrows(IOException.class, () -> snaps.delete(vm, node, Progress.NONE));

        VirtualMachine held = fx.vms.open("vm", false);
        assertNotNull(held.settings().pending, "the delete is still recorded");
        assertTrue(held.allSnapshots().stream().anyMatch(n -> n.name.equals("live")),
                "and the snapshot that names the state file is still there");
        StorageException e = assertThrows(StorageException.class, () -> snaps.rollbackPending(held));
        assertTrue(e.getMessage().contains("cannot be rolled back"), e.getMessage());

        Files.delete(state.resolve("in the way"));
        VirtualMachine again = fx.vms.open("vm"); // finishes the recorded delete
        assertNull(again.settings().pending);
        assertTrue(again.allSnapshots().isEmpty());
        assertFalse(Files.exists(state));
        assertEquals(2, fx.guestReads(again, 0));
    }
}
