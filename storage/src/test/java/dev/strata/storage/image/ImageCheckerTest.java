package dev.strata.storage.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.storage.StorageException;
import dev.strata.storage.image.ImageFinding.Severity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageCheckerTest {
    private static final int MIB = 1 << 20;

    @TempDir
    Path dir;

    private static List<ImageFinding> problems(Path f) {
        return ImageChecker.check(f).stream().filter(x -> x.severity() != Severity.INFO).toList();
    }

    @Test
    void freshImagesHaveNoProblems() throws Exception {
        for (ImageVariant v : new ImageVariant[] {ImageVariant.STANDARD, ImageVariant.FIXED}) {
            Path f = dir.resolve(v + ".vdi");
            DiskImages.create(f, ImageFormat.VDI, v, 3 * MIB).close();
            assertEquals(List.of(), problems(f));
        }
        Path raw = dir.resolve("r.img");
        DiskImages.create(raw, ImageFormat.RAW, ImageVariant.FIXED, MIB).close();
        assertEquals(List.of(), problems(raw));
        assertTrue(ImageChecker.check(raw).get(0).message().contains("raw"));
    }

    @Test
    void summaryTellsVariantAndAllocation() throws Exception {
        Path f = dir.resolve("d.vdi");
        try (DiskImage d = DiskImages.create(f, ImageFormat.VDI, ImageVariant.STANDARD, 3 * MIB)) {
            d.write(MIB, TestFiles.filled(512, 1), 0, 512);
        }
        ImageFinding summary = ImageChecker.check(f).stream().filter(x -> x.field().equals("summary")).findFirst().orElseThrow();
        assertTrue(summary.message().contains("1 of 3 blocks"), summary.message());
    }

    @Test
    void missingFileIsAnError() {
        List<ImageFinding> findings = ImageChecker.check(dir.resolve("nope.vdi"));
        assertTrue(ImageChecker.hasErrors(findings));
        assertTrue(findings.get(0).message().contains("no such file"), findings.toString());
    }

    @Test
    void unalignedOffsetsAreWarningsNotErrors() throws Exception {
        Path f = dir.resolve("d.vdi");
        DiskImages.create(f, ImageFormat.VDI, ImageVariant.STANDARD, MIB).close();
        VdiBadInputTest.putInt(f, 0x158, 2 * MIB - 4); // offData still past the map, but not sector aligned
        List<ImageFinding> p = problems(f);
        assertFalse(ImageChecker.hasErrors(p), p.toString());
        assertTrue(p.stream().anyMatch(x -> x.field().equals("offData") && x.offset() == 0x158), p.toString());
    }

    @Test
    void describeNamesSeverityFieldAndOffset() {
        ImageFinding f = new ImageFinding(Severity.WARNING, "blocksAllocated", 0x184, "lags");
        assertEquals("WARNING: blocksAllocated at byte offset 0x184: lags", f.describe());
    }

    @Test
    void repairFixesWhatACrashLeavesAndNothingElse() throws Exception {
        Path f = dir.resolve("d.vdi");
        try (DiskImage d = DiskImages.create(f, ImageFormat.VDI, ImageVariant.STANDARD, 4 * MIB)) {
            d.write(0, TestFiles.filled(512, 1), 0, 512);
            d.write(MIB, TestFiles.filled(512, 2), 0, 512);
        }
        VdiBadInputTest.putInt(f, 0x184, 1);
        Files.write(f, TestFiles.filled(MIB / 2, 0xEE), StandardOpenOption.APPEND);
        assertEquals(2, problems(f).size(), problems(f).toString());

        List<ImageFinding> done = ImageChecker.repair(f);
        assertEquals(2, done.size(), done.toString());
        assertEquals(List.of(), problems(f));
        assertEquals(4L * MIB, Files.size(f));
        assertEquals(List.of(), ImageChecker.repair(f));
        try (DiskImage d = DiskImages.open(f, true)) {
            byte[] b = new byte[512];
            d.read(MIB, b, 0, 512);
            assertArrayEquals(TestFiles.filled(512, 2), b);
        }
    }

    @Test
    void repairRefusesADamagedImageAndChangesNothing() throws Exception {
        Path f = dir.resolve("d.vdi");
        DiskImages.create(f, ImageFormat.VDI, ImageVariant.STANDARD, 4 * MIB).close();
        VdiBadInputTest.putInt(f, MIB + 4, 99);
        String before = TestFiles.sha256(f);
        StorageException e = assertThrows(StorageException.class, () -> ImageChecker.repair(f));
        assertTrue(e.getMessage().contains("block map entry 1"), e.getMessage());
        assertEquals(before, TestFiles.sha256(f));
    }
}
