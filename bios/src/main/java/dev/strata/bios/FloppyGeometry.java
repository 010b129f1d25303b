package dev.strata.bios;

/**
 * The diskette formats INT 13h knows, recognised by the image size: cylinders, heads, sectors per track and the
 * drive type AH=08h reports (1 = 360K, 2 = 1.2M, 3 = 720K, 4 = 1.44M, 5 = 2.88M).
 */
enum FloppyGeometry {
    F160K(40, 1, 8, 1), F180K(40, 1, 9, 1), F320K(40, 2, 8, 1), F360K(40, 2, 9, 1), F720K(80, 2, 9, 3),
    F1200K(80, 2, 15, 2), F1440K(80, 2, 18, 4), F2880K(80, 2, 36, 5);

    final int cylinders;
    final int heads;
    final int sectors;
    final int driveType;

    FloppyGeometry(int cylinders, int heads, int sectors, int driveType) {
        this.cylinders = cylinders;
        this.heads = heads;
        this.sectors = sectors;
        this.driveType = driveType;
    }

    long bytes() {
        return (long) cylinders * heads * sectors * 512;
    }

    /** The format of an image of {@code size} bytes, or null when no diskette has that size. */
    static FloppyGeometry ofSize(long size) {
        for (FloppyGeometry g : values()) {
            if (g.bytes() == size) {
                return g;
            }
        }
        return null;
    }

    /** The sector number counting from 0 for a cylinder, head and sector (sectors count from 1). */
    long lba(int cylinder, int head, int sector) {
        return ((long) cylinder * heads + head) * sectors + sector - 1;
    }
}
