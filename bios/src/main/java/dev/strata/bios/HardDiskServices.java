package dev.strata.bios;

import dev.strata.emulator.machine.PcHardware;
import dev.strata.emulator.state.StateClass;
import dev.strata.emulator.state.StateField;
import dev.strata.storage.image.DiskImage;
import java.io.IOException;
import java.util.List;

/**
 * INT 13h for hard disks (DL = 80h, 81h, ...: the machine's present hard disks, IDE then SATA, see
 * {@link BiosDrives}) and for the CD-ROM drive ({@link #CD_DRIVE}, E0h, as El Torito no-emulation boot reports it in DL; 2048-byte sectors, extended
 * functions only).
 *
 * <p>A Java BIOS needs no disk driver: instead of programming the IDE controller's task file, the services read and
 * write the very images the controller serves ({@link PcHardware#hardDisk}, {@link PcHardware#cdrom}), so what the
 * guest writes through INT 13h and what it later reads through its own ATA driver are the same bytes. CHS calls use
 * the translated geometry of {@link HardDiskGeometry}.
 *
 * <p>Functions: 00h reset, 01h last status, 02h read, 03h write, 04h verify, 08h parameters, 0Ch seek, 0Dh
 * alternate reset, 10h ready, 11h recalibrate, 14h diagnostics, 15h type, 41h extensions check (EDD 1.1, bitmap
 * 0001h: the fixed-disk access functions 42h-44h, 47h, 48h), 42h extended read, 43h extended write, 44h extended
 * verify, 47h extended seek, 48h drive parameters, 4Bh El Torito emulation status (also on drive 00h). Status
 * codes go to BDA 40:74.
 */
@StateClass("dev.strata.bios.HardDiskServices")
final class HardDiskServices {

    /** The BIOS drive number of the CD-ROM drive. */
    static final int CD_DRIVE = 0xE0;

    static final int OK = 0x00, BAD_COMMAND = 0x01, BAD_ADDRESS_MARK = 0x02, WRITE_PROTECTED = 0x03,
            SECTOR_NOT_FOUND = 0x04, CONTROLLER_FAILURE = 0x20, NOT_READY = 0xAA;
    /** Extensions support bitmap of AH=41h: bit 0, fixed-disk access (42h, 43h, 44h, 47h, 48h). */
    static final int EXTENSIONS_BITMAP = 0x0001;
    /** AH=41h's version: EDD 1.1 (its 48h buffer is the 1Ah-byte form). */
    static final int EDD_VERSION = 0x21;

    private final transient PcHardware hw;
    private final transient BiosDataArea bda;
    @StateField("buffer") private final byte[] buffer = new byte[2048];
    /** The El Torito entry the machine booted from, and the drive number it booted as; null without a CD boot. */
    @StateField("cdBoot") private ElTorito.BootEntry cdBoot;
    @StateField("cdBootDrive") private int cdBootDrive;

    HardDiskServices(PcHardware hw) {
        this.hw = hw;
        this.bda = new BiosDataArea(hw.memory());
    }

    /** How many hard disks the machine has (BDA 40:75, AH=08h's DL). */
    int count() {
        return BiosDrives.hardDisks(hw).size();
    }

    /** The image behind BIOS drive {@code drive} (80h = first present hard disk; E0h = the CD), or null. */
    DiskImage image(int drive) {
        if (drive == CD_DRIVE) {
            return BiosDrives.cd(hw);
        }
        List<DiskImage> disks = BiosDrives.hardDisks(hw);
        int index = drive - 0x80;
        return index >= 0 && index < disks.size() ? disks.get(index) : null;
    }

    static int sectorSize(int drive) {
        return drive == CD_DRIVE ? ElTorito.CD_SECTOR : 512;
    }

    HardDiskGeometry geometry(int drive) {
        DiskImage d = image(drive);
        return d == null ? null : HardDiskGeometry.forSectors(d.size() / sectorSize(drive));
    }

    void call(BiosCall c) {
        int drive = c.dl();
        DiskImage disk = image(drive);
        int ah = c.ah();
        if (disk == null) {
            if (ah == 0x15) {
                c.setAh(0x00); // no such drive
                c.carry(false);
                return;
            }
            if (ah == 0x08) {
                c.setDl(count());
            }
            finish(c, ah == 0x01 ? bda.read8(BiosDataArea.HARD_DISK_STATUS) : BAD_COMMAND);
            return;
        }
        boolean cd = drive == CD_DRIVE;
        switch (ah) {
            case 0x00, 0x0D, 0x10, 0x11, 0x14 -> finish(c, OK);
            case 0x01 -> {
                int last = bda.read8(BiosDataArea.HARD_DISK_STATUS);
                c.setAl(last);
                finish(c, last);
            }
            case 0x02 -> chsTransfer(c, drive, disk, Op.READ);
            case 0x03 -> chsTransfer(c, drive, disk, Op.WRITE);
            case 0x04 -> chsTransfer(c, drive, disk, Op.VERIFY);
            case 0x08 -> parameters(c, drive);
            case 0x0C -> seek(c, drive);
            case 0x15 -> type(c, drive);
            case 0x41 -> checkExtensions(c);
            case 0x42 -> extendedTransfer(c, drive, disk, Op.READ);
            case 0x43 -> extendedTransfer(c, drive, disk, cd ? Op.REFUSED : Op.WRITE);
            case 0x44 -> extendedTransfer(c, drive, disk, Op.VERIFY);
            case 0x47 -> extendedSeek(c, drive, disk);
            case 0x48 -> driveParameters(c, drive, disk);
            case 0x4B -> emulationStatus(c);
            default -> finish(c, BAD_COMMAND);
        }
    }

    private enum Op { READ, WRITE, VERIFY, REFUSED }

    /** Remembers the El Torito boot for AH=4Bh; {@code drive} is 00h (floppy emulation) or {@link #CD_DRIVE}. */
    void bootedFromCd(ElTorito.BootEntry entry, int drive) {
        cdBoot = entry;
        cdBootDrive = drive;
    }

    /**
     * AH=4Bh (AL=00h terminate emulation, 01h status; both answer the same here, since emulation only swaps which
     * image drive 00h reads): the 13h-byte specification packet at DS:SI. Fails when the machine did not boot
     * from a CD.
     */
    void emulationStatus(BiosCall c) {
        if (cdBoot == null || c.al() > 1) {
            finish(c, BAD_COMMAND);
            return;
        }
        int at = BiosCall.real(c.ds(), c.si());
        c.poke8(at, 0x13);
        c.poke8(at + 1, cdBoot.media().ordinal());
        c.poke8(at + 2, cdBootDrive);
        c.poke8(at + 3, 0);
        c.poke32(at + 4, (int) cdBoot.loadRba());
        c.poke16(at + 8, 0); // device specification: ATAPI master (secondary channel)
        c.poke16(at + 10, 0);
        c.poke16(at + 12, cdBoot.loadSegment());
        c.poke16(at + 14, cdBoot.sectorCount());
        FloppyGeometry g = cdBoot.floppyBytes() == 0 ? null : FloppyGeometry.ofSize(cdBoot.floppyBytes());
        int lastCylinder = g == null ? 0 : g.cylinders - 1;
        c.poke8(at + 16, lastCylinder & 0xFF);
        c.poke8(at + 17, (g == null ? 0 : g.sectors) | (lastCylinder >> 2 & 0xC0));
        c.poke8(at + 18, g == null ? 0 : g.heads - 1);
        finish(c, OK);
    }

    private void finish(BiosCall c, int status) {
        bda.write8(BiosDataArea.HARD_DISK_STATUS, status);
        c.setAh(status);
        c.carry(status != OK);
    }

    /** AH=02h/03h/04h: AL sectors from cylinder CH + CL bits 6-7, sector CL bits 0-5, head DH, to ES:BX. */
    private void chsTransfer(BiosCall c, int drive, DiskImage disk, Op op) {
        if (drive == CD_DRIVE) {
            c.setAl(0);
            finish(c, BAD_COMMAND);
            return;
        }
        HardDiskGeometry g = geometry(drive);
        int count = c.al();
        long lba = g.lba(c.ch() | (c.cl() & 0xC0) << 2, c.dh(), c.cl() & 0x3F);
        if (count == 0 || lba < 0) {
            c.setAl(0);
            finish(c, count == 0 ? BAD_COMMAND : SECTOR_NOT_FOUND);
            return;
        }
        int[] done = new int[1];
        int status = transfer(c, disk, 512, lba, count, BiosCall.real(c.es(), c.bx()), op, done);
        c.setAl(done[0]);
        finish(c, status);
    }

    /**
     * Moves {@code count} sectors between the image at {@code lba} and guest memory at {@code address}; stores
     * how many completed in {@code done[0]} and returns the status.
     */
    private int transfer(BiosCall c, DiskImage disk, int size, long lba, int count, int address, Op op, int[] done) {
        if (op == Op.REFUSED) {
            return WRITE_PROTECTED;
        }
        long sectors = disk.size() / size;
        try {
            for (; done[0] < count; done[0]++) {
                long sector = lba + done[0];
                if (sector < 0 || sector >= sectors) {
                    return SECTOR_NOT_FOUND;
                }
                if (op == Op.VERIFY) {
                    continue;
                }
                int at = address + done[0] * size;
                if (op == Op.WRITE) {
                    if (disk.readOnly()) {
                        return WRITE_PROTECTED;
                    }
                    c.peekBlock(at, buffer, size);
                    disk.write(sector * size, buffer, 0, size);
                } else {
                    disk.read(sector * size, buffer, 0, size);
                    c.pokeBlock(at, buffer, size);
                }
            }
        } catch (IOException e) {
            return CONTROLLER_FAILURE;
        }
        return OK;
    }

    /** AH=08h: last cylinder, sectors per track, last head, number of hard disks. */
    private void parameters(BiosCall c, int drive) {
        HardDiskGeometry g = geometry(drive);
        int lastCylinder = g.cylinders() - 1;
        c.setAl(0);
        c.setCh(lastCylinder & 0xFF);
        c.setCl(g.sectors() | (lastCylinder >> 2 & 0xC0));
        c.setDh(g.heads() - 1);
        c.setDl(drive == CD_DRIVE ? 1 : count());
        finish(c, OK);
    }

    /** AH=0Ch: seek to cylinder CH + CL bits 6-7, head DH; nothing moves, but the address must exist. */
    private void seek(BiosCall c, int drive) {
        HardDiskGeometry g = geometry(drive);
        int cylinder = c.ch() | (c.cl() & 0xC0) << 2;
        finish(c, cylinder < g.cylinders() && c.dh() < g.heads() ? OK : SECTOR_NOT_FOUND);
    }

    /** AH=15h: AH = 03h (hard disk), CX:DX = sectors CHS can address. */
    private void type(BiosCall c, int drive) {
        long sectors = geometry(drive).chsSectors();
        bda.write8(BiosDataArea.HARD_DISK_STATUS, OK);
        c.setCx((int) (sectors >>> 16) & 0xFFFF);
        c.setDx((int) sectors & 0xFFFF);
        c.setAh(0x03);
        c.carry(false);
    }

    /** AH=41h, BX=55AAh: BX = AA55h, AH = EDD version, CX = the support bitmap. */
    private void checkExtensions(BiosCall c) {
        if (c.bx() != 0x55AA) {
            finish(c, BAD_COMMAND);
            return;
        }
        c.setBx(0xAA55);
        c.setCx(EXTENSIONS_BITMAP);
        bda.write8(BiosDataArea.HARD_DISK_STATUS, OK);
        c.setAh(EDD_VERSION);
        c.carry(false);
    }

    /** The disk address packet at DS:SI: size, count, buffer (or the 64-bit flat address), starting LBA. */
    private void extendedTransfer(BiosCall c, int drive, DiskImage disk, Op op) {
        int packet = BiosCall.real(c.ds(), c.si());
        int size = c.peek8(packet);
        int count = c.peek16(packet + 2);
        int address = BiosCall.real(c.peek16(packet + 6), c.peek16(packet + 4));
        if (size < 0x10 || count > 0x7F && size < 0x18) {
            c.poke16(packet + 2, 0);
            finish(c, BAD_COMMAND);
            return;
        }
        if (size >= 0x18 && c.peek16(packet + 4) == 0xFFFF && c.peek16(packet + 6) == 0xFFFF) {
            address = c.peek32(packet + 0x10);
        }
        long lba = c.peek32(packet + 8) & 0xFFFF_FFFFL | (long) c.peek32(packet + 12) << 32;
        int[] done = new int[1];
        int status = transfer(c, disk, sectorSize(drive), lba, count, address, op, done);
        c.poke16(packet + 2, done[0]);
        finish(c, status);
    }

    /** AH=47h: the packet's LBA must exist. */
    private void extendedSeek(BiosCall c, int drive, DiskImage disk) {
        int packet = BiosCall.real(c.ds(), c.si());
        long lba = c.peek32(packet + 8) & 0xFFFF_FFFFL | (long) c.peek32(packet + 12) << 32;
        finish(c, lba >= 0 && lba < disk.size() / sectorSize(drive) ? OK : SECTOR_NOT_FOUND);
    }

    /**
     * AH=48h: fills the caller's buffer at DS:SI (its first word says how big it is, at least 1Ah): flags (bit 1:
     * the CHS geometry is valid), cylinders, heads, sectors per track, total sectors, bytes per sector; a buffer
     * of 1Eh bytes or more also gets FFFF:FFFF for "no device parameter table extension".
     */
    private void driveParameters(BiosCall c, int drive, DiskImage disk) {
        int at = BiosCall.real(c.ds(), c.si());
        int room = c.peek16(at);
        if (room < 0x1A) {
            finish(c, BAD_COMMAND);
            return;
        }
        HardDiskGeometry g = geometry(drive);
        boolean cd = drive == CD_DRIVE;
        int written = room >= 0x1E ? 0x1E : 0x1A;
        c.poke16(at, written);
        c.poke16(at + 2, cd ? 0x0004 : 0x0002); // CD: removable; hard disk: CHS information valid
        c.poke32(at + 4, cd ? -1 : g.cylinders());
        c.poke32(at + 8, cd ? -1 : g.heads());
        c.poke32(at + 12, cd ? -1 : g.sectors());
        long total = disk.size() / sectorSize(drive);
        c.poke32(at + 16, (int) total);
        c.poke32(at + 20, (int) (total >>> 32));
        c.poke16(at + 24, sectorSize(drive));
        if (written >= 0x1E) {
            c.poke16(at + 26, 0xFFFF);
            c.poke16(at + 28, 0xFFFF);
        }
        finish(c, OK);
    }
}
