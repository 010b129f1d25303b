package dev.strata.bios;

/**
 * The logical CHS geometry Strata's BIOS reports for a hard disk (INT 13h AH=08h, 48h) and uses for AH=02h-04h
 * CHS addresses, chosen as real BIOSes do with LBA-assisted translation: 63 sectors per track, and 16 heads while
 * that keeps the disk within 1024 cylinders (up to 504 MiB), else the smallest of 32, 64, 128 or 255 heads that
 * does; the cylinder count is capped at 1024, so CHS reaches at most the first 7.8 GiB. Partition tables written
 * with this geometry (CHS-typed partitions 01h, 04h, 06h) agree with what DOS reads back through AH=08h.
 */
record HardDiskGeometry(int cylinders, int heads, int sectors, long totalSectors) {

    static final int SECTORS_PER_TRACK = 63;
    static final int MAX_CYLINDERS = 1024;
    private static final int[] HEAD_CHOICES = {16, 32, 64, 128, 255};

    /** The geometry for a disk of {@code totalSectors} 512-byte sectors. */
    static HardDiskGeometry forSectors(long totalSectors) {
        int heads = 255;
        for (int h : HEAD_CHOICES) {
            if (totalSectors <= (long) MAX_CYLINDERS * h * SECTORS_PER_TRACK) {
                heads = h;
                break;
            }
        }
        long cylinders = totalSectors / ((long) heads * SECTORS_PER_TRACK);
        int c = (int) Math.max(1, Math.min(MAX_CYLINDERS, cylinders));
        return new HardDiskGeometry(c, heads, SECTORS_PER_TRACK, totalSectors);
    }

    /** Sectors a CHS address can reach. */
    long chsSectors() {
        return Math.min(totalSectors, (long) cylinders * heads * sectors);
    }

    /** The LBA of {@code cylinder}/{@code head}/{@code sector} (sector counts from 1), or -1 if outside. */
    long lba(int cylinder, int head, int sector) {
        if (sector < 1 || sector > sectors || head >= heads || cylinder >= cylinders) {
            return -1;
        }
        return ((long) cylinder * heads + head) * sectors + sector - 1;
    }
}
