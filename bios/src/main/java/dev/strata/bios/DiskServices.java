package dev.strata.bios;

import dev.strata.emulator.machine.PcHardware;
import dev.strata.emulator.state.FieldCodec;
import dev.strata.emulator.state.StateClass;
import dev.strata.emulator.state.StateField;
import dev.strata.emulator.state.StateFileException;
import dev.strata.emulator.state.StateReader;
import dev.strata.emulator.state.StateWriter;
import dev.strata.storage.image.DiskImage;
import java.io.IOException;

/**
 * INT 13h. Diskettes (DL = 00h, 01h) are served from the floppy images with the geometry their size implies; CHS
 * addresses become byte offsets and the sectors move between the image and guest memory in Java. Because no DMA
 * controller is involved, the 64 KiB DMA boundary that limits real diskette transfers does not apply: a Java BIOS
 * copies any buffer. Hard disks (DL = 80h and up) and the CD-ROM drive go to {@link HardDiskServices}. While El
 * Torito floppy emulation is on ({@link #emulateFloppy}), drive 00h is the diskette image inside the CD.
 */
@StateClass("dev.strata.bios.DiskServices")
final class DiskServices {

    static final int OK = 0x00, BAD_COMMAND = 0x01, WRITE_PROTECTED = 0x03, SECTOR_NOT_FOUND = 0x04,
            MEDIA_CHANGED = 0x06, CONTROLLER_FAILURE = 0x20, NOT_READY = 0x80;

    private final transient PcHardware hw;
    private final transient BiosDataArea bda;
    @StateField("sector") private final byte[] sector = new byte[512];
    // Disk images are not state: saveState writes these two as what they mean (seen or not, a place in the CD).
    /** The diskette each drive held when the guest last asked about a change (AH=16h). */
    private final transient DiskImage[] seen = new DiskImage[2];
    @StateField("hardDisks") private final HardDiskServices hardDisks;
    /** The diskette image El Torito floppy emulation serves as drive 00h, or null. */
    private transient DiskImage emulatedA;

    DiskServices(PcHardware hw) {
        this.hw = hw;
        this.bda = new BiosDataArea(hw.memory());
        this.hardDisks = new HardDiskServices(hw);
    }

    HardDiskServices hardDisks() {
        return hardDisks;
    }

    /** Makes drive 00h serve {@code image} (El Torito floppy emulation) until the next power-on. */
    void emulateFloppy(DiskImage image) {
        emulatedA = image;
        seen[0] = image;
    }

    /** The diskette in {@code drive}: the emulated one for drive 0 while emulation is on, else the machine's. */
    DiskImage floppyImage(int drive) {
        if (drive == 0 && emulatedA != null) {
            return emulatedA;
        }
        return drive >= 0 && drive < 2 ? hw.floppy(drive) : null;
    }

    void call(BiosCall c) {
        int drive = c.dl();
        if (drive >= 0x80) {
            hardDisks.call(c);
            return;
        }
        switch (c.ah()) {
            case 0x00 -> finish(c, drive < 2 ? OK : BAD_COMMAND);
            case 0x01 -> {
                int last = bda.read8(BiosDataArea.FLOPPY_STATUS);
                c.setAl(last);
                c.setAh(last);
                c.carry(last != 0);
            }
            case 0x02 -> transfer(c, drive, false, false);
            case 0x03 -> transfer(c, drive, true, false);
            case 0x04 -> transfer(c, drive, false, true);
            case 0x05 -> finish(c, geometry(drive) == null ? NOT_READY : OK);
            case 0x08 -> parameters(c, drive);
            case 0x15 -> {
                c.setAh(drive < 2 ? 0x02 : 0x00); // diskette drive with change-line support, or none
                c.carry(false);
            }
            case 0x16 -> changeLine(c, drive);
            case 0x17 -> finish(c, OK);
            case 0x4B -> hardDisks.emulationStatus(c);
            case 0x18 -> {
                c.setEs(BiosRom.SEGMENT);
                c.setDi(BiosRom.DISKETTE_TABLE);
                finish(c, geometry(drive) == null ? NOT_READY : OK);
            }
            default -> finish(c, BAD_COMMAND);
        }
    }

    /**
     * Saves the services' state. Disk images are not state: the El Torito window is saved as its place in the CD
     * and each drive's change line as whether the BIOS has seen the diskette now in it.
     */
    void saveState(StateWriter w) {
        FieldCodec.save(this, w);
        w.writeBoolean(emulatedA instanceof ImageWindow);
        if (emulatedA instanceof ImageWindow window) {
            w.writeLong(window.start());
            w.writeLong(window.size());
        }
        for (int d = 0; d < seen.length; d++) {
            w.writeBoolean(seen[d] != null && seen[d] == floppyImage(d));
        }
    }

    /** Restores what {@link #saveState} wrote onto services of a machine with the same drives. */
    void loadState(StateReader r) throws StateFileException {
        FieldCodec.load(this, r);
        emulatedA = null;
        if (r.readBoolean()) {
            long start = r.readLong();
            long size = r.readLong();
            DiskImage cd = BiosDrives.cd(hw);
            if (cd == null) {
                throw r.error("the saved BIOS emulates a floppy from a CD, but this machine has no CD");
            }
            emulatedA = new ImageWindow(cd, start, size);
        }
        for (int d = 0; d < seen.length; d++) {
            seen[d] = r.readBoolean() ? floppyImage(d) : null;
        }
    }

    /** Takes note of the diskettes in the drives now, as a freshly booted machine has seen them. */
    void mediaSeen() {
        for (int d = 0; d < 2; d++) {
            seen[d] = floppyImage(d);
        }
    }

    /** AH=16h: 06h (changed) once after the machine swapped the diskette, 80h for an empty drive, else 00h. */
    private void changeLine(BiosCall c, int drive) {
        if (drive >= 2) {
            finish(c, BAD_COMMAND);
            return;
        }
        DiskImage now = floppyImage(drive);
        if (now != seen[drive]) {
            seen[drive] = now;
            finish(c, MEDIA_CHANGED);
        } else {
            finish(c, now == null ? NOT_READY : OK);
        }
    }

    private void finish(BiosCall c, int status) {
        bda.write8(BiosDataArea.FLOPPY_STATUS, status);
        c.setAh(status);
        c.carry(status != OK);
    }

    /** The geometry of the diskette in {@code drive}, or null when the drive is empty, absent or the size unknown. */
    FloppyGeometry geometry(int drive) {
        DiskImage image = drive < 2 ? floppyImage(drive) : null;
        return image == null ? null : FloppyGeometry.ofSize(image.size());
    }

    /** AH=02h read, 03h write, 04h verify: AL sectors from CH/CL (cylinder, sector), DH head into ES:BX. */
    private void transfer(BiosCall c, int drive, boolean write, boolean verifyOnly) {
        FloppyGeometry g = geometry(drive);
        int count = c.al();
        if (g == null) {
            c.setAl(0);
            finish(c, NOT_READY);
            return;
        }
        int cylinder = c.ch() | (c.cl() & 0xC0) << 2;
        int first = c.cl() & 0x3F;
        int head = c.dh();
        if (count == 0 || first == 0 || first > g.sectors || head >= g.heads || cylinder >= g.cylinders) {
            c.setAl(0);
            finish(c, count == 0 ? BAD_COMMAND : SECTOR_NOT_FOUND);
            return;
        }
        long lba = g.lba(cylinder, head, first);
        DiskImage image = floppyImage(drive);
        int buffer = BiosCall.real(c.es(), c.bx());
        int done = 0;
        int status = OK;
        try {
            for (; done < count; done++) {
                long offset = (lba + done) * 512;
                if (offset + 512 > image.size()) {
                    status = SECTOR_NOT_FOUND;
                    break;
                }
                if (verifyOnly) {
                    continue;
                }
                int at = buffer + done * 512;
                if (write) {
                    if (image.readOnly()) {
                        status = WRITE_PROTECTED;
                        break;
                    }
                    c.peekBlock(at, sector, 512);
                    image.write(offset, sector, 0, 512);
                } else {
                    image.read(offset, sector, 0, 512);
                    c.pokeBlock(at, sector, 512);
                }
            }
        } catch (IOException e) {
            status = CONTROLLER_FAILURE;
        }
        c.setAl(done);
        finish(c, status);
    }

    /** AH=08h: drive type, last cylinder/sector/head, number of drives and the parameter table at ES:DI. */
    private void parameters(BiosCall c, int drive) {
        if (drive >= 2) {
            finish(c, BAD_COMMAND);
            return;
        }
        FloppyGeometry g = geometry(drive);
        if (g == null) {
            g = FloppyGeometry.F1440K;
        }
        int lastCylinder = g.cylinders - 1;
        c.setBl(g.driveType);
        c.setBh(0);
        c.setCh(lastCylinder & 0xFF);
        c.setCl(g.sectors | (lastCylinder >> 2 & 0xC0));
        c.setDh(g.heads - 1);
        c.setDl(driveCount());
        c.setEs(BiosRom.SEGMENT);
        c.setDi(BiosRom.DISKETTE_TABLE);
        c.setAl(0);
        finish(c, OK);
    }

    /** Diskette drives the machine has, as POST recorded them in the equipment word (A: always). */
    int driveCount() {
        int equipment = bda.read16(BiosDataArea.EQUIPMENT);
        return (equipment & 1) == 0 ? 0 : (equipment >> 6 & 3) + 1;
    }
}
