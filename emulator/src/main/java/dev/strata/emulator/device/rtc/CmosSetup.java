package dev.strata.emulator.device.rtc;

/**
 * Fills the CMOS bytes a PC BIOS reads at boot, in the layout of the IBM AT and its successors, and keeps the
 * standard checksum over 10h-2Dh (stored high byte first at 2Eh-2Fh) up to date after every change.
 */
public final class CmosSetup {

    public static final int FLOPPY_TYPES = 0x10;
    public static final int HARD_DISK_TYPES = 0x12;
    public static final int EQUIPMENT = 0x14;
    public static final int BASE_MEMORY_LOW = 0x15;
    public static final int EXTENDED_MEMORY_LOW = 0x17;
    public static final int HARD_DISK_0_EXTENDED_TYPE = 0x19;
    public static final int HARD_DISK_1_EXTENDED_TYPE = 0x1A;
    /** First byte of the user-defined (type 47) parameters of hard disk 0; disk 1 follows at 24h. */
    public static final int HARD_DISK_0_PARAMETERS = 0x1B;
    public static final int HARD_DISK_1_PARAMETERS = 0x24;
    public static final int CHECKSUM_HIGH = 0x2E;
    public static final int CHECKSUM_LOW = 0x2F;
    public static final int EXTENDED_MEMORY_COPY_LOW = 0x30;
    public static final int CENTURY = Mc146818Rtc.REG_CENTURY;
    public static final int MEMORY_ABOVE_16M_LOW = 0x34;
    /** The hard disk type whose geometry comes from CMOS bytes rather than the BIOS table. */
    public static final int USER_DEFINED_DISK_TYPE = 47;

    private static final int CHECKSUM_FIRST = 0x10;
    private static final int CHECKSUM_LAST = 0x2D;
    private static final long KIB = 1024;
    private static final long MIB = 1024 * KIB;

    private final Mc146818Rtc rtc;

    public CmosSetup(Mc146818Rtc rtc) {
        this.rtc = rtc;
    }

    /**
     * Records {@code ramBytes} of RAM: base memory in KiB (at most 640) at 15h-16h; memory above 1 MiB in KiB
     * (at most 65535) at 17h-18h and its copy at 30h-31h; memory above 16 MiB in 64 KiB blocks (at most 65535)
     * at 34h-35h.
     */
    public CmosSetup memory(long ramBytes) {
        if (ramBytes < 0) {
            throw new IllegalArgumentException("RAM size must not be negative, got " + ramBytes);
        }
        long base = Math.min(640, ramBytes / KIB);
        long extended = Math.min(0xFFFF, Math.max(0, ramBytes - MIB) / KIB);
        long above16 = Math.min(0xFFFF, Math.max(0, ramBytes - 16 * MIB) / (64 * KIB));
        putWord(BASE_MEMORY_LOW, (int) base);
        putWord(EXTENDED_MEMORY_LOW, (int) extended);
        putWord(EXTENDED_MEMORY_COPY_LOW, (int) extended);
        putWord(MEMORY_ABOVE_16M_LOW, (int) above16);
        return updateChecksum();
    }

    /** Records the types of floppy drives A: (high nibble of 10h) and B: (low nibble). */
    public CmosSetup floppyDrives(FloppyDriveType a, FloppyDriveType b) {
        rtc.setCmosByte(FLOPPY_TYPES, a.code() << 4 | b.code());
        return updateChecksum();
    }

    /**
     * Records hard disk types (0 = none, 1-14 from the BIOS table, 15-255 stored as nibble Fh with the type in
     * 19h/1Ah) for the first and second disk.
     */
    public CmosSetup hardDiskTypes(int disk0, int disk1) {
        int nibble0 = typeNibble(disk0, 0);
        int nibble1 = typeNibble(disk1, 1);
        rtc.setCmosByte(HARD_DISK_TYPES, nibble0 << 4 | nibble1);
        rtc.setCmosByte(HARD_DISK_0_EXTENDED_TYPE, nibble0 == 0x0F ? disk0 : 0);
        rtc.setCmosByte(HARD_DISK_1_EXTENDED_TYPE, nibble1 == 0x0F ? disk1 : 0);
        return updateChecksum();
    }

    /**
     * Records a user-defined geometry for hard disk {@code disk} (0 or 1) and sets its type to 47: cylinders,
     * heads, write precompensation (none), control byte, landing zone (last cylinder) and sectors per track.
     */
    public CmosSetup userDefinedHardDisk(int disk, int cylinders, int heads, int sectorsPerTrack) {
        if (disk != 0 && disk != 1) {
            throw new IllegalArgumentException("hard disk number must be 0 or 1, got " + disk);
        }
        if (cylinders < 1 || cylinders > 0xFFFF || heads < 1 || heads > 255 || sectorsPerTrack < 1
                || sectorsPerTrack > 255) {
            throw new IllegalArgumentException(String.format("hard disk %d geometry C/H/S %d/%d/%d is out of range:"
                    + " cylinders 1-65535, heads 1-255, sectors 1-255", disk, cylinders, heads, sectorsPerTrack));
        }
        int p = disk == 0 ? HARD_DISK_0_PARAMETERS : HARD_DISK_1_PARAMETERS;
        putWord(p, cylinders);
        rtc.setCmosByte(p + 2, heads);
        putWord(p + 3, 0xFFFF);
        rtc.setCmosByte(p + 5, 0xC0 | (heads > 8 ? 0x08 : 0));
        putWord(p + 6, cylinders);
        rtc.setCmosByte(p + 8, sectorsPerTrack);
        int other = (rtc.cmosByte(HARD_DISK_TYPES) >> (disk == 0 ? 0 : 4)) & 0x0F;
        int otherType = other == 0x0F
                ? rtc.cmosByte(disk == 0 ? HARD_DISK_1_EXTENDED_TYPE : HARD_DISK_0_EXTENDED_TYPE) : other;
        return disk == 0 ? hardDiskTypes(USER_DEFINED_DISK_TYPE, otherType)
                : hardDiskTypes(otherType, USER_DEFINED_DISK_TYPE);
    }

    /**
     * Records the equipment byte (14h): floppy drives installed (bit 0) and their count less one (bits 7-6), the
     * maths coprocessor (bit 1) and the primary display (bits 5-4).
     */
    public CmosSetup equipment(int floppyDrives, boolean mathCoprocessor, PrimaryDisplay display) {
        if (floppyDrives < 0 || floppyDrives > 4) {
            throw new IllegalArgumentException("a PC has 0 to 4 floppy drives, got " + floppyDrives);
        }
        int value = (floppyDrives > 0 ? 0x01 | (floppyDrives - 1) << 6 : 0)
                | (mathCoprocessor ? 0x02 : 0)
                | display.code() << 4;
        rtc.setCmosByte(EQUIPMENT, value);
        return updateChecksum();
    }

    /** Records the century of {@code year} at 32h, in BCD or binary as register B currently selects. */
    public CmosSetup century(int year) {
        if (year < 0 || year > 9999) {
            throw new IllegalArgumentException("year must be 0-9999, got " + year);
        }
        int century = year / 100;
        rtc.setCmosByte(CENTURY, rtc.binaryMode() ? century : century / 10 << 4 | century % 10);
        return this;
    }

    /** Recomputes the 16-bit sum of 10h-2Dh into 2Eh (high byte) and 2Fh (low byte). */
    public CmosSetup updateChecksum() {
        int sum = checksum();
        rtc.setCmosByte(CHECKSUM_HIGH, sum >> 8);
        rtc.setCmosByte(CHECKSUM_LOW, sum & 0xFF);
        return this;
    }

    /** True when 2Eh-2Fh hold the sum of 10h-2Dh, as the BIOS checks at boot. */
    public boolean checksumValid() {
        return (rtc.cmosByte(CHECKSUM_HIGH) << 8 | rtc.cmosByte(CHECKSUM_LOW)) == checksum();
    }

    private int checksum() {
        int sum = 0;
        for (int i = CHECKSUM_FIRST; i <= CHECKSUM_LAST; i++) {
            sum += rtc.cmosByte(i);
        }
        return sum & 0xFFFF;
    }

    private void putWord(int low, int value) {
        rtc.setCmosByte(low, value & 0xFF);
        rtc.setCmosByte(low + 1, value >> 8 & 0xFF);
    }

    private static int typeNibble(int type, int disk) {
        if (type < 0 || type > 255) {
            throw new IllegalArgumentException("hard disk " + disk + " type must be 0-255, got " + type);
        }
        return type < 15 ? type : 0x0F;
    }
}
