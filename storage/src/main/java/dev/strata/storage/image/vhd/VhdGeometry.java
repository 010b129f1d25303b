package dev.strata.storage.image.vhd;

/**
 * The cylinder/head/sector geometry a VHD footer records, computed as the VHD specification's appendix does; Virtual
 * PC and QEMU take the disk's size from it, Hyper-V from the footer's current size.
 */
record VhdGeometry(int cylinders, int heads, int sectorsPerTrack) {

    /** The largest geometry: a disk at least this big records it and is sized by its current size alone. */
    static final long MAX_SECTORS = 65535L * 16 * 255;

    /** The geometry of a disk of {@code totalSectors}. */
    static VhdGeometry of(long totalSectors) {
        long sectors = Math.min(totalSectors, MAX_SECTORS);
        int spt;
        int heads;
        long cylTimesHeads;
        if (sectors >= 65535L * 16 * 63) {
            spt = 255;
            heads = 16;
            cylTimesHeads = sectors / spt;
        } else {
            spt = 17;
            cylTimesHeads = sectors / spt;
            heads = (int) Math.max(4, (cylTimesHeads + 1023) / 1024);
            if (cylTimesHeads >= heads * 1024L || heads > 16) {
                spt = 31;
                heads = 16;
                cylTimesHeads = sectors / spt;
            }
            if (cylTimesHeads >= heads * 1024L) {
                spt = 63;
                heads = 16;
                cylTimesHeads = sectors / spt;
            }
        }
        return new VhdGeometry((int) (cylTimesHeads / heads), heads, spt);
    }

    long sectors() {
        return (long) cylinders * heads * sectorsPerTrack;
    }

    /**
     * The size a new base image of at least {@code bytes} gets: the smallest whose geometry covers it exactly, as
     * Virtual PC and qemu-img round, so that every tool sees the same size; disks past the largest geometry keep their
     * size, which every tool then reads from the footer.
     */
    static long roundUp(long bytes) {
        long want = bytes / 512;
        if (want >= MAX_SECTORS) {
            return bytes;
        }
        for (long t = want; ; t++) {
            VhdGeometry g = of(t);
            if (g.sectors() >= want) {
                return g.sectors() * 512;
            }
        }
    }

    @Override
    public String toString() {
        return cylinders + "/" + heads + "/" + sectorsPerTrack;
    }
}
