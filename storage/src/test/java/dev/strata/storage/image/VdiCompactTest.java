package dev.strata.storage.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.storage.Progress;
import dev.strata.storage.StorageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link DiskImages#compact} of VDI images: blocks holding only zeros leave the file, the rest move down, every sector
 * reads as before, and the file is smaller and passes Strata's and qemu-img's checks.
 */
class VdiCompactTest {
    private static final int MIB = 1 << 20;

    @TempDir
    Path dir;

    @BeforeAll
    static void needQemu() {
        QemuTools.require("VdiCompactTest");
    }

    /** Blocks 0..11 written; every third one then overwritten with zeros (still allocated: 4 zero blocks). */
    private static void writeDataAndZeroBlocks(DiskImage d) throws IOException {
        for (int b = 0; b < 12; b++) {
            byte[] data = TestFiles.pattern(MIB, b);
            d.write((long) b * MIB, data, 0, data.length);
        }
        for (int b = 0; b < 12; b += 3) {
            d.write((long) b * MIB, new byte[MIB], 0, MIB);
        }
    }

    static String diskHash(DiskImage d) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[MIB];
        for (long at = 0; at < d.size(); at += buf.length) {
            int n = (int) Math.min(buf.length, d.size() - at);
            d.read(at, buf, 0, n);
            md.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    @Test
    void compactKeepsEverySectorAndGivesBackTheZeroBlocks() throws Exception {
        Path img = dir.resolve("c.vdi");
        String before;
        try (DiskImage d = DiskImages.create(img, ImageFormat.VDI, ImageVariant.STANDARD, 32L * MIB)) {
            writeDataAndZeroBlocks(d);
            before = diskHash(d);
            assertEquals(12L * MIB, d.allocatedBytes());
        }
        long size = Files.size(img);
        long saved = DiskImages.compact(img, ImageFormat.VDI, Progress.NONE);
        assertEquals(4L * MIB, saved);
        assertEquals(size - 4L * MIB, Files.size(img));
        try (DiskImage d = DiskImages.open(img, true, ImageFormat.VDI, null)) {
            assertEquals(before, diskHash(d));
            assertEquals(8L * MIB, d.allocatedBytes());
            assertEquals(BlockState.UNALLOCATED, d.blockState(0));
            assertEquals(BlockState.ALLOCATED, d.blockState(1));
        }
        assertTrue(ImageChecker.check(img).stream().noneMatch(f -> f.severity() != ImageFinding.Severity.INFO),
                ImageChecker.check(img).toString());
        String check = QemuTools.run(dir, "qemu-img", "check", "-f", "vdi", img.toString());
        assertTrue(check.contains("No errors"), check);
        assertEquals(0, DiskImages.compact(img, ImageFormat.VDI, Progress.NONE), "nothing left to give back");
    }

    @Test
    void aDifferencingImageKeepsItsZeroBlocksAsZeroNotAsTheParentsData() throws Exception {
        Path base = dir.resolve("base.vdi");
        Path child = dir.resolve("child.vdi");
        try (DiskImage b = DiskImages.create(base, ImageFormat.VDI, ImageVariant.STANDARD, 16L * MIB)) {
            for (int k = 0; k < 12; k++) {
                byte[] data = TestFiles.filled(MIB, 0x40 + k);
                b.write((long) k * MIB, data, 0, data.length);
            }
            try (DiskImage c = DiskImages.createDiff(child, b)) {
                writeDataAndZeroBlocks(c);
            }
        }
        DiskImages.compact(child, ImageFormat.VDI, Progress.NONE);
        try (DiskImage c = DiskImages.open(child, true, ImageFormat.VDI, null)) {
            assertEquals(BlockState.ZERO, c.blockState(0));
            assertEquals(BlockState.ZERO, c.blockState(3));
            assertEquals(BlockState.ALLOCATED, c.blockState(1));
            byte[] got = new byte[MIB];
            c.read(3L * MIB, got, 0, MIB);
            assertTrue(ImageBytes.allZero(got, 0, MIB));
            c.read(4L * MIB, got, 0, MIB);
            assertEquals(0, java.util.Arrays.compare(TestFiles.pattern(MIB, 4), got));
        }
        assertFalse(ImageChecker.hasErrors(ImageChecker.check(child)));
    }

    @Test
    void aFixedVdiIsRefused() throws Exception {
        Path img = dir.resolve("f.vdi");
        DiskImages.create(img, ImageFormat.VDI, ImageVariant.FIXED, 4L * MIB).close();
        StorageException e = assertThrows(StorageException.class,
                () -> DiskImages.compact(img, ImageFormat.VDI, Progress.NONE));
        assertTrue(e.getMessage().startsWith(img.toString()) && e.getMessage().contains("fixed-size VDI"),
                e.getMessage());
    }

    @Test
    void otherFormatsAreRefusedByName() throws Exception {
        Path img = dir.resolve("v.img");
        DiskImages.create(img, ImageFormat.RAW, ImageVariant.STANDARD, 4L * MIB).close();
        StorageException e = assertThrows(StorageException.class,
                () -> DiskImages.compact(img, ImageFormat.RAW, Progress.NONE));
        assertTrue(e.getMessage().contains("is a RAW image, which Strata does not compact"), e.getMessage());
    }
}
