package dev.strata.storage.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Large VDI sizes, sparse so they cost little: at multiples of 256 GiB the block map fills its last MiB
 * exactly, which once made creation write its length-setting byte into the last map entry.
 */
class VdiLargeSizeTest {
    private static final long GIB = 1L << 30;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} GiB")
    @ValueSource(longs = {255, 256, 257, 512, 1024, 64 * 1024})
    void dynamicImageOfThisSizeIsWholeAndUsable(long gib) throws Exception {
        long size = gib * GIB;
        Path f = dir.resolve("d.vdi");
        try (DiskImage img = DiskImages.create(f, ImageFormat.VDI, ImageVariant.STANDARD, size)) {
            assertEquals(size, img.size());
            assertEquals(0, img.allocatedBytes());
            long last = img.size() / img.blockSize() - 1;
            assertEquals(BlockState.UNALLOCATED, img.blockState(last));
        }
        assertNoErrors(f);
        byte[] data = TestFiles.pattern(512, gib);
        try (DiskImage img = DiskImages.open(f, false)) {
            img.write(size - 512, data, 0, 512);
        }
        assertNoErrors(f);
        Path child = dir.resolve("child.vdi");
        try (DiskImage parent = DiskImages.open(f, true); DiskImage diff = DiskImages.createDiff(child, parent)) {
            assertEquals(size, diff.size());
        }
        assertNoErrors(child);
        try (DiskImage img = DiskImages.open(f, true)) {
            byte[] back = new byte[512];
            img.read(size - 512, back, 0, 512);
            assertArrayEquals(data, back);
        }
    }

    @ParameterizedTest(name = "{0} GiB")
    @ValueSource(longs = {255, 256, 257})
    void fixedImageOfThisSizeIsWhole(long gib) throws Exception {
        Path f = dir.resolve("f.vdi");
        try (DiskImage img = DiskImages.create(f, ImageFormat.VDI, ImageVariant.FIXED, gib * GIB)) {
            assertEquals(gib * GIB, img.allocatedBytes());
        }
        assertNoErrors(f);
    }

    private static void assertNoErrors(Path f) {
        List<ImageFinding> findings = ImageChecker.check(f);
        assertFalse(ImageChecker.hasErrors(findings), f + ": " + findings);
        assertNull(findings.stream().filter(x -> x.severity() == ImageFinding.Severity.WARNING).findFirst()
                .orElse(null), f + ": " + findings);
    }
}
