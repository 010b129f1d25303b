package dev.strata.storage.image.vmdk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.storage.chain.DiskChain;
import dev.strata.storage.chain.FileChains;
import dev.strata.storage.image.BlockState;
import dev.strata.storage.image.DiskImage;
import dev.strata.storage.image.DiskImages;
import dev.strata.storage.image.ImageChecker;
import dev.strata.storage.image.ImageFormat;
import dev.strata.storage.image.ImageVariant;
import dev.strata.storage.image.QemuTools;
import dev.strata.storage.image.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Round trips with QEMU's VMDK driver: every subformat qemu-img makes reads the same in Strata, qemu-made chains open
 * in Strata, and images Strata makes (base and differencing) pass {@code qemu-img check} and compare equal.
 */
class VmdkQemuInteropTest {
    private static final int MIB = 1 << 20;

    @TempDir
    Path dir;

    @BeforeAll
    static void needQemu() {
        QemuTools.require("VmdkQemuInteropTest");
    }

    private String run(String... cmd) throws Exception {
        return QemuTools.run(dir, cmd);
    }

    private byte[] qemuRaw(Path img) throws Exception {
        return QemuTools.qemuRaw(dir, img, null);
    }

    /** qemu-img creates the subformat, qemu-io writes three patterns, Strata must read what qemu converts to raw. */
    private Path qemuWrittenReadsTheSame(String subformat, boolean write) throws Exception {
        Path img = dir.resolve("q.vmdk");
        run("qemu-img", "create", "-q", "-f", "vmdk", "-o", "subformat=" + subformat, img.toString(), "5M");
        if (write) {
            QemuTools.qemuWritesThreePatterns(dir, img, "vmdk", 2094592);
        }
        QemuTools.strataReadsWhatQemuReads(dir, img, ImageFormat.VMDK, 5L * MIB);
        return img;
    }

    @Test
    void qemuMonolithicSparseReadsTheSame() throws Exception {
        Path img = qemuWrittenReadsTheSame("monolithicSparse", true);
        try (DiskImage d = DiskImages.open(img, true)) {
            assertEquals(ImageVariant.STANDARD, d.variant());
            assertEquals(64 * 1024, d.blockSize());
            assertEquals(BlockState.ALLOCATED, d.blockState(0));
            assertEquals(BlockState.UNALLOCATED, d.blockState(1));
            assertEquals(BlockState.ALLOCATED, d.blockState(48));
            assertEquals(1 + 1 + 16, countAllocated(d));
        }
    }

    private static int countAllocated(DiskImage d) {
        int n = 0;
        for (long b = 0; b < d.blockCount(); b++) {
            n += d.blockState(b) == BlockState.ALLOCATED ? 1 : 0;
        }
        return n;
    }

    @Test
    void qemuMonolithicFlatReadsTheSame() throws Exception {
        Path img = qemuWrittenReadsTheSame("monolithicFlat", true);
        try (DiskImage d = DiskImages.open(img, true)) {
            assertEquals(ImageVariant.FIXED, d.variant());
        }
    }

    @Test
    void qemuTwoGbMaxExtentSparseReadsTheSame() throws Exception {
        qemuWrittenReadsTheSame("twoGbMaxExtentSparse", true);
    }

    @Test
    void qemuTwoGbMaxExtentFlatReadsTheSame() throws Exception {
        qemuWrittenReadsTheSame("twoGbMaxExtentFlat", true);
    }

    /** qemu-img makes a split disk of several extents, Strata writes across them, qemu must agree byte for byte. */
    private void strataWritesQemuSplitDisk(String subformat) throws Exception {
        Path img = dir.resolve("split.vmdk");
        run("qemu-img", "create", "-q", "-f", "vmdk", "-o", "subformat=" + subformat, img.toString(), "5G");
        long[] offsets = {0, 2048L * MIB - 256, 4096L * MIB - 100, 5L * 1024 * MIB - 512}; // two cross extents
        try (DiskImage d = DiskImages.open(img, false)) {
            for (int i = 0; i < offsets.length; i++) {
                d.write(offsets[i], TestFiles.filled(512, 0x30 + i), 0, 512);
            }
        }
        String check = run("qemu-img", "check", img.toString());
        assertTrue(check.contains("No errors") || subformat.endsWith("Flat"), check);
        for (int i = 0; i < offsets.length; i++) {
            String read = run("qemu-io", "-f", "vmdk", "-c", "read -P 0x" + Integer.toHexString(0x30 + i) + " "
                    + offsets[i] + " 512", img.toString());
            assertFalse(read.contains("Pattern verification failed"), read);
        }
        try (DiskImage d = DiskImages.open(img, true)) {
            byte[] b = new byte[512];
            d.read(offsets[1], b, 0, 512);
            assertArrayEquals(TestFiles.filled(512, 0x31), b);
        }
        try (var files = Files.list(dir)) {
            assertTrue(files.filter(f -> f.getFileName().toString().startsWith("split-")).count() >= 3);
        }
    }

    @Test
    void strataWritesAcrossTheExtentsOfAQemuTwoGbMaxExtentSparseDisk() throws Exception {
        strataWritesQemuSplitDisk("twoGbMaxExtentSparse");
    }

    @Test
    void strataWritesAcrossTheExtentsOfAQemuTwoGbMaxExtentFlatDisk() throws Exception {
        strataWritesQemuSplitDisk("twoGbMaxExtentFlat");
    }

    @Test
    void qemuStreamOptimizedReadsTheSameAndRefusesWrites() throws Exception {
        Path src = dir.resolve("src.raw");
        byte[] data = new byte[5 * MIB];
        System.arraycopy(TestFiles.pattern(300_000, 7), 0, data, 100_000, 300_000);
        System.arraycopy(TestFiles.filled(4096, 0x3c), 0, data, 4 * MIB, 4096);
        Files.write(src, data);
        Path img = dir.resolve("s.vmdk");
        run("qemu-img", "convert", "-O", "vmdk", "-o", "subformat=streamOptimized", src.toString(), img.toString());
        try (DiskImage d = DiskImages.open(img, true)) {
            assertArrayEquals(data, QemuTools.readAll(d));
            assertEquals(BlockState.UNALLOCATED, d.blockState(10));
        }
        assertFalse(ImageChecker.hasErrors(ImageChecker.check(img)), ImageChecker.check(img).toString());
        var e = org.junit.jupiter.api.Assertions.assertThrows(dev.strata.storage.StorageException.class,
                () -> DiskImages.open(img, false));
        assertTrue(e.getMessage().contains("stream-optimized"), e.getMessage());
    }

    /**
     * Strata makes a split disk of three extents (2 GiB, 2 GiB, 3 MiB) and writes across both joins; qemu-img reads
     * it as that createType, finds it clean and equal to a raw file written the same way.
     */
    private void strataMadeSplitDiskPassesQemu(ImageVariant variant, String createType, String extentLetter)
            throws Exception {
        long size = 4096L * MIB + 3 * MIB;
        Path img = dir.resolve("made.vmdk");
        Path raw = dir.resolve("expected.raw");
        long[] offsets = {1000, 2048L * MIB - 300, 4096L * MIB - 200, size - 512};
        try (DiskImage d = DiskImages.create(img, ImageFormat.VMDK, variant, size);
             var r = new java.io.RandomAccessFile(raw.toFile(), "rw")) {
            assertEquals(variant, d.variant());
            r.setLength(size);
            for (int i = 0; i < offsets.length; i++) {
                byte[] b = TestFiles.pattern(600 - (i == 3 ? 88 : 0), i + 1);
                d.write(offsets[i], b, 0, b.length);
                r.seek(offsets[i]);
                r.write(b);
            }
        }
        for (int n = 1; n <= 3; n++) {
            assertTrue(Files.exists(dir.resolve(String.format("made-%s%03d.vmdk", extentLetter, n))), "extent " + n);
        }
        String info = run("qemu-img", "info", "-f", "vmdk", "--output=json", img.toString());
        assertTrue(info.contains("\"create-type\": \"" + createType + "\""), info);
        assertTrue(info.contains("\"virtual-size\": " + size), info);
        var check = QemuTools.exec(dir, "qemu-img", "check", "-f", "vmdk", img.toString());
        assertEquals(0, check.exit(), check.output());
        String cmp = run("qemu-img", "compare", "-f", "vmdk", "-F", "raw", img.toString(), raw.toString());
        assertTrue(cmp.contains("identical"), cmp);
        assertFalse(ImageChecker.hasErrors(ImageChecker.check(img)), ImageChecker.check(img).toString());
        try (DiskImage d = DiskImages.open(img, true)) {
            assertEquals(variant, d.variant());
        }
    }

    @Test
    void strataMadeTwoGbMaxExtentSparsePassesQemu() throws Exception {
        strataMadeSplitDiskPassesQemu(ImageVariant.SPLIT_2G, "twoGbMaxExtentSparse", "s");
    }

    @Test
    void strataMadeTwoGbMaxExtentFlatPassesQemu() throws Exception {
        strataMadeSplitDiskPassesQemu(ImageVariant.SPLIT_2G_FIXED, "twoGbMaxExtentFlat", "f");
    }

    /**
     * A clone into a stream-optimized VMDK holds the source's data compressed (one grain table, a hole of grains, a
     * short last one); qemu-img reads it as streamOptimized, checks it clean and equal to the source; Strata reads
     * it, reports the Stream variant and refuses to open it for writing.
     */
    @Test
    void strataMadeStreamOptimizedPassesQemuAndTakesNoWrites() throws Exception {
        long size = 40L * MIB + 512;
        Path src = dir.resolve("src.vdi");
        try (DiskImage d = DiskImages.create(src, ImageFormat.VDI, ImageVariant.STANDARD, size)) {
            d.write(1000, TestFiles.pattern(300_000, 7), 0, 300_000);
            d.write(33L * MIB, TestFiles.filled(64 * 1024, 0), 0, 64 * 1024);
            d.write(34L * MIB, TestFiles.filled(4096, 0x3c), 0, 4096);
            d.write(size - 512, TestFiles.filled(512, 0x77), 0, 512);
        }
        Path img = dir.resolve("stream.vmdk");
        FileChains.clone(FileChains.opener(), src, img, ImageFormat.VMDK, ImageVariant.STREAM,
                dev.strata.storage.Progress.NONE);
        assertTrue(Files.size(img) < 1024 * 1024, "compressed: " + Files.size(img));
        String info = run("qemu-img", "info", "-f", "vmdk", "--output=json", img.toString());
        assertTrue(info.contains("\"create-type\": \"streamOptimized\""), info);
        assertTrue(info.contains("\"virtual-size\": " + size), info);
        var check = QemuTools.exec(dir, "qemu-img", "check", "-f", "vmdk", img.toString());
        assertEquals(0, check.exit(), check.output());
        String cmp = run("qemu-img", "compare", "-f", "vmdk", "-F", "vdi", img.toString(), src.toString());
        assertTrue(cmp.contains("identical"), cmp);
        assertFalse(ImageChecker.hasErrors(ImageChecker.check(img)), ImageChecker.check(img).toString());
        try (DiskImage d = DiskImages.open(img, true); DiskImage s = DiskImages.open(src, true)) {
            assertEquals(ImageVariant.STREAM, d.variant());
            assertArrayEquals(QemuTools.readAll(s), QemuTools.readAll(d));
            assertEquals(BlockState.UNALLOCATED, d.blockState(33 * 16), "the zero grain is left out");
        }
        var e = org.junit.jupiter.api.Assertions.assertThrows(dev.strata.storage.StorageException.class,
                () -> DiskImages.open(img, false));
        assertTrue(e.getMessage().contains("stream-optimized") && e.getMessage().contains("stream.vmdk"),
                e.getMessage());
    }

    /** An empty stream-optimized disk, as qemu-img create makes one: valid for qemu and opened read-only. */
    @Test
    void strataMadeEmptyStreamOptimizedDiskIsValidAndReadOnly() throws Exception {
        Path img = dir.resolve("empty.vmdk");
        try (DiskImage d = DiskImages.create(img, ImageFormat.VMDK, ImageVariant.STREAM, 3L * MIB)) {
            assertTrue(d.readOnly());
            assertArrayEquals(new byte[3 * MIB], QemuTools.readAll(d));
        }
        assertEquals(0, QemuTools.exec(dir, "qemu-img", "check", "-f", "vmdk", img.toString()).exit());
        assertArrayEquals(new byte[3 * MIB], qemuRaw(img));
    }

    private void strataWrittenPassesQemu(ImageVariant variant, long size) throws Exception {
        QemuTools.strataWrittenPassesQemu(dir, ImageFormat.VMDK, variant, size);
    }

    @Test
    void strataMonolithicSparsePassesQemuCheckAndCompare() throws Exception {
        strataWrittenPassesQemu(ImageVariant.STANDARD, 5L * MIB);
        assertTrue(run("qemu-img", "info", dir.resolve("s.vmdk").toString()).contains("monolithicSparse"));
    }

    @Test
    void strataMonolithicFlatPassesQemuCheckAndCompare() throws Exception {
        strataWrittenPassesQemu(ImageVariant.FIXED, 5L * MIB);
        assertTrue(Files.exists(dir.resolve("s-flat.vmdk")));
        assertEquals(5L * MIB, Files.size(dir.resolve("s-flat.vmdk")));
    }

    @Test
    void strataSparseWithAPartialLastGrainPassesQemu() throws Exception {
        strataWrittenPassesQemu(ImageVariant.STANDARD, 3L * MIB + 512);
    }

    @Test
    void qemuCanKeepWritingAStrataImageAndStrataReadsIt() throws Exception {
        QemuTools.qemuAndStrataTakeTurnsWriting(dir, ImageFormat.VMDK);
    }

    @Test
    void qemuMadeChainOpensInStrata() throws Exception {
        Path base = dir.resolve("base.vmdk");
        Path child = dir.resolve("child.vmdk");
        run("qemu-img", "create", "-q", "-f", "vmdk", base.toString(), "4M");
        run("qemu-io", "-f", "vmdk", "-c", "write -P 0x11 0 128k", "-c", "write -P 0x22 1M 64k", base.toString());
        run("qemu-img", "create", "-q", "-f", "vmdk", "-b", "base.vmdk", "-F", "vmdk", child.toString());
        run("qemu-io", "-f", "vmdk", "-c", "write -P 0xab 64k 64k", child.toString());
        byte[] expected = qemuRaw(child);
        try (DiskImage c = DiskImages.open(child, true)) {
            assertEquals(ImageVariant.DIFF, c.variant());
            assertEquals("base.vmdk", c.parentPathHint());
        }
        try (DiskChain chain = FileChains.opener().open(child, false)) {
            byte[] actual = new byte[(int) chain.size()];
            chain.read(0, actual, 0, actual.length);
            assertArrayEquals(expected, actual);
            chain.write(2L * MIB, TestFiles.filled(512, 0x5e), 0, 512);
            System.arraycopy(TestFiles.filled(512, 0x5e), 0, expected, 2 * MIB, 512);
        }
        assertArrayEquals(expected, qemuRaw(child));
        assertTrue(run("qemu-img", "check", child.toString()).contains("No errors"));
    }

    /**
     * qemu-img create -o zeroed_grain=on sets header flag bit 2, and qemu-io's zero writes of whole grains then store
     * grain table entry 1 ("reads as zeros") instead of a grain: in a base and in a child over a base full of data,
     * where the zero grains must hide the parent.
     */
    @Test
    void qemuZeroedGrainEntriesReadAsZerosInABaseAndOverAParent() throws Exception {
        Path base = dir.resolve("zbase.vmdk");
        Path child = dir.resolve("zchild.vmdk");
        run("qemu-img", "create", "-q", "-f", "vmdk", "-o", "zeroed_grain=on", base.toString(), "4M");
        run("qemu-io", "-f", "vmdk", "-c", "write -P 0x77 0 4M", "-c", "write -z 128k 256k", base.toString());
        run("qemu-img", "create", "-q", "-f", "vmdk", "-o", "zeroed_grain=on", "-b", "zbase.vmdk", "-F", "vmdk",
                child.toString());
        run("qemu-io", "-f", "vmdk", "-c", "write -P 0x33 1M 1M", "-c", "write -z 2M 192k", "-c",
                "write -z 1M 64k", child.toString());
        for (Path img : List.of(base, child)) {
            byte[] expected = qemuRaw(img);
            try (DiskChain chain = FileChains.opener().open(img, true)) {
                byte[] actual = new byte[(int) chain.size()];
                chain.read(0, actual, 0, actual.length);
                assertArrayEquals(expected, actual, img.toString());
            }
            assertFalse(ImageChecker.hasErrors(ImageChecker.check(img)), ImageChecker.check(img).toString());
        }
        int grain = 64 * 1024;
        try (DiskImage b = DiskImages.open(base, true); DiskImage c = DiskImages.open(child, true)) {
            assertEquals(BlockState.ZERO, b.blockState(2), "zeroed by qemu-io write -z");
            assertEquals(BlockState.ALLOCATED, b.blockState(6));
            assertEquals(BlockState.ZERO, c.blockState(2 * MIB / grain));
            assertEquals(BlockState.ZERO, c.blockState(MIB / grain));
            assertEquals(BlockState.UNALLOCATED, c.blockState(0));
        }
        byte[] seen = qemuRaw(child);
        assertEquals(0, seen[2 * MIB + 100], "the zero grain hides the parent's 0x77");
        assertEquals(0x77, seen[3 * MIB]);
    }

    @Test
    void strataChildOfAQemuBasePassesQemuAndRecordsItsParent() throws Exception {
        Path base = dir.resolve("base.vmdk");
        run("qemu-img", "create", "-q", "-f", "vmdk", base.toString(), "4M");
        run("qemu-io", "-f", "vmdk", "-c", "write -P 0x11 0 256k", base.toString());
        Path child = dir.resolve("child.vmdk");
        long parentCid;
        try (DiskImage p = DiskImages.open(base, true); DiskImage c = DiskImages.createDiff(child, p)) {
            assertEquals(ImageFormat.VMDK, c.format());
            assertEquals(p.uuid(), c.parentUuid());
            parentCid = ((VmdkImage) p).cid();
            assertEquals(parentCid, ((VmdkImage) c).parentCid());
        }
        try (DiskChain chain = FileChains.opener().open(child, false)) {
            chain.write(100_000, TestFiles.filled(1000, 0x99), 0, 1000);
        }
        byte[] expected = qemuRaw(base);
        System.arraycopy(TestFiles.filled(1000, 0x99), 0, expected, 100_000, 1000);
        String check = run("qemu-img", "check", child.toString());
        assertTrue(check.contains("No errors"), check);
        assertArrayEquals(expected, qemuRaw(child));
        String info = run("qemu-img", "info", child.toString());
        assertTrue(info.contains("backing file: base.vmdk"), info);
    }

    @Test
    void cidChangesOnTheFirstWriteAfterOpenOnly() throws Exception {
        Path img = dir.resolve("c.vmdk");
        long created;
        try (VmdkImage d = (VmdkImage) DiskImages.create(img, ImageFormat.VMDK, ImageVariant.STANDARD, MIB)) {
            created = d.cid();
            d.write(0, TestFiles.filled(512, 1), 0, 512);
            long first = d.cid();
            assertNotEquals(created, first);
            d.write(512, TestFiles.filled(512, 2), 0, 512);
            assertEquals(first, d.cid());
        }
        List<String> lines = new ArrayList<>(List.of(run("qemu-img", "info", img.toString()).split("\n")));
        assertTrue(lines.stream().anyMatch(l -> l.contains("cid:")), lines.toString());
    }
}
