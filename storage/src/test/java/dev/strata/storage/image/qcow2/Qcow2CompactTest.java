package dev.strata.storage.image.qcow2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.storage.Progress;
import dev.strata.storage.chain.DiskChain;
import dev.strata.storage.chain.FileChains;
import dev.strata.storage.image.DiskImage;
import dev.strata.storage.image.DiskImages;
import dev.strata.storage.image.ImageChecker;
import dev.strata.storage.image.ImageFormat;
import dev.strata.storage.image.ImageVariant;
import dev.strata.storage.image.QemuTools;
import dev.strata.storage.image.TestFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link DiskImages#compact} of qcow2 images: clusters holding only zeros leave the file, data clusters from the end
 * fill the holes, the file shrinks, every byte reads as before in Strata and qemu-img, and qemu-img check finds
 * neither errors nor leaks.
 */
class Qcow2CompactTest {
    private static final int MIB = 1 << 20;
    private static final int CLUSTER = 64 * 1024;

    @TempDir
    Path dir;

    @BeforeAll
    static void needQemu() {
        QemuTools.require("Qcow2CompactTest");
    }

    /** 64 clusters written with data, every third then overwritten with zeros (still allocated: 22 zero clusters). */
    private static void writeDataAndZeroClusters(DiskImage d) throws IOException {
        for (int c = 0; c < 64; c++) {
            byte[] data = TestFiles.pattern(CLUSTER, c + 1);
            d.write((long) c * CLUSTER, data, 0, data.length);
        }
        for (int c = 0; c < 64; c += 3) {
            d.write((long) c * CLUSTER, new byte[CLUSTER], 0, CLUSTER);
        }
    }

    private static byte[] readChain(Path top) throws IOException {
        try (DiskChain chain = FileChains.opener().open(top, true)) {
            byte[] all = new byte[(int) chain.size()];
            chain.read(0, all, 0, all.length);
            return all;
        }
    }

    /** qemu-img check finds no errors and no leaks, Strata's check agrees, and qemu reads {@code expected}. */
    private void qemuAgrees(Path img, byte[] expected) throws Exception {
        String check = QemuTools.run(dir, "qemu-img", "check", "-f", "qcow2", img.toString());
        assertTrue(check.contains("No errors") && !check.contains("leaked"), check);
        assertFalse(ImageChecker.hasErrors(ImageChecker.check(img)), ImageChecker.check(img).toString());
        Path raw = dir.resolve("expected.raw");
        Files.deleteIfExists(raw);
        Files.write(raw, expected);
        String cmp = QemuTools.run(dir, "qemu-img", "compare", "-F", "raw", img.toString(), raw.toString());
        assertTrue(cmp.contains("identical"), cmp);
    }

    @Test
    void aStrataImageKeepsEveryByteAndGivesBackItsZeroClusters() throws Exception {
        Path img = dir.resolve("c.qcow2");
        try (DiskImage d = DiskImages.create(img, ImageFormat.QCOW2, ImageVariant.STANDARD, 8L * MIB)) {
            writeDataAndZeroClusters(d);
        }
        byte[] before = readChain(img);
        long length = Files.size(img);
        long saved = DiskImages.compact(img, ImageFormat.QCOW2, Progress.NONE);
        assertEquals(22L * CLUSTER, saved, "every zero cluster given back");
        assertEquals(length - saved, Files.size(img));
        assertArrayEquals(before, readChain(img));
        qemuAgrees(img, before);
        assertEquals(0, DiskImages.compact(img, ImageFormat.QCOW2, Progress.NONE), "a second compact finds nothing");
    }

    @ParameterizedTest(name = "compat {0}")
    @ValueSource(strings = {"0.10", "1.1"})
    void aQemuImageWithZeroDataShrinksAndStaysClean(String compat) throws Exception {
        Path img = dir.resolve("q.qcow2");
        QemuTools.run(dir, "qemu-img", "create", "-q", "-f", "qcow2", "-o", "compat=" + compat, img.toString(), "4M");
        QemuTools.run(dir, "qemu-io", "-f", "qcow2", "-c", "write -P 0x5a 0 4M", "-c", "write -P 0 64k 1M",
                "-c", "write -P 0 2M 128k", img.toString());
        byte[] before = readChain(img);
        long saved = DiskImages.compact(img, ImageFormat.QCOW2, Progress.NONE);
        assertEquals(18L * CLUSTER, saved);
        assertArrayEquals(before, readChain(img));
        qemuAgrees(img, before);
    }

    @Test
    void zeroClustersOverABackingFileStayZeros() throws Exception {
        Path base = dir.resolve("base.qcow2");
        Path child = dir.resolve("child.qcow2");
        try (DiskImage d = DiskImages.create(base, ImageFormat.QCOW2, ImageVariant.STANDARD, 4L * MIB)) {
            d.write(0, TestFiles.filled(4 * MIB, 0x77), 0, 4 * MIB);
        }
        try (DiskImage parent = DiskImages.open(base, true);
             DiskImage d = DiskImages.createDiff(child, parent, ImageFormat.QCOW2)) {
            d.write(0, TestFiles.pattern(2 * MIB, 9), 0, 2 * MIB);
            d.write(CLUSTER, new byte[4 * CLUSTER], 0, 4 * CLUSTER);
        }
        byte[] before = readChain(child);
        assertTrue(DiskImages.compact(child, ImageFormat.QCOW2, Progress.NONE) >= 4L * CLUSTER);
        assertArrayEquals(before, readChain(child), "the parent does not show through the dropped clusters");
        qemuAgrees(child, before);
    }
}
