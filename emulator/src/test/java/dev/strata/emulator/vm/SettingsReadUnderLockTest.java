package dev.strata.emulator.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.storage.StorageException;
import dev.strata.storage.image.ImageVariant;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A snapshot command works from the VM's settings as they are once it holds the VM's lock, not as it read them
 * before: another process may have changed them while it waited (two `snapshot take` at once, a delete racing a
 * restore), and saving what it read before would undo that process's work.
 */
class SettingsReadUnderLockTest {
    @TempDir
    Path home;

    @Test
    void aSnapshotTakenFromSettingsReadBeforeAnotherTakeKeepsBoth() throws Exception {
        VmFixture fx = new VmFixture(home);
        fx.vmWithDisk("vm", fx.disk("c.vdi", ImageVariant.STANDARD), null);
        VirtualMachine waited = fx.vms.open("vm"); // read, then the lock was busy
        new Snapshots(fx.vms).take(fx.vms.open("vm"), "first", null, false); // what the lock's holder did
        new Snapshots(fx.vms).take(waited, "second", null, false);

        VirtualMachine vm = fx.vms.open("vm");
        assertEquals(List.of("first", "second"), vm.allSnapshots().stream().map(n -> n.name).toList());
        assertEquals("second", vm.currentSnapshot().orElseThrow().name);
        fx.guestWrites(vm, 0, 7);
        assertEquals(7, fx.guestReads(fx.vms.open("vm"), 0));
    }

    @Test
    void aDeleteOfASnapshotAnotherProcessDeletedMeanwhileIsRefusedByName() throws Exception {
        VmFixture fx = new VmFixture(home);
        fx.vmWithDisk("vm", fx.disk("c.vdi", ImageVariant.STANDARD), null);
        new Snapshots(fx.vms).take(fx.vms.open("vm"), "s", null, false);
        VirtualMachine waited = fx.vms.open("vm");
        SnapshotNode stale = waited.snapshot("s");
        VirtualMachine other = fx.vms.open("vm");
        new Snapshots(fx.vms).delete(other, other.snapshot("s"), (d, t) -> { });

        StorageException e = assertThrows(StorageException.class,
                () -> new Snapshots(fx.vms).delete(waited, stale, (d, t) -> { }));
        assertTrue(e.getMessage().contains("snapshot 's' of VM 'vm' was deleted by another Strata process"),
                e.getMessage());
        assertTrue(fx.vms.open("vm").allSnapshots().isEmpty());
    }
}
