package dev.strata.storage.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.storage.StorageException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The driver registry: one driver per format, detection by the surest probe, children in a format that has them. */
class ImageDriversTest {

    @TempDir
    Path dir;

    @Test
    void everyFormatHasAtMostOneDriver() {
        Set<ImageFormat> seen = new HashSet<>();
        for (ImageDriver d : ImageDrivers.all()) {
            assertTrue(seen.add(d.format()), "two drivers for " + d.format());
        }
        assertEquals(Set.of(ImageFormat.VDI, ImageFormat.VMDK, ImageFormat.VHD, ImageFormat.HDD, ImageFormat.QCOW2,
                ImageFormat.RAW), seen);
    }

    @Test
    void aSignatureWinsOverRawWhichTakesOnlyWhatNobodyClaims() throws Exception {
        Path vdi = dir.resolve("a.vdi");
        DiskImages.create(vdi, ImageFormat.VDI, ImageVariant.STANDARD, 1 << 20).close();
        assertEquals(ImageFormat.VDI, ImageDrivers.detect(vdi).format());
        Path raw = Files.write(dir.resolve("a.img"), new byte[4096]);
        assertEquals(ImageFormat.RAW, ImageDrivers.detect(raw).format());
    }

    @Test
    void aFormatWithoutADriverIsNamedNotTakenForRaw() throws Exception {
        byte[] qed = new byte[4096];
        System.arraycopy("QED\0".getBytes(StandardCharsets.ISO_8859_1), 0, qed, 0, 4);
        Path file = Files.write(dir.resolve("b.qed"), qed);
        StorageException e = assertThrows(StorageException.class, () -> ImageDrivers.detect(file));
        assertTrue(e.getMessage().contains("is a QED image; Strata does not open QED images yet"), e.getMessage());
    }

    @Test
    void aFileRecordedAsVdiThatLostItsSignatureSaysWhatIsMissing() throws Exception {
        Path file = Files.write(dir.resolve("c.vdi"), new byte[4096]);
        StorageException e = assertThrows(StorageException.class, () -> ImageDrivers.confirm(file, ImageFormat.VDI));
        assertTrue(e.getMessage().contains("is recorded as a VDI image but has no VDI signature at byte offset 0x40"),
                e.getMessage());
        assertEquals(ImageFormat.RAW, ImageDrivers.confirm(file, ImageFormat.RAW).format(), "raw has no signature");
    }

    @Test
    void aChildTakesItsParentsFormatWhenThatHasChildrenElseVdi() throws Exception {
        try (DiskImage raw = DiskImages.create(dir.resolve("base.img"), ImageFormat.RAW, ImageVariant.STANDARD, 1 << 20);
             DiskImage child = DiskImages.createDiff(dir.resolve("child.vdi"), raw);
             DiskImage grandchild = DiskImages.createDiff(dir.resolve("grandchild.vdi"), child)) {
            assertEquals(ImageFormat.VDI, child.format());
            assertEquals(raw.uuid(), child.parentUuid());
            assertEquals(ImageFormat.VDI, grandchild.format());
            assertEquals(child.uuid(), grandchild.parentUuid());
        }
    }

    @Test
    void aVhdChildIsAVhdAndAParallelsChildAVdiAndAFixedVhdIsFoundByItsFooter() throws Exception {
        try (DiskImage vhd = DiskImages.create(dir.resolve("b.vhd"), ImageFormat.VHD, ImageVariant.FIXED, 1 << 20);
             DiskImage vhdChild = DiskImages.createDiff(dir.resolve("c.vhd"), vhd);
             DiskImage hdd = DiskImages.create(dir.resolve("b.hdd"), ImageFormat.HDD, ImageVariant.STANDARD, 1 << 20);
             DiskImage hddChild = DiskImages.createDiff(dir.resolve("c.vdi"), hdd)) {
            assertEquals(ImageFormat.VHD, vhdChild.format());
            assertEquals(ImageFormat.VDI, hddChild.format());
            assertEquals(hdd.uuid(), hddChild.parentUuid());
        }
        assertEquals(ImageFormat.VHD, ImageDrivers.detect(dir.resolve("b.vhd")).format());
        assertEquals(ImageFormat.HDD, ImageDrivers.detect(dir.resolve("b.hdd")).format());
    }

    @Test
    void everyFormatRefusesADifferencingImageWithoutAParentAndLeavesNothing() {
        for (ImageFormat format : ImageFormat.values()) {
            Path file = dir.resolve("d." + format.name().toLowerCase(java.util.Locale.ROOT));
            StorageException e = assertThrows(StorageException.class,
                    () -> DiskImages.create(file, format, ImageVariant.DIFF, 1 << 20), format.name());
            assertTrue(e.getMessage().contains("a differencing image needs a parent; use createDiff"), e.getMessage());
            assertTrue(!Files.exists(file), format.name());
        }
    }

    @Test
    void eachDriverChecksItsOwnFilesEndingWithASummary() throws Exception {
        Path vdi = dir.resolve("e.vdi");
        DiskImages.create(vdi, ImageFormat.VDI, ImageVariant.FIXED, 2 << 20).close();
        var findings = ImageChecker.check(vdi);
        assertTrue(findings.get(findings.size() - 1).describe().contains("VDI FIXED, 2097152 bytes, 2 of 2 blocks"),
                findings.toString());
        Path raw = Files.write(dir.resolve("e.img"), new byte[8192]);
        assertTrue(ImageChecker.check(raw).get(0).describe().contains("raw disk, 8192 bytes"));
    }
}
