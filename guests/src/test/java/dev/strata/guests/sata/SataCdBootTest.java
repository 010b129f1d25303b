package dev.strata.guests.sata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.machine.MachineSettings;
import dev.strata.emulator.machine.SataDrive;
import dev.strata.emulator.vm.PreparedDisks;
import dev.strata.emulator.vm.VirtualMachine;
import dev.strata.emulator.vm.VirtualMachines;
import dev.strata.emulator.vm.VmAttachments;
import dev.strata.emulator.vm.VmDisks;
import dev.strata.guests.GuestBoot;
import dev.strata.guests.HostTools;
import dev.strata.vm.BootOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CD in an ATAPI drive on an AHCI port boots through Strata's BIOS (El Torito, no emulation): the boot image
 * (guests/sata/cdboot.asm) reads the CD's primary volume descriptor through INT 13h on the drive in DL and prints its
 * volume identifier on COM1. Once as {@code strata run --sata-cdrom} builds the machine, once as a VM whose DVD
 * drive is on SATA port 3 behind a (blank) SATA disk boots it with its default boot order.
 */
@Timeout(300)
class SataCdBootTest {
    private static final String VOLUME = "STRATA_SATA_CD";
    private static final String BOOTED = "cd boot dl=E0 vol=" + VOLUME + "\n";

    @TempDir
    Path dir;
    private Path iso;

    @BeforeEach
    void buildCd() throws Exception {
        iso = HostTools.cd("guests/sata/cdboot.asm", VOLUME, dir);
    }

    @Test
    void aSataCdAloneBootsAndIsReadThroughInt13h() throws Exception {
        MachineSettings s = new MachineSettings().memoryMb(16).sata(0, SataDrive.dvd(iso)).bootOrder("d");
        GuestBoot.Result r = GuestBoot.run(s, List.of(BOOTED), null, 120);
        assertTrue(r.allMet(), r.describe());
        assertTrue(r.serial().contains(BOOTED), r.describe());
        assertTrue(r.screen().contains("Booting from CD-ROM (no emulation)"), r.describe());
    }

    @Test
    void aVmWithItsDvdDriveOnSataBootsFromIt() throws Exception {
        VirtualMachines vms = new VirtualMachines(dir.resolve("home"));
        VirtualMachine created = vms.create("sata-cd", 16, null);
        Path disk = Files.write(dir.resolve("blank.img"), new byte[4 << 20]);
        VmAttachments attach = new VmAttachments(vms);
        attach.attach(created, "sata", 0, 0, "hdd", disk, null);
        attach.attach(created, "sata", 3, 0, "dvd", iso, null);
        VirtualMachine vm = vms.open("sata-cd");
        assertEquals("adc", vm.settings().bootOrder, "a new VM tries the CD before the hard disk");
        try (PreparedDisks disks = VmDisks.prepare(vm, vms.media(), false)) {
            MachineSettings s = new MachineSettings().memoryMb(vm.settings().memoryMb);
            disks.applyTo(s);
            s.bootOrder(BootOrder.present(vm.settings().bootOrder, s)); // as `strata vm start` does
            assertEquals("dc", s.bootOrder());
            GuestBoot.Result r = GuestBoot.run(s, List.of(BOOTED), null, 120);
            assertTrue(r.allMet(), r.describe());
            assertTrue(r.serial().contains(BOOTED), r.describe());
        }
    }
}
