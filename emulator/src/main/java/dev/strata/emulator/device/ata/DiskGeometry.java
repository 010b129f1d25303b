package dev.strata.emulator.device.ata;

import dev.strata.emulator.state.StateClass;

/**
 * A cylinders/heads/sectors-per-track translation of an ATA disk: what IDENTIFY reports in words 1, 3 and 6 (the
 * default) or 54..56 (the current one, after INITIALIZE DEVICE PARAMETERS), and how CHS addresses map to LBAs.
 */
@StateClass("dev.strata.emulator.device.ata.DiskGeometry")
public record DiskGeometry(int cylinders, int heads, int sectorsPerTrack) {

    /** The largest CHS geometry ATA can describe: 16383 cylinders, 16 heads, 63 sectors (8.4 GB). */
    public static final int MAX_CYLINDERS = 16383;
    public static final int MAX_HEADS = 16;
    public static final int MAX_SECTORS_PER_TRACK = 63;

    public DiskGeometry {
        if (cylinders < 1 || cylinders > 65535 || heads < 1 || heads > MAX_HEADS || sectorsPerTrack < 1
                || sectorsPerTrack > 255) {
            throw new IllegalArgumentException("CHS geometry " + cylinders + "/" + heads + "/" + sectorsPerTrack
                    + " is outside 1..65535 cylinders, 1..16 heads, 1..255 sectors per track");
        }
    }

    /**
     * The default translation for a disk of {@code totalSectors}: 16 heads and 63 sectors per track, as many
     * cylinders as fit (at most 16383); tiny disks get fewer heads and sectors so the geometry never exceeds them.
     */
    public static DiskGeometry forSectors(long totalSectors) {
        if (totalSectors < 1) {
            throw new IllegalArgumentException("a disk of " + totalSectors + " sectors has no geometry");
        }
        int spt = (int) Math.min(MAX_SECTORS_PER_TRACK, totalSectors);
        int heads = (int) Math.max(1, Math.min(MAX_HEADS, totalSectors / spt));
        long cylinders = Math.max(1, Math.min(MAX_CYLINDERS, totalSectors / ((long) heads * spt)));
        return new DiskGeometry((int) cylinders, heads, spt);
    }

    /** Sectors reachable through CHS addresses. */
    public long capacity() {
        return (long) cylinders * heads * sectorsPerTrack;
    }

    /** The LBA of a CHS address (sectors count from 1), or -1 if the address is outside this geometry. */
    public long lbaOf(int cylinder, int head, int sector) {
        if (cylinder >= cylinders || head >= heads || sector < 1 || sector > sectorsPerTrack) {
            return -1;
        }
        return ((long) cylinder * heads + head) * sectorsPerTrack + sector - 1;
    }

    public int cylinderOf(long lba) {
        return (int) (lba / ((long) heads * sectorsPerTrack));
    }

    public int headOf(long lba) {
        return (int) ((lba / sectorsPerTrack) % heads);
    }

    public int sectorOf(long lba) {
        return (int) (lba % sectorsPerTrack) + 1;
    }
}
