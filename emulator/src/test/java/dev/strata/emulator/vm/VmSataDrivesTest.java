package dev.strata.emulator.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.machine.DriveSlot;
import dev.strata.emulator.machine.MachineSettings;
import dev.strata.emulator.machine.SataDrive;
import dev.strata.storage.image.ImageVariant;
import dev.strata.storage.media.MediumType;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A VM's drives on the SATA controller: attached and detached like IDE ones, mapped to the machine's AHCI ports at
 * power-on, and given the same diffs, locks and read-only handling for each medium type.
 */
class VmSataDrivesTest {
    @TempDir
    Path home;
    VmFixture fx;
    VmAttachments attach;

    @BeforeEach
    void setUp() {
        fx = new VmFixture(home);
        attach = new VmAttachments(fx.vms);
    }

    private VirtualMachine vmWithSataDisk(String name, int port, Path disk, MediumType type) throws Exception {
        VirtualMachine vm = fx.vms.create(name, 16, null);
        attach.attach(vm, "sata", port, 0, "hdd", disk, type);
        return fx.vms.open(name);
    }

    /** The machine settings a power-on builds from the VM's drives. */
    private MachineSettings powerOn(VirtualMachine vm) throws Exception {
        MachineSettings s = new MachineSettings();
        try (PreparedDisks disks = VmDisks.prepare(vm, fx.vms.media(), false)) {
            disks.applyTo(s);
        }
        return s;
    }

    @Test
    void eachControllersSlotsMapToTheMachinesDrives() {
        assertEquals(DriveSlot.ide(0), ControllerKind.IDE.machineSlot(0, 0));
        assertEquals(DriveSlot.ide(3), ControllerKind.IDE.machineSlot(1, 1));
        assertEquals(DriveSlot.sata(0), ControllerKind.SATA.machineSlot(0, 0));
        assertEquals(DriveSlot.sata(5), ControllerKind.SATA.machineSlot(5, 0));
        assertEquals(DriveSlot.floppy(1), ControllerKind.FLOPPY.machineSlot(1, 0));
        assertThrows(IllegalArgumentException.class, () -> ControllerKind.SATA.machineSlot(0, 1));
    }

    @Test
    void aSataDiskGoesOnItsAhciPortAndNotOnIde() throws Exception {
        Path disk = fx.disk("s.vdi", ImageVariant.STANDARD);
        VirtualMachine vm = vmWithSataDisk("vm", 2, disk, null);
        assertEquals("sata 2:0", vm.settings().attachments.get(0).slot());
        MachineSettings s = powerOn(vm);
        SataDrive d = s.sata(2);
        assertNotNull(d);
        assertEquals(disk.toAbsolutePath(), d.image());
        assertFalse(d.dvd());
        assertFalse(d.readOnly());
        assertTrue(s.anyHardDisk());
        for (int i = 0; i < 4; i++) {
            assertNull(s.hardDisk(i), "IDE drive " + i);
        }
    }

    @Test
    void aSataDvdTakesAReadonlyMediumOnAnyPort() throws Exception {
        Path iso = fx.disk("cd.vdi", ImageVariant.STANDARD);
        VirtualMachine vm = fx.vms.create("vm", 16, null);
        Attachment a = attach.attach(vm, "sata", 5, 0, "dvd", iso, null);
        assertEquals(MediumType.READONLY, fx.vms.media().find(a.medium).orElseThrow().type());
        MachineSettings s = powerOn(fx.vms.open("vm"));
        assertTrue(s.sata(5).dvd());
        assertTrue(s.anyCdrom());
        assertFalse(s.anyHardDisk());
        assertNull(s.cdrom(), "not the IDE CD drive");
    }

    @Test
    void aReadonlySataDiskIsOpenedReadOnly() throws Exception {
        Path disk = fx.disk("r.vdi", ImageVariant.STANDARD);
        assertTrue(powerOn(vmWithSataDisk("vm", 0, disk, MediumType.READONLY)).sata(0).readOnly());
    }

    @Test
    void anImmutableSataDiskWritesToItsDiffWhichResetsAtPowerOn() throws Exception {
        Path disk = fx.disk("i.vdi", ImageVariant.STANDARD);
        VirtualMachine vm = vmWithSataDisk("vm", 1, disk, MediumType.IMMUTABLE);
        fx.guestWrites(vm, 512, 0x22);
        Path diff = Path.of(vm.settings().attachments.get(0).current);
        assertEquals(0x22, fx.imageReads(diff, 512));
        assertEquals(0, fx.imageReads(disk, 512), "the medium itself is never written");
        MachineSettings s = powerOn(vm);
        Path fresh = Path.of(vm.settings().attachments.get(0).current);
        assertEquals(fresh, s.sata(1).image(), "the SATA port opens the per-VM diff");
        assertEquals(0, fx.imageReads(fresh, 512), "power-on reset the diff");
    }

    @Test
    void aMultiattachSataDiskKeepsOnePersistentDiffPerVm() throws Exception {
        Path disk = fx.disk("m.vdi", ImageVariant.STANDARD);
        VirtualMachine a = vmWithSataDisk("a", 0, disk, MediumType.MULTIATTACH);
        VirtualMachine b = fx.vms.create("b", 16, null);
        attach.attach(b, "ide", 0, 0, "hdd", disk, null);
        b = fx.vms.open("b");
        fx.guestWrites(a, 512, 0x33);
        fx.guestWrites(b, 512, 0x44);
        assertEquals(0x33, fx.guestReads(a, 512));
        assertEquals(0x44, fx.guestReads(b, 512));
        assertEquals(0, fx.imageReads(disk, 512));
    }

    @Test
    void anOfflineSnapshotPutsADiffOverTheSataDiskAndRestoreDiscardsIt() throws Exception {
        Path disk = fx.disk("n.vdi", ImageVariant.STANDARD);
        VirtualMachine vm = vmWithSataDisk("vm", 3, disk, null);
        Snapshots snaps = new Snapshots(fx.vms);
        SnapshotNode clean = snaps.take(vm, "clean", null, false);
        Path diff = Path.of(vm.settings().attachments.get(0).current);
        assertEquals(diff, powerOn(vm).sata(3).image());
        fx.guestWrites(vm, 0, 0x55);
        assertEquals(0, fx.imageReads(disk, 0), "the snapshot froze the medium");
        snaps.restore(vm, clean);
        assertEquals(0, fx.guestReads(fx.vms.open("vm"), 0), "restore discarded the write");
    }

    @Test
    void aNormalSataDiskRunsInOneVmAtATime() throws Exception {
        Path disk = fx.disk("n.vdi", ImageVariant.STANDARD);
        VirtualMachine a = vmWithSataDisk("a", 0, disk, null);
        VirtualMachine b = vmWithSataDisk("b", 4, disk, null);
        try (PreparedDisks da = VmDisks.prepare(a, fx.vms.media(), false)) {
            assertThrows(dev.strata.storage.StorageException.class, () -> VmDisks.prepare(b, fx.vms.media(), false));
        }
    }

    @Test
    void aBadSataSlotIsRefusedNamingTheOptionAndRangeAndChangesNothing() throws Exception {
        Path disk = fx.disk("s.vdi", ImageVariant.STANDARD);
        VirtualMachine vm = fx.vms.create("vm", 16, null);
        IllegalArgumentException port = assertThrows(IllegalArgumentException.class,
                () -> attach.attach(vm, "sata", 6, 0, "hdd", disk, null));
        assertEquals("--port is 6, but a SATA port is 0 to 5", port.getMessage());
        IllegalArgumentException device = assertThrows(IllegalArgumentException.class,
                () -> attach.attach(vm, "sata", 0, 1, "hdd", disk, null));
        assertEquals("--device is 1, but a SATA drive's device is always 0", device.getMessage());
        assertTrue(fx.vms.open("vm").settings().attachments.isEmpty());
        assertTrue(fx.vms.media().findByPath(disk.toAbsolutePath()).isEmpty(), "nothing was registered");
    }

    @Test
    void detachingASataSlotEmptiesItAndDropsItsImmutableDiff() throws Exception {
        Path disk = fx.disk("i.vdi", ImageVariant.STANDARD);
        VirtualMachine vm = vmWithSataDisk("vm", 1, disk, MediumType.IMMUTABLE);
        fx.guestWrites(vm, 0, 1);
        Path diff = Path.of(vm.settings().attachments.get(0).current);
        assertTrue(Files.exists(diff));
        assertNull(attach.attach(vm, "sata", 1, 0, "hdd", null, null));
        assertTrue(fx.vms.open("vm").settings().attachments.isEmpty());
        assertFalse(Files.exists(diff));
    }
}
