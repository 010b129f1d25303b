package dev.strata.bios;

import dev.strata.emulator.machine.MachineSettings;
import dev.strata.emulator.machine.PcHardware;
import dev.strata.storage.image.DiskImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Which of the machine's drives the BIOS serves, in its numbering: hard disks 80h, 81h, ... are the IDE disks
 * (hda..hdd) and then the SATA disks (ports 0..5), as a BIOS that finds the IDE controller first numbers them; the
 * CD drive is the IDE one, else the first SATA CD drive.
 */
final class BiosDrives {

    private BiosDrives() {
    }

    /** The hard disks present, in BIOS order. */
    static List<DiskImage> hardDisks(PcHardware hw) {
        List<DiskImage> disks = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            if (hw.hardDisk(i) != null) {
                disks.add(hw.hardDisk(i));
            }
        }
        for (int port = 0; port < MachineSettings.SATA_PORTS; port++) {
            if (hw.sataHardDisk(port) != null) {
                disks.add(hw.sataHardDisk(port));
            }
        }
        return disks;
    }

    /** The CD the BIOS boots from and serves as drive E0h, or null. */
    static DiskImage cd(PcHardware hw) {
        if (hw.cdrom() != null) {
            return hw.cdrom();
        }
        for (int port = 0; port < MachineSettings.SATA_PORTS; port++) {
            if (hw.sataCdrom(port) != null) {
                return hw.sataCdrom(port);
            }
        }
        return null;
    }
}
