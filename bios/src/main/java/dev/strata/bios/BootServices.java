package dev.strata.bios;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.Flags;
import dev.strata.emulator.machine.PcHardware;
import dev.strata.emulator.state.StateClass;
import dev.strata.emulator.state.StateField;
import dev.strata.storage.image.DiskImage;
import java.io.IOException;

/**
 * INT 19h (bootstrap) and INT 18h (no bootable device). INT 19h tries the devices of the user's boot order left
 * to right: a (floppy A:), c (the first hard disk, whose sector 0 must end in 55AAh), d (an El Torito CD). It loads
 * the boot sector to 0000:7C00 (or, for a no-emulation CD, the catalog's sectors to its load segment) and jumps
 * there with DL = the BIOS drive number; when none boots it returns, and the ROM's INT 18h prints the message.
 * A kernel given for direct boot ({@link LinuxLoader}) takes the place of the drives.
 */
@StateClass("dev.strata.bios.BootServices")
final class BootServices {

    static final int LOAD_ADDRESS = 0x7C00;

    private final transient PcHardware hw;
    private final transient VideoServices video;
    private final transient DiskServices disks;
    private final transient LinuxLoader linux; // rebuilt from the machine's settings, which a restore must match
    @StateField("sector") private final byte[] sector = new byte[512];

    /** {@code linux} is the kernel to boot directly instead of the boot order's drives, or null. */
    BootServices(PcHardware hw, VideoServices video, DiskServices disks, LinuxLoader linux) {
        this.hw = hw;
        this.video = video;
        this.disks = disks;
        this.linux = linux;
    }

    void boot(BiosCall c) {
        if (linux != null) {
            video.print("Booting Linux kernel " + linux.kernelName() + "...\n");
            linux.load(hw.memory());
            linux.enter(c.cpu);
            return;
        }
        String order = hw.bootOrder() == null || hw.bootOrder().isEmpty() ? "a" : hw.bootOrder();
        for (int i = 0; i < order.length(); i++) {
            char device = Character.toLowerCase(order.charAt(i));
            if (device == 'a' || device == 'b') {
                int drive = device - 'a';
                if (load(disks.floppyImage(drive), false)) {
                    video.print("Booting from floppy " + Character.toUpperCase(device) + ":...\n");
                    jump(c, drive, 0, LOAD_ADDRESS);
                    return;
                }
            } else if (device == 'c') {
                if (load(disks.hardDisks().image(0x80), true)) {
                    video.print("Booting from hard disk...\n");
                    jump(c, 0x80, 0, LOAD_ADDRESS);
                    return;
                }
            } else if (device == 'd' && bootCd(c)) {
                return;
            }
        }
    }

    /** El Torito: floppy emulation makes the CD's diskette image drive 00h; no emulation loads the boot image. */
    private boolean bootCd(BiosCall c) {
        DiskImage cd = BiosDrives.cd(hw);
        ElTorito.BootEntry entry;
        try {
            entry = ElTorito.read(cd);
        } catch (IOException e) {
            entry = null;
        }
        if (entry == null) {
            if (cd != null) {
                video.print("The CD has no El Torito boot record; trying the next device.\n");
            }
            return false;
        }
        long start = entry.loadRba() * ElTorito.CD_SECTOR;
        if (entry.media() == ElTorito.Media.NO_EMULATION) {
            int bytes = Math.max(1, entry.sectorCount()) * 512;
            if (start + bytes > cd.size()) {
                return false;
            }
            byte[] image = new byte[bytes];
            try {
                cd.read(start, image, 0, bytes);
            } catch (IOException e) {
                return false;
            }
            int at = entry.loadSegment() << 4;
            for (int i = 0; i < bytes; i++) {
                hw.memory().write8(at + i, image[i]);
            }
            disks.hardDisks().bootedFromCd(entry, HardDiskServices.CD_DRIVE);
            video.print("Booting from CD-ROM (no emulation)...\n");
            jump(c, HardDiskServices.CD_DRIVE, entry.loadSegment(), 0);
            return true;
        }
        if (entry.floppyBytes() == 0) {
            video.print("CD hard disk emulation is not supported; trying the next device.\n");
            return false;
        }
        long size = Math.min(entry.floppyBytes(), cd.size() - start);
        DiskImage floppy = new ImageWindow(cd, start, size - size % 512);
        if (!load(floppy, false)) {
            return false;
        }
        disks.emulateFloppy(floppy);
        disks.hardDisks().bootedFromCd(entry, 0x00);
        video.print("Booting from CD-ROM (floppy emulation)...\n");
        jump(c, 0x00, 0, LOAD_ADDRESS);
        return true;
    }

    /** INT 18h: nothing to boot; the ROM then halts with interrupts on. */
    void noBootableDevice(BiosCall c) {
        video.print("No bootable device. Insert a boot disk and restart the machine.\n");
        Cpu cpu = c.cpu;
        cpu.r[Cpu.ESP] = cpu.r[Cpu.ESP] & 0xFFFF0000 | (cpu.r[Cpu.ESP] + 6) & 0xFFFF;
        cpu.loadSegment(Cpu.CS, BiosRom.SEGMENT);
        cpu.eip = BiosRom.HALT_LOOP;
    }

    private boolean load(DiskImage image, boolean needSignature) {
        if (image == null || image.size() < 512) {
            return false;
        }
        try {
            image.read(0, sector, 0, 512);
        } catch (IOException e) {
            return false;
        }
        if (needSignature && ((sector[510] & 0xFF) != 0x55 || (sector[511] & 0xFF) != 0xAA)) {
            return false;
        }
        for (int i = 0; i < 512; i++) {
            hw.memory().write8(LOAD_ADDRESS + i, sector[i]);
        }
        return true;
    }

    /** Leaves the INT 19h frame behind and starts the loaded code at {@code cs:ip} with interrupts on. */
    private void jump(BiosCall c, int drive, int cs, int ip) {
        Cpu cpu = c.cpu;
        cpu.r[Cpu.ESP] = cpu.r[Cpu.ESP] & 0xFFFF0000 | (cpu.r[Cpu.ESP] + 6) & 0xFFFF;
        cpu.r[Cpu.EDX] = drive;
        cpu.loadSegment(Cpu.CS, cs);
        cpu.eip = ip;
        Flags.set(cpu, Flags.IF, Flags.IF);
    }
}
