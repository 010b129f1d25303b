package dev.strata.storage.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.storage.StorageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link DiskImages#resize}: every format that grows keeps the data before the old end, reads zeros after it, takes
 * writes there, passes its own check and qemu-img's, and qemu-img sees the new size; shrinking, a differencing image
 * and VMDK are refused naming the file and what to do.
 */
class ImageResizeTest {
    private static final int MIB = 1 << 20;
    private static final long OLD = 5L * MIB;
    /** Past 256 MiB: a 5 MiB dynamic VHD's table must grow past its first sector, moving the blocks after it. */
    private static final long NEW = 300L * MIB;

    @TempDir
    Path dir;

    @BeforeAll
    static void needQemu() {
        QemuTools.require("ImageResizeTest");
    }

    static Stream<Arguments> growable() {
        return Stream.of(Arguments.of(ImageFormat.VDI, ImageVariant.STANDARD),
                Arguments.of(ImageFormat.VDI, ImageVariant.FIXED),
                Arguments.of(ImageFormat.VHD, ImageVariant.STANDARD),
                Arguments.of(ImageFormat.VHD, ImageVariant.FIXED),
                Arguments.of(ImageFormat.QCOW2, ImageVariant.STANDARD),
                Arguments.of(ImageFormat.QCOW2, ImageVariant.FIXED),
                Arguments.of(ImageFormat.HDD, ImageVariant.STANDARD),
                Arguments.of(ImageFormat.HDD, ImageVariant.FIXED),
                Arguments.of(ImageFormat.RAW, ImageVariant.FIXED));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("growable")
    void grownImageKeepsItsDataReadsZerosPastTheOldEndAndQemuAgrees(ImageFormat format, ImageVariant variant)
            throws Exception {
        Path img = dir.resolve("d." + format.name().toLowerCase());
        long oldSize = DiskImages.userSize(format, OLD);
        byte[] before = new byte[(int) oldSize];
        try (DiskImage d = DiskImages.create(img, format, variant, oldSize)) {
            write(d, before, 1000, TestFiles.pattern(3000, 1));
            write(d, before, MIB - 700, TestFiles.pattern(2 * MIB + 1400, 2));
            write(d, before, oldSize - 512, TestFiles.filled(512, 0x77));
        }

        long newSize = DiskImages.resize(img, format, null, NEW);
        assertEquals(DiskImages.userSize(format, NEW), newSize);

        byte[] tail = TestFiles.pattern(4096, 3);
        byte[] middle = TestFiles.pattern(70000, 4);
        try (DiskImage d = DiskImages.open(img, false, format, null)) {
            assertEquals(newSize, d.size());
            byte[] got = new byte[(int) oldSize];
            d.read(0, got, 0, got.length);
            assertArrayEquals(before, got, "the data before the old end");
            byte[] chunk = new byte[4 * MIB];
            for (long at = oldSize; at < newSize; at += chunk.length) {
                int n = (int) Math.min(chunk.length, newSize - at);
                d.read(at, chunk, 0, n);
                assertTrue(ImageBytes.allZero(chunk, 0, n), "zeros past the old end, at " + at);
            }
            d.write(newSize - tail.length, tail, 0, tail.length);
            d.write(oldSize - 512, middle, 0, middle.length);
        }
        assertFalse(ImageChecker.hasErrors(ImageChecker.check(img)), ImageChecker.check(img).toString());

        String name = QemuTools.qemuName(format);
        String info = QemuTools.run(dir, "qemu-img", "info", "-f", name, "--output=json", img.toString());
        assertTrue(info.contains("\"virtual-size\": " + newSize), info);
        QemuTools.Result check = QemuTools.exec(dir, "qemu-img", "check", "-f", name, img.toString());
        if (!check.output().contains("does not support checks")) {
            assertEquals(0, check.exit(), "qemu-img check failed:\n" + check.output());
        }
        // what qemu reads is what Strata wrote, before and after the old end
        Path raw = dir.resolve("expected.raw");
        try (DiskImage r = DiskImages.create(raw, ImageFormat.RAW, ImageVariant.FIXED, newSize)) {
            r.write(0, before, 0, before.length);
            r.write(newSize - tail.length, tail, 0, tail.length);
            r.write(oldSize - 512, middle, 0, middle.length);
        }
        String cmp = QemuTools.run(dir, "qemu-img", "compare", "-f", name, "-F", "raw", img.toString(), raw.toString());
        assertTrue(cmp.contains("identical"), cmp);
    }

    private static void write(DiskImage d, byte[] expected, long offset, byte[] data) throws IOException {
        d.write(offset, data, 0, data.length);
        System.arraycopy(data, 0, expected, (int) offset, data.length);
    }

    @Test
    void aVhdGrowsToAWholeGeometryAsQemuSizesIt() throws Exception {
        Path img = dir.resolve("g.vhd");
        DiskImages.create(img, ImageFormat.VHD, ImageVariant.STANDARD, DiskImages.userSize(ImageFormat.VHD, OLD))
                .close();
        long got = DiskImages.resize(img, ImageFormat.VHD, null, 10L * MIB);
        assertTrue(got >= 10L * MIB && got < 10L * MIB + 64 * 512 * 16, "rounded up: " + got);
        String info = QemuTools.run(dir, "qemu-img", "info", "-f", "vpc", "--output=json", img.toString());
        assertTrue(info.contains("\"virtual-size\": " + got), info);
    }

    @Test
    void aQcow2WhoseL1TableOutgrowsItsClusterGetsANewTableAndLeaksNothing() throws Exception {
        Path img = dir.resolve("big.qcow2");
        byte[] data = TestFiles.pattern(3 * MIB, 5);
        try (DiskImage d = DiskImages.create(img, ImageFormat.QCOW2, ImageVariant.STANDARD, OLD)) {
            d.write(0, data, 0, data.length);
        }
        // 64 KiB clusters: one L1 cluster maps 8192 x 512 MiB = 4 TiB
        long newSize = 5L << 40;
        DiskImages.resize(img, ImageFormat.QCOW2, null, newSize);
        try (DiskImage d = DiskImages.open(img, false, ImageFormat.QCOW2, null)) {
            byte[] got = new byte[data.length];
            d.read(0, got, 0, got.length);
            assertArrayEquals(data, got);
            d.write(newSize - 4096, data, 0, 4096);
            d.read(newSize - 4096, got, 0, 4096);
            assertArrayEquals(java.util.Arrays.copyOf(data, 4096), java.util.Arrays.copyOf(got, 4096));
        }
        assertFalse(ImageChecker.hasErrors(ImageChecker.check(img)), ImageChecker.check(img).toString());
        String check = QemuTools.run(dir, "qemu-img", "check", "-f", "qcow2", img.toString());
        assertTrue(check.contains("No errors") && !check.contains("leaked"), check);
        String info = QemuTools.run(dir, "qemu-img", "info", "-f", "qcow2", "--output=json", img.toString());
        assertTrue(info.contains("\"virtual-size\": " + newSize), info);
    }

    /**
     * qemu shrinks a disk written to its end to part of a cluster: the rest of that cluster still holds the old
     * bytes. Growing must show zeros there (qemu-img resize itself leaves them visible for a disk without a backing
     * file); plain and compressed last clusters.
     */
    @ParameterizedTest(name = "compressed {0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void aQcow2GrownFromAPartialLastClusterReadsZerosPastTheOldEnd(boolean compressed) throws Exception {
        Path img = dir.resolve("p.qcow2");
        Path full = dir.resolve("full.qcow2");
        QemuTools.run(dir, "qemu-img", "create", "-q", "-f", "qcow2", full.toString(), "6M");
        QemuTools.run(dir, "qemu-io", "-f", "qcow2", "-c", "write -P 0xab 0 6M", full.toString());
        if (compressed) {
            QemuTools.run(dir, "qemu-img", "convert", "-c", "-O", "qcow2", full.toString(), img.toString());
        } else {
            Files.move(full, img);
        }
        long oldSize = 5L * MIB + 512;
        QemuTools.run(dir, "qemu-img", "resize", "-q", "-f", "qcow2", "--shrink", img.toString(),
                Long.toString(oldSize));

        DiskImages.resize(img, ImageFormat.QCOW2, null, 8L * MIB);

        Path raw = dir.resolve("expected.raw");
        try (DiskImage r = DiskImages.create(raw, ImageFormat.RAW, ImageVariant.FIXED, 8L * MIB)) {
            r.write(0, TestFiles.filled((int) oldSize, 0xab), 0, (int) oldSize);
        }
        String cmp = QemuTools.run(dir, "qemu-img", "compare", "-f", "qcow2", "-F", "raw", img.toString(),
                raw.toString());
        assertTrue(cmp.contains("identical"), cmp);
        String check = QemuTools.run(dir, "qemu-img", "check", "-f", "qcow2", img.toString());
        assertTrue(check.contains("No errors") && !check.contains("leaked"), check);
        assertFalse(ImageChecker.hasErrors(ImageChecker.check(img)), ImageChecker.check(img).toString());
    }

    static Stream<Arguments> movingData() {
        return Stream.of(Arguments.of(ImageFormat.VDI, ImageVariant.STANDARD),
                Arguments.of(ImageFormat.VDI, ImageVariant.FIXED),
                Arguments.of(ImageFormat.HDD, ImageVariant.STANDARD),
                Arguments.of(ImageFormat.HDD, ImageVariant.FIXED));
    }

    /**
     * Past 256 GiB a VDI's block map and a Parallels catalog outgrow the 1 MiB before the data: the first blocks move
     * to make room. Filled patterns, so qemu-io can check what qemu reads without reading the whole fixed disk.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("movingData")
    void growingPastTheRoomBeforeTheDataMovesTheFirstBlocksAndQemuAgrees(ImageFormat format, ImageVariant variant)
            throws Exception {
        Path img = dir.resolve("m." + format.name().toLowerCase());
        long newSize = 300L << 30;
        try (DiskImage d = DiskImages.create(img, format, variant, OLD)) {
            d.write(0, TestFiles.filled(MIB + 512, 0x11), 0, MIB + 512);
            d.write(2L * MIB + 100, TestFiles.filled(5000, 0x22), 0, 5000);
            d.write(OLD - 512, TestFiles.filled(512, 0x33), 0, 512);
        }
        assertEquals(newSize, DiskImages.resize(img, format, null, newSize));
        try (DiskImage d = DiskImages.open(img, false, format, null)) {
            assertEquals(newSize, d.size());
            d.write(newSize - 4096, TestFiles.filled(4096, 0x44), 0, 4096);
        }
        var findings = ImageChecker.check(img);
        assertTrue(findings.stream().allMatch(f -> f.severity() == ImageFinding.Severity.INFO), findings.toString());

        String name = QemuTools.qemuName(format);
        String check = QemuTools.run(dir, "qemu-img", "check", "-f", name, img.toString());
        assertTrue(check.contains("No errors"), check);
        String info = QemuTools.run(dir, "qemu-img", "info", "-f", name, "--output=json", img.toString());
        assertTrue(info.contains("\"virtual-size\": " + newSize), info);
        String[][] reads = {{"0x11", "0", Long.toString(MIB + 512)}, {"0", Long.toString(MIB + 512), Long.toString(MIB - 512)},
                {"0x22", Long.toString(2L * MIB + 100), "5000"}, {"0x33", Long.toString(OLD - 512), "512"},
                {"0", Long.toString(OLD), Long.toString(MIB)}, {"0", Long.toString(299L << 30), Long.toString(MIB)},
                {"0x44", Long.toString(newSize - 4096), "4096"}};
        for (String[] r : reads) {
            String out = QemuTools.run(dir, "qemu-io", "-f", name, "-r", "-c",
                    "read -P " + r[0] + " " + r[1] + " " + r[2], img.toString());
            assertFalse(out.contains("Pattern verification failed"), String.join(" ", r) + ": " + out);
        }
        if (variant == ImageVariant.STANDARD) {
            Path raw = dir.resolve("expected.raw");
            try (DiskImage r = DiskImages.create(raw, ImageFormat.RAW, ImageVariant.FIXED, newSize)) {
                r.write(0, TestFiles.filled(MIB + 512, 0x11), 0, MIB + 512);
                r.write(2L * MIB + 100, TestFiles.filled(5000, 0x22), 0, 5000);
                r.write(OLD - 512, TestFiles.filled(512, 0x33), 0, 512);
                r.write(newSize - 4096, TestFiles.filled(4096, 0x44), 0, 4096);
            }
            String cmp = QemuTools.run(dir, "qemu-img", "compare", "-f", name, "-F", "raw", img.toString(),
                    raw.toString());
            assertTrue(cmp.contains("identical"), cmp);
        }
    }

    /**
     * qemu-img lays a VDI's data right after its block map, so a fixed (static) one of 128 blocks, or a dynamic one
     * written in every block, has a map that fills its room with every block index in use: nothing can move aside,
     * so the file is rewritten with room and renamed over the original. qemu reads the same data, checks it clean,
     * and no copy is left behind.
     */
    @ParameterizedTest(name = "static={0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {true, false})
    void aVdiWhoseMapFillsItsRoomWithEveryIndexInUseGrowsThroughACopy(boolean fixed) throws Exception {
        Path img = dir.resolve("q.vdi");
        QemuTools.run(dir, "qemu-img", "create", "-q", "-f", "vdi", "-o", "static=" + (fixed ? "on" : "off"),
                img.toString(), "128M");
        QemuTools.run(dir, "qemu-io", "-f", "vdi", "-c", fixed ? "write -P 0x5a 1000 3000"
                : "write -P 0x5a 0 128M", "-c", "write -P 0x11 67108864 1048576", "-c", "write -P 0x22 134213632 "
                + "4096", img.toString());
        Path raw = dir.resolve("expected.raw");
        QemuTools.run(dir, "qemu-img", "convert", "-f", "vdi", "-O", "raw", img.toString(), raw.toString());
        long newSize = 200L * MIB;
        assertEquals(newSize, DiskImages.resize(img, ImageFormat.VDI, null, newSize));
        try (DiskImage d = DiskImages.open(img, false, ImageFormat.VDI, null)) {
            assertEquals(fixed ? ImageVariant.FIXED : ImageVariant.STANDARD, d.variant());
            d.write(newSize - 4096, TestFiles.filled(4096, 0x44), 0, 4096);
        }
        try (var r = new java.io.RandomAccessFile(raw.toFile(), "rw")) {
            r.setLength(newSize);
            r.seek(newSize - 4096);
            r.write(TestFiles.filled(4096, 0x44));
        }
        String check = QemuTools.run(dir, "qemu-img", "check", "-f", "vdi", img.toString());
        assertTrue(check.contains("No errors"), check);
        String cmp = QemuTools.run(dir, "qemu-img", "compare", "-f", "vdi", "-F", "raw", img.toString(),
                raw.toString());
        assertTrue(cmp.contains("identical"), cmp);
        assertFalse(ImageChecker.hasErrors(ImageChecker.check(img)), ImageChecker.check(img).toString());
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".strata-resizing")));
        }
    }

    @Test
    void theSameSizeChangesNothing() throws Exception {
        Path img = dir.resolve("same.vdi");
        DiskImages.create(img, ImageFormat.VDI, ImageVariant.STANDARD, OLD).close();
        String hash = TestFiles.sha256(img);
        assertEquals(OLD, DiskImages.resize(img, ImageFormat.VDI, null, OLD));
        assertEquals(hash, TestFiles.sha256(img));
    }

    @Test
    void shrinkingIsRefusedAndChangesNothing() throws Exception {
        Path img = dir.resolve("s.vdi");
        DiskImages.create(img, ImageFormat.VDI, ImageVariant.STANDARD, 8L * MIB).close();
        String hash = TestFiles.sha256(img);
        StorageException e = assertThrows(StorageException.class,
                () -> DiskImages.resize(img, ImageFormat.VDI, null, 4L * MIB));
        assertTrue(e.getMessage().startsWith(img.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("shrinking from 8388608 to 4194304 bytes is refused"), e.getMessage());
        assertTrue(e.getMessage().contains("copy them onto a new, smaller disk"), e.getMessage());
        assertEquals(hash, TestFiles.sha256(img));
    }

    @Test
    void aSizeOfPartSectorsIsRefused() throws Exception {
        Path img = dir.resolve("p.vdi");
        DiskImages.create(img, ImageFormat.VDI, ImageVariant.STANDARD, OLD).close();
        StorageException e = assertThrows(StorageException.class,
                () -> DiskImages.resize(img, ImageFormat.VDI, null, 8L * MIB + 100));
        assertTrue(e.getMessage().contains("not a positive multiple of 512 bytes"), e.getMessage());
    }

    @Test
    void aDifferencingImageIsRefused() throws Exception {
        Path base = dir.resolve("base.vdi");
        Path child = dir.resolve("child.vdi");
        try (DiskImage b = DiskImages.create(base, ImageFormat.VDI, ImageVariant.STANDARD, OLD)) {
            DiskImages.createDiff(child, b).close();
        }
        String hash = TestFiles.sha256(child);
        StorageException e = assertThrows(StorageException.class,
                () -> DiskImages.resize(child, ImageFormat.VDI, null, 8L * MIB));
        assertTrue(e.getMessage().startsWith(child.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("is a differencing image"), e.getMessage());
        assertTrue(e.getMessage().contains("strata medium merge"), e.getMessage());
        assertEquals(hash, TestFiles.sha256(child));
    }

    @Test
    void aVmdkIsRefusedByName() throws Exception {
        Path img = dir.resolve("v.vmdk");
        DiskImages.create(img, ImageFormat.VMDK, ImageVariant.STANDARD, OLD).close();
        String hash = TestFiles.sha256(img);
        StorageException e = assertThrows(StorageException.class,
                () -> DiskImages.resize(img, ImageFormat.VMDK, null, 8L * MIB));
        assertTrue(e.getMessage().contains("is a VMDK image, which Strata cannot resize"), e.getMessage());
        assertTrue(e.getMessage().contains("strata medium clone"), e.getMessage());
        assertEquals(hash, TestFiles.sha256(img));
    }
}
