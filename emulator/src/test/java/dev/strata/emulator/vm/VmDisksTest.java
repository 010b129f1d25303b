package dev.strata.emulator.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.storage.StorageException;
import dev.strata.storage.image.ImageVariant;
import dev.strata.storage.media.MediumType;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VmDisksTest {
    @TempDir
    Path home;
    VmFixture fx;

    @BeforeEach
    void setUp() {
        fx = new VmFixture(home);
    }

    @Test
    void normalWritesReachTheMediumWithoutSnapshots() throws Exception {
        Path disk = fx.disk("n.vdi", ImageVariant.STANDARD);
        VirtualMachine vm = fx.vmWithDisk("vm", disk, null);
        fx.guestWrites(vm, 512, 0x11);
        assertEquals(0x11, fx.imageReads(disk, 512));
        assertNull(vm.settings().attachments.get(0).current);
    }

    @Test
    void immutableWritesVanishAtTheNextPowerOn() throws Exception {
        Path disk = fx.disk("i.vdi", ImageVariant.STANDARD);
        VirtualMachine vm = fx.vmWithDisk("vm", disk, MediumType.IMMUTABLE);
        fx.guestWrites(vm, 512, 0x22);
        assertEquals(0, fx.imageReads(disk, 512), "the medium itself is never written");
        assertEquals(0x22, fx.imageReads(Path.of(vm.settings().attachments.get(0).current), 512));
        assertEquals(0, fx.guestReads(vm, 512), "power-on reset the diff");
    }

    @Test
    void immutableWithAutoresetOffKeepsItsWrites() throws Exception {
        Path disk = fx.disk("i.vdi", ImageVariant.STANDARD);
        VirtualMachine vm = fx.vmWithDisk("vm", disk, MediumType.IMMUTABLE);
        fx.vms.media().update(r -> r.update(r.findByPath(disk).orElseThrow().withAutoreset(false)));
        fx.guestWrites(vm, 512, 0x23);
        assertEquals(0x23, fx.guestReads(vm, 512));
        assertEquals(0, fx.imageReads(disk, 512));
    }

    @Test
    void immutableIsNotResetWhenResumingASavedState() throws Exception {
        Path disk = fx.disk("i.vdi", ImageVariant.STANDARD);
        VirtualMachine vm = fx.vmWithDisk("vm", disk, MediumType.IMMUTABLE);
        fx.guestWrites(vm, 512, 0x24);
        try (PreparedDisks d = VmDisks.prepare(vm, fx.vms.media(), true)) {
            assertEquals(0x24, fx.imageReads(d.drives().get(0).file(), 512));
        }
    }

    @Test
    void multiattachKeepsOnePersistentDiffPerVm() throws Exception {
        Path disk = fx.disk("m.vdi", ImageVariant.STANDARD);
        VirtualMachine a = fx.vmWithDisk("a", disk, MediumType.MULTIATTACH);
        VirtualMachine b = fx.vmWithDisk("b", disk, null);
        fx.guestWrites(a, 512, 0x33);
        fx.guestWrites(b, 512, 0x44);
        assertEquals(0x33, fx.guestReads(a, 512), "kept across power-ons");
        assertEquals(0x44, fx.guestReads(b, 512));
        assertEquals(0, fx.imageReads(disk, 512));
        assertNotEquals(a.settings().attachments.get(0).current, b.settings().attachments.get(0).current);
    }

    @Test
    void readonlyDrivesAreOpenedReadOnly() throws Exception {
        Path disk = fx.disk("r.vdi", ImageVariant.STANDARD);
        VirtualMachine vm = fx.vmWithDisk("vm", disk, MediumType.READONLY);
        try (PreparedDisks d = VmDisks.prepare(vm, fx.vms.media(), false)) {
            assertTrue(d.drives().get(0).readOnly());
            assertEquals(disk.toAbsolutePath(), d.drives().get(0).file());
        }
    }

    @Test
    void aShareableFixedMediumRunsInTwoVmsAtOnce() throws Exception {
        Path disk = fx.disk("s.vdi", ImageVariant.FIXED);
        VirtualMachine a = fx.vmWithDisk("a", disk, MediumType.SHAREABLE);
        VirtualMachine b = fx.vmWithDisk("b", disk, null);
        try (PreparedDisks da = VmDisks.prepare(a, fx.vms.media(), false);
             PreparedDisks db = VmDisks.prepare(b, fx.vms.media(), false)) {
            assertEquals(da.drives().get(0).file(), db.drives().get(0).file());
        }
    }

    @Test
    void aShareableMediumMustBeFixedSize() throws Exception {
        Path disk = fx.disk("s.vdi", ImageVariant.STANDARD);
        StorageException e = assertThrows(StorageException.class,
                () -> fx.vmWithDisk("a", disk, MediumType.SHAREABLE));
        assertTrue(e.getMessage().contains("fixed-size"), e.getMessage());
    }

    @Test
    void aNormalMediumRunsInOneVmAtATime() throws Exception {
        Path disk = fx.disk("n.vdi", ImageVariant.STANDARD);
        VirtualMachine a = fx.vmWithDisk("a", disk, null);
        VirtualMachine b = fx.vmWithDisk("b", disk, null);
        new Snapshots(fx.vms).take(a, "s", null, false); // a writes a diff, yet still keeps b off the medium
        try (PreparedDisks da = VmDisks.prepare(a, fx.vms.media(), false)) {
            StorageException e = assertThrows(StorageException.class,
                    () -> VmDisks.prepare(b, fx.vms.media(), false));
            assertTrue(e.getMessage().contains("already open") || e.getMessage().contains("in use"), e.getMessage());
        }
        VmDisks.prepare(b, fx.vms.media(), false).close();
    }

    @Test
    void aDvdTakesReadonlyMediaOnTheSecondaryMaster() throws Exception {
        Path iso = fx.disk("cd.vdi", ImageVariant.STANDARD);
        VirtualMachine vm = fx.vms.create("vm", 16, null);
        assertThrows(IllegalArgumentException.class,
                () -> new VmAttachments(fx.vms).attach(vm, "ide", 0, 0, "dvd", iso, null));
        Attachment a = new VmAttachments(fx.vms).attach(vm, "ide", 1, 0, "dvd", iso, null);
        assertEquals(MediumType.READONLY, fx.vms.media().find(a.medium).orElseThrow().type());
    }
}
