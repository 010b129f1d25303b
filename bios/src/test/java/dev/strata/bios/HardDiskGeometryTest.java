package dev.strata.bios;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class HardDiskGeometryTest {

    private static void assertGeometry(long sectors, int cylinders, int heads) {
        HardDiskGeometry g = HardDiskGeometry.forSectors(sectors);
        assertEquals(cylinders, g.cylinders(), "cylinders of " + sectors);
        assertEquals(heads, g.heads(), "heads of " + sectors);
        assertEquals(63, g.sectors());
    }

    @Test
    void smallDisksUseSixteenHeads() {
        assertGeometry(65_536, 65, 16); // 32 MiB
        assertGeometry(1024L * 16 * 63, 1024, 16); // 504 MiB, the largest without translation
    }

    @Test
    void largerDisksDoubleTheHeadsUntilTheyFitIn1024Cylinders() {
        assertGeometry(1024L * 16 * 63 + 1, 512, 32);
        assertGeometry(2_097_152, 520, 64); // 1 GiB
        assertGeometry(4_194_304, 520, 128); // 2 GiB
        assertGeometry(8_388_608, 522, 255); // 4 GiB
        assertGeometry(40_000_000, 1024, 255); // beyond CHS: capped
    }

    @Test
    void chsAddressesBecomeLbas() {
        HardDiskGeometry g = HardDiskGeometry.forSectors(65_536);
        assertEquals(0, g.lba(0, 0, 1));
        assertEquals((1 * 16 + 2) * 63 + 2, g.lba(1, 2, 3));
        assertEquals(-1, g.lba(0, 16, 1));
        assertEquals(-1, g.lba(0, 0, 64));
        assertEquals(-1, g.lba(65, 0, 1));
        assertEquals(65L * 16 * 63, g.chsSectors());
    }
}
