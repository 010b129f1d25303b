package dev.strata.storage.image.qcow2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import dev.strata.storage.image.TestFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** qcow2 images Strata makes: reads and writes, Fixed preallocation, children, zero clusters, check and repair. */
class Qcow2ImageTest {
    private static final int MIB = 1 << 20;
    private static final int CLUSTER = 64 * 1024;

    @TempDir
    Path dir;

    /**
     * A write into new space gives each run of its new clusters one place in the file and one file write, as a format
     * with 1 MiB blocks writes a MiB, whether it comes to the image or through a chain over a parent; a cluster of
     * zeros ends the run (a base stores nothing for it, a version 3 child a zero cluster).
     */
    @Test
    void aWriteIntoNewSpaceGoesToTheFileInOneWritePerRunOfNewClusters() throws Exception {
        byte[] data = TestFiles.pattern(16 * CLUSTER, 3);
        java.util.Arrays.fill(data, 5 * CLUSTER, 6 * CLUSTER, (byte) 0);
        Path base = dir.resolve("base.qcow2");
        try (Qcow2Image d = (Qcow2Image) DiskImages.create(base, ImageFormat.QCOW2, ImageVariant.STANDARD, 8L * MIB)) {
            d.write(MIB, data, 0, data.length);
            assertEquals(2, d.dataWrites(), "clusters 16-20 and 22-31 in two writes; the zeros are not stored");
            assertEquals(BlockState.UNALLOCATED, d.blockState(21));
            assertEquals(15L * CLUSTER, d.allocatedBytes());
        }
        Path child = dir.resolve("child.qcow2");
        try (DiskImage parent = DiskImages.open(base, true)) {
            DiskImages.createDiff(child, parent).close();
        }
        byte[] over = TestFiles.pattern(2 * MIB, 9);
        java.util.Arrays.fill(over, 7 * CLUSTER, 8 * CLUSTER, (byte) 0);
        try (DiskChain chain = FileChains.opener().open(child, false)) {
            chain.write(MIB / 2, over, 0, over.length);
            assertEquals(2, ((Qcow2Image) chain.top()).dataWrites(), "31 new clusters of the child in two writes");
            chain.flush();
        }
        assertFalse(ImageChecker.hasErrors(ImageChecker.check(child)), ImageChecker.check(child).toString());
        byte[] model = new byte[3 * MIB];
        System.arraycopy(data, 0, model, MIB, data.length);
        System.arraycopy(over, 0, model, MIB / 2, over.length);
        try (DiskChain chain = FileChains.opener().open(child, true)) {
            byte[] got = new byte[3 * MIB];
            chain.read(0, got, 0, got.length);
            assertArrayEquals(model, got);
        }
    }

    /**
     * A write over several clusters goes to the file in one access where the clusters lie one after another there,
     * and is split where they do not (clusters allocated out of order, a hole, a zero cluster).
     */
    @Test
    void writesOverSeveralClustersMatchAByteModelWhateverTheClustersOrderInTheFile() throws Exception {
        Path f = dir.resolve("m.qcow2");
        byte[] model = new byte[16 * CLUSTER];
        try (DiskImage d = DiskImages.create(f, ImageFormat.QCOW2, ImageVariant.STANDARD, model.length)) {
            int[] order = {5, 1, 2, 3, 9, 8, 10, 11, 12};
            for (int k = 0; k < order.length; k++) {
                byte[] data = TestFiles.filled(CLUSTER, 0x30 + k);
                d.write((long) order[k] * CLUSTER, data, 0, CLUSTER);
                System.arraycopy(data, 0, model, order[k] * CLUSTER, CLUSTER);
            }
            d.write(10L * CLUSTER, new byte[CLUSTER], 0, CLUSTER);
            System.arraycopy(new byte[CLUSTER], 0, model, 10 * CLUSTER, CLUSTER);
            byte[] span = TestFiles.pattern(14 * CLUSTER - 1000, 7);
            d.write(700, span, 0, span.length);
            System.arraycopy(span, 0, model, 700, span.length);
            assertArrayEquals(model, readAll(d));
        }
        assertFalse(ImageChecker.hasErrors(ImageChecker.check(f)), ImageChecker.check(f).toString());
        try (DiskImage d = DiskImages.open(f, true)) {
            assertArrayEquals(model, readAll(d), "after reopening");
        }
    }

    private static byte[] readAll(DiskImage d) throws IOException {
        byte[] b = new byte[(int) d.size()];
        d.read(0, b, 0, b.length);
        return b;
    }

    @Test
    void randomWritesReadBackAfterReopening() throws Exception {
        Path p = dir.resolve("a.qcow2");
        byte[] expected = new byte[8 * MIB];
        Random r = new Random(7);
        try (DiskImage d = DiskImages.create(p, ImageFormat.QCOW2, ImageVariant.STANDARD, expected.length)) {
            assertEquals(ImageFormat.QCOW2, d.format());
            assertEquals(ImageVariant.STANDARD, d.variant());
            assertEquals(CLUSTER, d.blockSize());
            assertEquals(0, d.allocatedBytes());
            for (int i = 0; i < 200; i++) {
                int len = 1 + r.nextInt(200_000);
                int off = r.nextInt(expected.length - len);
                byte[] data = TestFiles.pattern(len, i);
                d.write(off, data, 0, len);
                System.arraycopy(data, 0, expected, off, len);
            }
            assertArrayEquals(expected, readAll(d));
        }
        try (DiskImage d = DiskImages.open(p, true)) {
            assertArrayEquals(expected, readAll(d));
            assertEquals(ImageFormat.QCOW2, d.format());
        }
        List<ImageFinding> findings = ImageChecker.check(p);
        assertFalse(ImageChecker.hasErrors(findings), findings.toString());
        assertTrue(findings.stream().noneMatch(f -> f.severity() == ImageFinding.Severity.WARNING), findings.toString());
        assertTrue(findings.get(findings.size() - 1).message().startsWith("QCOW2 version 3 (compat 1.1), 8388608 bytes"),
                findings.toString());
    }

    @Test
    void aPartialWriteZeroFillsTheRestOfItsNewCluster() throws Exception {
        try (DiskImage d = DiskImages.create(dir.resolve("p.qcow2"), ImageFormat.QCOW2, ImageVariant.STANDARD, MIB)) {
            d.write(CLUSTER + 100, TestFiles.filled(10, 0x55), 0, 10);
            assertEquals(BlockState.UNALLOCATED, d.blockState(0));
            assertEquals(BlockState.ALLOCATED, d.blockState(1));
            assertEquals(CLUSTER, d.allocatedBytes());
            byte[] cluster = new byte[CLUSTER];
            d.read(CLUSTER, cluster, 0, CLUSTER);
            byte[] want = new byte[CLUSTER];
            System.arraycopy(TestFiles.filled(10, 0x55), 0, want, 100, 10);
            assertArrayEquals(want, cluster);
        }
    }

    @Test
    void fixedImagesPreallocateEveryClusterAndReadZeros() throws Exception {
        Path p = dir.resolve("f.qcow2");
        try (DiskImage d = DiskImages.create(p, ImageFormat.QCOW2, ImageVariant.FIXED, 3 * MIB)) {
            assertEquals(ImageVariant.FIXED, d.variant());
            for (long b = 0; b < d.blockCount(); b++) {
                assertEquals(BlockState.ALLOCATED, d.blockState(b));
            }
            assertArrayEquals(new byte[3 * MIB], readAll(d));
            long before = Files.size(p);
            d.write(MIB, TestFiles.filled(4096, 9), 0, 4096);
            assertEquals(before, Files.size(p), "a Fixed image writes in place");
        }
        assertFalse(ImageChecker.hasErrors(ImageChecker.check(p)), ImageChecker.check(p).toString());
    }

    @Test
    void aChildOverAVdiRecordsItsBackingFileAndReadsThroughIt() throws Exception {
        Path base = dir.resolve("base.vdi");
        Path child = dir.resolve("child.qcow2");
        try (DiskImage b = DiskImages.create(base, ImageFormat.VDI, ImageVariant.STANDARD, 2 * MIB)) {
            b.write(0, TestFiles.filled(2 * MIB, 0x11), 0, 2 * MIB);
            try (DiskImage c = DiskImages.createDiff(child, b, ImageFormat.QCOW2)) {
                Qcow2Image q = (Qcow2Image) c;
                assertEquals(ImageVariant.DIFF, c.variant());
                assertEquals(b.uuid(), c.parentUuid());
                assertEquals("base.vdi", c.parentPathHint());
                assertEquals("vdi", q.backingFormat());
                assertEquals(3, q.version());
            }
        }
        try (DiskChain chain = FileChains.opener().open(child, false)) {
            chain.write(100, TestFiles.filled(10, 0x22), 0, 10);
            chain.write(CLUSTER, new byte[CLUSTER], 0, CLUSTER);
        }
        try (DiskImage c = DiskImages.open(child, true)) {
            assertEquals(BlockState.ALLOCATED, c.blockState(0));
            assertEquals(BlockState.ZERO, c.blockState(1), "a cluster of zeros over a parent is a zero cluster");
            assertEquals(BlockState.UNALLOCATED, c.blockState(2));
        }
        byte[] want = TestFiles.filled(2 * MIB, 0x11);
        System.arraycopy(TestFiles.filled(10, 0x22), 0, want, 100, 10);
        System.arraycopy(new byte[CLUSTER], 0, want, CLUSTER, CLUSTER);
        try (DiskChain chain = FileChains.opener().open(child, true)) {
            assertArrayEquals(want, readAll(chain));
        }
    }

    @Test
    void aMergedAwayParentLeavesTheChildABaseImage() throws Exception {
        Path base = dir.resolve("b.qcow2");
        Path child = dir.resolve("c.qcow2");
        try (DiskImage b = DiskImages.create(base, ImageFormat.QCOW2, ImageVariant.STANDARD, MIB);
             DiskImage c = DiskImages.createDiff(child, b)) {
            assertEquals(ImageFormat.QCOW2, c.format());
            c.setParentUuid(null);
            assertNull(c.parentUuid());
        }
        try (DiskImage c = DiskImages.open(child, true)) {
            assertEquals(ImageVariant.STANDARD, c.variant());
            assertNull(((Qcow2Image) c).backingFile());
        }
    }

    @Test
    void aLeakedClusterIsReportedAndRepairGivesItBack() throws Exception {
        Path p = dir.resolve("leak.qcow2");
        try (DiskImage d = DiskImages.create(p, ImageFormat.QCOW2, ImageVariant.STANDARD, MIB)) {
            d.write(0, TestFiles.filled(512, 1), 0, 512);
        }
        // what a write killed after counting its new cluster leaves: a refcount and nothing that uses it
        long clusters = Files.size(p) / CLUSTER;
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(2).putShort(0, (short) 1), 2 * CLUSTER + 2 * clusters);
        }
        List<ImageFinding> findings = ImageChecker.check(p);
        assertFalse(ImageChecker.hasErrors(findings), findings.toString());
        assertTrue(findings.toString().contains("1 leaked clusters"), findings.toString());
        List<ImageFinding> done = ImageChecker.repair(p);
        assertTrue(done.toString().contains("1 leaked clusters given back"), done.toString());
        assertFalse(ImageChecker.check(p).toString().contains("leaked"), ImageChecker.check(p).toString());
    }

    @Test
    void aRefcountBelowItsUsesIsCorruptionThatRepairRefuses() throws Exception {
        Path p = dir.resolve("low.qcow2");
        try (DiskImage d = DiskImages.create(p, ImageFormat.QCOW2, ImageVariant.STANDARD, MIB)) {
            d.write(0, TestFiles.filled(512, 1), 0, 512);
        }
        long dataCluster = Files.size(p) / CLUSTER - 1;
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(2), 2 * CLUSTER + 2 * dataCluster);
        }
        String before = TestFiles.sha256(p);
        List<ImageFinding> findings = ImageChecker.check(p);
        assertTrue(ImageChecker.hasErrors(findings), findings.toString());
        assertTrue(findings.toString().contains("refcount of cluster " + dataCluster), findings.toString());
        StorageException e = assertThrows(StorageException.class, () -> ImageChecker.repair(p));
        assertTrue(e.getMessage().contains("cannot be repaired"), e.getMessage());
        assertEquals(before, TestFiles.sha256(p));
    }

    @Test
    void readOnlyImagesRefuseWrites() throws Exception {
        Path p = dir.resolve("ro.qcow2");
        DiskImages.create(p, ImageFormat.QCOW2, ImageVariant.STANDARD, MIB).close();
        try (DiskImage d = DiskImages.open(p, true)) {
            StorageException e = assertThrows(StorageException.class, () -> d.write(0, new byte[512], 0, 512));
            assertTrue(e.getMessage().contains("read-only"), e.getMessage());
        }
    }
}
