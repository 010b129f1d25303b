package dev.strata.storage.image.qcow2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.storage.StorageException;
import dev.strata.storage.chain.DiskChain;
import dev.strata.storage.chain.FileChains;
import dev.strata.storage.image.BlockState;
import dev.strata.storage.image.DiskImage;
import dev.strata.storage.image.DiskImages;
import dev.strata.storage.image.ImageChecker;
import dev.strata.storage.image.ImageFinding;
import dev.strata.storage.image.ImageFormat;
import dev.strata.storage.image.ImageVariant;
import dev.strata.storage.image.QemuTools;
import dev.strata.storage.image.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Round trips with QEMU's qcow2 driver: images qemu-img makes and qemu-io writes (zero clusters, compressed clusters,
 * every compat level and cluster size) read the same in Strata; images and chains Strata writes pass
 * {@code qemu-img check} and compare equal; qemu-made backing chains open in Strata.
 */
class Qcow2QemuInteropTest {
    private static final int MIB = 1 << 20;

    @TempDir
    Path dir;

    @BeforeAll
    static void needQemu() {
        QemuTools.require("Qcow2QemuInteropTest");
    }

    private String run(String... cmd) throws Exception {
        return QemuTools.run(dir, cmd);
    }

    private byte[] qemuRaw(Path img) throws Exception {
        return QemuTools.qemuRaw(dir, img, null);
    }

    private void assertQemuCheckClean(Path img) throws Exception {
        String check = run("qemu-img", "check", img.toString());
        assertTrue(check.contains("No errors"), check);
        assertFalse(check.contains("leaked"), check);
    }

    private void assertStrataCheckClean(Path img) {
        List<ImageFinding> f = ImageChecker.check(img);
        assertFalse(ImageChecker.hasErrors(f), f.toString());
        assertTrue(f.stream().noneMatch(x -> x.severity() == ImageFinding.Severity.WARNING), f.toString());
    }

    @ParameterizedTest(name = "compat {0}, {1} clusters")
    @CsvSource({"0.10, 4K", "0.10, 64K", "0.10, 2M", "1.1, 4K", "1.1, 64K", "1.1, 2M"})
    void qemuWrittenImagesReadTheSameAndStrataWritesKeepThemClean(String compat, String cluster) throws Exception {
        Path img = dir.resolve("q.qcow2");
        run("qemu-img", "create", "-q", "-f", "qcow2", "-o", "compat=" + compat + ",cluster_size=" + cluster,
                img.toString(), "9M");
        run("qemu-io", "-f", "qcow2", "-c", "write -P 0xa5 1000 3000", "-c", "write -P 0x5a 3145728 1048576",
                "-c", "write -P 0x11 2094592 2048", "-c", "write -z 3211264 65536", "-c", "write -P 0x77 9436672 512",
                img.toString());
        byte[] expected = qemuRaw(img);
        try (DiskImage d = DiskImages.open(img, true)) {
            assertEquals(ImageFormat.QCOW2, d.format());
            assertEquals(9L * MIB, d.size());
            assertEquals(compat.equals("1.1") ? 3 : 2, ((Qcow2Image) d).version());
            assertArrayEquals(expected, QemuTools.readAll(d));
        }
        assertStrataCheckClean(img);
        try (DiskImage d = DiskImages.open(img, false)) {
            byte[] a = TestFiles.pattern(200_000, 5);
            d.write(3_000_000, a, 0, a.length);
            System.arraycopy(a, 0, expected, 3_000_000, a.length);
            byte[] b = TestFiles.pattern(70_000, 6);
            d.write(6 * MIB + 123, b, 0, b.length);
            System.arraycopy(b, 0, expected, 6 * MIB + 123, b.length);
        }
        assertQemuCheckClean(img);
        assertArrayEquals(expected, qemuRaw(img));
        assertStrataCheckClean(img);
    }

    @Test
    void zeroClustersReadAsZerosAndShowAsZeroBlocks() throws Exception {
        Path base = dir.resolve("zb.qcow2");
        Path top = dir.resolve("zt.qcow2");
        run("qemu-img", "create", "-q", "-f", "qcow2", base.toString(), "4M");
        run("qemu-io", "-f", "qcow2", "-c", "write -P 0x44 0 4M", base.toString());
        run("qemu-img", "create", "-q", "-f", "qcow2", "-b", base.getFileName().toString(), "-F", "qcow2",
                top.toString());
        run("qemu-io", "-f", "qcow2", "-c", "write -z 65536 131072", top.toString());
        try (DiskImage d = DiskImages.open(top, true)) {
            assertEquals(BlockState.ZERO, d.blockState(1));
            assertEquals(BlockState.ZERO, d.blockState(2));
            assertEquals(BlockState.UNALLOCATED, d.blockState(3));
        }
        try (DiskChain chain = FileChains.opener().open(top, true)) {
            assertArrayEquals(qemuRaw(top), QemuTools.readAll(chain));
        }
    }

    @Test
    void compressedImagesReadTheSameAndTakeWrites() throws Exception {
        Path src = dir.resolve("src.qcow2");
        Path img = dir.resolve("c.qcow2");
        run("qemu-img", "create", "-q", "-f", "qcow2", src.toString(), "4M");
        run("qemu-io", "-f", "qcow2", "-c", "write -P 0x61 0 1M", "-c", "write -P 0x62 2M 100000", src.toString());
        run("qemu-img", "convert", "-c", "-O", "qcow2", src.toString(), img.toString());
        byte[] expected = qemuRaw(img);
        try (DiskImage d = DiskImages.open(img, false)) {
            assertArrayEquals(expected, QemuTools.readAll(d));
            d.write(100, TestFiles.filled(50, 0x7f), 0, 50);
            System.arraycopy(TestFiles.filled(50, 0x7f), 0, expected, 100, 50);
        }
        assertQemuCheckClean(img);
        assertArrayEquals(expected, qemuRaw(img));
    }

    @Test
    void qemuBackingChainsOpenInStrata() throws Exception {
        Path base = dir.resolve("base.qcow2");
        Path mid = dir.resolve("mid.qcow2");
        Path top = dir.resolve("top.qcow2");
        run("qemu-img", "create", "-q", "-f", "qcow2", "-o", "compat=0.10", base.toString(), "6M");
        run("qemu-io", "-f", "qcow2", "-c", "write -P 0x01 0 6M", base.toString());
        run("qemu-img", "create", "-q", "-f", "qcow2", "-b", "base.qcow2", "-F", "qcow2", mid.toString());
        run("qemu-io", "-f", "qcow2", "-c", "write -P 0x02 1M 1M", mid.toString());
        run("qemu-img", "create", "-q", "-f", "qcow2", "-b", "mid.qcow2", "-F", "qcow2", top.toString());
        run("qemu-io", "-f", "qcow2", "-c", "write -P 0x03 1500000 3000", top.toString());
        byte[] expected = qemuRaw(top);
        try (DiskChain chain = FileChains.opener().open(top, false)) {
            assertEquals(3, chain.depth());
            assertArrayEquals(expected, QemuTools.readAll(chain));
            chain.write(5 * MIB + 7, TestFiles.filled(9, 0x04), 0, 9);
            System.arraycopy(TestFiles.filled(9, 0x04), 0, expected, 5 * MIB + 7, 9);
        }
        assertQemuCheckClean(top);
        assertArrayEquals(expected, qemuRaw(top));
    }

    @Test
    void strataWrittenBaseImagesPassQemu() throws Exception {
        QemuTools.strataWrittenPassesQemu(dir, ImageFormat.QCOW2, ImageVariant.STANDARD, 5L * MIB);
    }

    @Test
    void strataWrittenFixedImagesPassQemu() throws Exception {
        QemuTools.strataWrittenPassesQemu(dir, ImageFormat.QCOW2, ImageVariant.FIXED, 5L * MIB);
    }

    @Test
    void strataChainsOverQcow2AndVdiParentsOpenInQemu() throws Exception {
        Path vdi = dir.resolve("base.vdi");
        Path mid = dir.resolve("mid.qcow2");
        Path top = dir.resolve("sub/top.qcow2");
        Files.createDirectories(top.getParent());
        byte[] expected = new byte[4 * MIB];
        try (DiskImage b = DiskImages.create(vdi, ImageFormat.VDI, ImageVariant.STANDARD, expected.length)) {
            b.write(0, TestFiles.filled(4 * MIB, 0x10), 0, 4 * MIB);
            try (DiskImage m = DiskImages.createDiff(mid, b, ImageFormat.QCOW2)) {
                DiskImages.createDiff(top, m).close();
            }
        }
        System.arraycopy(TestFiles.filled(4 * MIB, 0x10), 0, expected, 0, 4 * MIB);
        try (DiskChain chain = FileChains.opener().open(top, false)) {
            assertEquals(3, chain.depth());
            byte[] a = TestFiles.pattern(100_000, 9);
            chain.write(77_777, a, 0, a.length);
            System.arraycopy(a, 0, expected, 77_777, a.length);
            chain.write(2 * MIB, new byte[65536], 0, 65536);
            System.arraycopy(new byte[65536], 0, expected, 2 * MIB, 65536);
        }
        String info = run("qemu-img", "info", "--backing-chain", top.toString());
        assertTrue(info.contains("backing file: ../mid.qcow2"), info);
        assertTrue(info.contains("file format: vdi"), info);
        assertQemuCheckClean(top);
        assertQemuCheckClean(mid);
        Path raw = dir.resolve("expected.raw");
        Files.write(raw, expected);
        String cmp = run("qemu-img", "compare", "-F", "raw", top.toString(), raw.toString());
        assertTrue(cmp.contains("identical"), cmp);
    }

    /** 512-byte clusters: the table outgrows its one cluster, and each 4 MiB write spans more L2 tables than are cached. */
    @Test
    void theRefcountTableGrowsWhenSmallClustersOutgrowIt() throws Exception {
        Path img = dir.resolve("small.qcow2");
        run("qemu-img", "create", "-q", "-f", "qcow2", "-o", "cluster_size=512", img.toString(), "16M");
        byte[] expected = new byte[16 * MIB];
        try (DiskImage d = DiskImages.open(img, false)) {
            // one cluster in each L2 table (64 entries of 512 bytes each) first, so the big writes fill existing tables
            for (int at = 0; at < 16 * MIB; at += 32 * 1024) {
                byte[] a = TestFiles.filled(512, 0x5a);
                d.write(at, a, 0, a.length);
                System.arraycopy(a, 0, expected, at, a.length);
            }
            for (int i = 0; i < 4; i++) {
                byte[] a = TestFiles.pattern(4 * MIB, 100 + i);
                d.write((long) i * 4 * MIB, a, 0, a.length);
                System.arraycopy(a, 0, expected, i * 4 * MIB, a.length);
            }
            for (int i = 0; i < 4; i++) {
                byte[] a = TestFiles.pattern(3 * MIB, 200 + i);
                d.write((long) i * 4 * MIB + 12345, a, 0, a.length);
                System.arraycopy(a, 0, expected, i * 4 * MIB + 12345, a.length);
            }
            assertArrayEquals(expected, QemuTools.readAll(d));
        }
        assertQemuCheckClean(img);
        assertArrayEquals(expected, qemuRaw(img));
        assertStrataCheckClean(img);
    }

    @ParameterizedTest(name = "refcount_bits={0}")
    @CsvSource({"1", "2", "8", "32", "64"})
    void everyRefcountWidthIsWrittenAsQemuReadsIt(int bits) throws Exception {
        Path img = dir.resolve("r.qcow2");
        run("qemu-img", "create", "-q", "-f", "qcow2", "-o", "refcount_bits=" + bits, img.toString(), "2M");
        try (DiskImage d = DiskImages.open(img, false)) {
            d.write(MIB, TestFiles.filled(4096, 0x3c), 0, 4096);
        }
        assertQemuCheckClean(img);
        String read = run("qemu-io", "-f", "qcow2", "-c", "read -P 0x3c 1M 4096", img.toString());
        assertFalse(read.contains("Pattern verification failed"), read);
    }

    @Test
    void aDirtyImageReadsButIsRepairedBeforeWriting() throws Exception {
        Path img = dir.resolve("dirty.qcow2");
        run("qemu-img", "create", "-q", "-f", "qcow2", "-o", "lazy_refcounts=on", img.toString(), "2M");
        QemuTools.exec(dir, "qemu-io", "-f", "qcow2", "-c", "write -P 0x5e 0 128k", "-c", "abort", img.toString());
        byte[] expected = new byte[2 * MIB];
        System.arraycopy(TestFiles.filled(128 * 1024, 0x5e), 0, expected, 0, 128 * 1024);
        try (DiskImage d = DiskImages.open(img, true)) {
            assertArrayEquals(expected, QemuTools.readAll(d));
        }
        StorageException e = assertThrows(StorageException.class, () -> DiskImages.open(img, false));
        assertTrue(e.getMessage().contains("is marked dirty (bit 0 of incompatible_features at byte offset 0x48)"),
                e.getMessage());
        List<ImageFinding> done = ImageChecker.repair(img);
        assertTrue(done.toString().contains("cleared the dirty bit"), done.toString());
        assertQemuCheckClean(img);
        try (DiskImage d = DiskImages.open(img, false)) {
            d.write(MIB, TestFiles.filled(512, 1), 0, 512);
        }
        assertQemuCheckClean(img);
    }

    @Test
    void internalSnapshotsAllowReadingTheActiveLayerOnly() throws Exception {
        Path img = dir.resolve("snap.qcow2");
        run("qemu-img", "create", "-q", "-f", "qcow2", img.toString(), "2M");
        run("qemu-io", "-f", "qcow2", "-c", "write -P 0x21 0 64k", img.toString());
        run("qemu-img", "snapshot", "-c", "s1", img.toString());
        run("qemu-io", "-f", "qcow2", "-c", "write -P 0x22 0 4k", img.toString());
        byte[] expected = qemuRaw(img);
        String before = TestFiles.sha256(img);
        try (DiskImage d = DiskImages.open(img, true)) {
            assertArrayEquals(expected, QemuTools.readAll(d));
            assertEquals(1, ((Qcow2Image) d).snapshotCount());
        }
        StorageException e = assertThrows(StorageException.class, () -> DiskImages.open(img, false));
        assertTrue(e.getMessage().contains("has 1 internal qcow2 snapshots"), e.getMessage());
        assertEquals(before, TestFiles.sha256(img));
    }

    /**
     * qemu-img's preallocated qcow2 images (metadata only, fallocated, written in full), then written by qemu-io,
     * read the same in Strata, which counts them as Fixed and keeps them clean when it writes.
     */
    @ParameterizedTest(name = "preallocation={0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"metadata", "falloc", "full"})
    void qemuPreallocatedImagesReadTheSame(String preallocation) throws Exception {
        Path img = dir.resolve("p.qcow2");
        QemuTools.run(dir, "qemu-img", "create", "-q", "-f", "qcow2", "-o", "preallocation=" + preallocation,
                img.toString(), "5M");
        QemuTools.qemuWritesThreePatterns(dir, img, "qcow2", 5L * (1 << 20) - 2048);
        QemuTools.strataReadsWhatQemuReads(dir, img, ImageFormat.QCOW2, 5L * (1 << 20));
        try (DiskImage d = DiskImages.open(img, false)) {
            assertEquals(ImageVariant.FIXED, d.variant());
            d.write(2L << 20, TestFiles.filled(4096, 0x7e), 0, 4096);
        }
        assertQemuCheckClean(img);
        assertEquals(0x7e, QemuTools.qemuRaw(dir, img, "qcow2")[2 << 20]);
    }
}
