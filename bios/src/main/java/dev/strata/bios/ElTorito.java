package dev.strata.bios;

import dev.strata.emulator.state.StateClass;
import dev.strata.storage.image.DiskImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads the El Torito boot information of a CD image: the Boot Record Volume Descriptor at sector 17 names the
 * boot catalog's sector; the catalog's validation entry (header 01h, key bytes 55h AAh, words summing to zero)
 * is followed by the initial/default entry (88h bootable), which says how to boot: no emulation, or a 1.2, 1.44
 * or 2.88 MB diskette image, or a hard disk image, at which CD sector, with which load segment and sector count.
 */
final class ElTorito {

    static final int CD_SECTOR = 2048;
    static final int BOOT_RECORD_SECTOR = 17;
    static final String SYSTEM_ID = "EL TORITO SPECIFICATION";

    /** How the initial entry asks to be booted. */
    enum Media { NO_EMULATION, FLOPPY_1200K, FLOPPY_1440K, FLOPPY_2880K, HARD_DISK }

    /**
     * The bootable initial entry: media type, the segment to load at (07C0h when the catalog says 0), how many
     * 512-byte virtual sectors to load (no emulation only), and the CD sector (2048 bytes) of the image.
     */
    @StateClass("dev.strata.bios.ElTorito$BootEntry")
    record BootEntry(Media media, int loadSegment, int sectorCount, long loadRba) {

        /** Bytes of the emulated diskette; 0 for no emulation and hard disk emulation. */
        long floppyBytes() {
            return switch (media) {
                case FLOPPY_1200K -> 1_228_800L;
                case FLOPPY_1440K -> 1_474_560L;
                case FLOPPY_2880K -> 2_949_120L;
                default -> 0;
            };
        }
    }

    private ElTorito() {
    }

    /**
     * The boot entry of {@code cd}, or null when the image has no El Torito boot record, a damaged catalog, or no
     * bootable initial entry (a BIOS then tries the next boot device).
     */
    static BootEntry read(DiskImage cd) throws IOException {
        if (cd == null || cd.size() < (BOOT_RECORD_SECTOR + 1L) * CD_SECTOR) {
            return null;
        }
        byte[] s = new byte[CD_SECTOR];
        cd.read((long) BOOT_RECORD_SECTOR * CD_SECTOR, s, 0, CD_SECTOR);
        if (s[0] != 0 || !"CD001".equals(new String(s, 1, 5, StandardCharsets.US_ASCII)) || s[6] != 1
                || !new String(s, 7, SYSTEM_ID.length(), StandardCharsets.US_ASCII).equals(SYSTEM_ID)) {
            return null;
        }
        long catalog = u32(s, 0x47);
        if ((catalog + 1) * CD_SECTOR > cd.size()) {
            return null;
        }
        cd.read(catalog * CD_SECTOR, s, 0, CD_SECTOR);
        return parseCatalog(s);
    }

    /** Parses a boot catalog sector: validation entry at 0, initial entry at 32. */
    static BootEntry parseCatalog(byte[] s) {
        if ((s[0] & 0xFF) != 0x01 || (s[0x1E] & 0xFF) != 0x55 || (s[0x1F] & 0xFF) != 0xAA) {
            return null;
        }
        int sum = 0;
        for (int i = 0; i < 32; i += 2) {
            sum += (s[i] & 0xFF) | (s[i + 1] & 0xFF) << 8;
        }
        if ((sum & 0xFFFF) != 0) {
            return null;
        }
        int e = 32;
        if ((s[e] & 0xFF) != 0x88) {
            return null;
        }
        Media media = switch (s[e + 1] & 0x0F) {
            case 0 -> Media.NO_EMULATION;
            case 1 -> Media.FLOPPY_1200K;
            case 2 -> Media.FLOPPY_1440K;
            case 3 -> Media.FLOPPY_2880K;
            case 4 -> Media.HARD_DISK;
            default -> null;
        };
        if (media == null) {
            return null;
        }
        int segment = (s[e + 2] & 0xFF) | (s[e + 3] & 0xFF) << 8;
        int count = (s[e + 6] & 0xFF) | (s[e + 7] & 0xFF) << 8;
        return new BootEntry(media, segment == 0 ? 0x07C0 : segment, count, u32(s, e + 8));
    }

    private static long u32(byte[] b, int at) {
        return (b[at] & 0xFFL) | (b[at + 1] & 0xFFL) << 8 | (b[at + 2] & 0xFFL) << 16 | (b[at + 3] & 0xFFL) << 24;
    }
}
