package dev.strata.storage.image.vhd;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** VHD images Strata makes: sizes and geometry, fixed layout, dynamic blocks, differencing links, crash leftovers. */
class VhdImageTest {
    private static final int MIB = 1 << 20;

    @TempDir
    Path dir;

    private static byte[] footerAtEnd(Path f) throws IOException {
        byte[] all = Files.readAllBytes(f);
        return java.util.Arrays.copyOfRange(all, all.length - 512, all.length);
    }

    @Test
    void geometryFollowsTheSpecification() {
        assertEquals(new VhdGeometry(150, 4, 17), VhdGeometry.of(10240));
        assertEquals(new VhdGeometry(1024, 16, 63), VhdGeometry.of(1024L * 16 * 63));
        assertEquals(new VhdGeometry(65535, 16, 255), VhdGeometry.of(1L << 40));
        assertEquals(151L * 4 * 17 * 512, VhdGeometry.roundUp(5L * MIB));
        assertEquals(241L * 4 * 17 * 512, VhdGeometry.roundUp(241L * 4 * 17 * 512));
        assertEquals(200L << 30, VhdGeometry.roundUp(200L << 30));
    }

    @Test
    void newDynamicImageIsSizedToItsGeometryAndKeepsWhatIsWritten() throws Exception {
        Path f = dir.resolve("d.vhd");
        byte[] data = TestFiles.pattern(3 * MIB, 5);
        try (DiskImage d = DiskImages.create(f, ImageFormat.VHD, ImageVariant.STANDARD,
                DiskImages.userSize(ImageFormat.VHD, 5L * MIB))) {
            assertEquals(151L * 4 * 17 * 512, d.size());
            assertEquals(2 * MIB, d.blockSize());
            assertEquals("151/4/17 (cylinders/heads/sectors)", d.details().get("Geometry"));
            d.write(1000, data, 0, data.length);
            d.write(d.size() - 512, TestFiles.filled(512, 0x77), 0, 512);
            d.write(4L * MIB, new byte[4096], 0, 4096);
        }
        assertEquals(ImageFormat.VHD, DiskImages.detect(f));
        assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(f));
        byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(f), 512);
        assertArrayEquals(head, footerAtEnd(f), "the footer copy at 0 equals the footer at the end");
        try (DiskImage d = DiskImages.open(f, true)) {
            assertEquals(ImageVariant.STANDARD, d.variant());
            byte[] back = new byte[data.length];
            d.read(1000, back, 0, back.length);
            assertArrayEquals(data, back);
            byte[] last = new byte[512];
            d.read(d.size() - 512, last, 0, 512);
            assertArrayEquals(TestFiles.filled(512, 0x77), last);
            assertEquals(BlockState.ALLOCATED, d.blockState(0));
            assertEquals(BlockState.ALLOCATED, d.blockState(1));
            assertEquals(BlockState.ALLOCATED, d.blockState(2));
            assertEquals(3L * 2 * MIB, d.allocatedBytes(), "zeros written to an empty block allocate nothing");
        }
        List<ImageFinding> check = ImageChecker.check(f);
        assertFalse(ImageChecker.hasErrors(check), check.toString());
        assertTrue(check.toString().contains("3 of 3 blocks allocated"), check.toString());
    }

    @Test
    void aSizeGivenExactlyIsKeptWithTheGeometryBelowIt() throws Exception {
        try (DiskImage d = DiskImages.create(dir.resolve("x.vhd"), ImageFormat.VHD, ImageVariant.STANDARD, 5L * MIB)) {
            assertEquals(5L * MIB, d.size());
            assertEquals("150/4/17 (cylinders/heads/sectors); covers 5222400 bytes, less than the footer's current "
                    + "size, which Strata (as VirtualBox) takes as the disk's size", d.details().get("Geometry"));
        }
    }

    @Test
    void fixedImageIsTheSectorsThenTheFooter() throws Exception {
        Path f = dir.resolve("f.vhd");
        long size;
        try (DiskImage d = DiskImages.create(f, ImageFormat.VHD, ImageVariant.FIXED, 2L * MIB)) {
            size = d.size();
            assertEquals(ImageVariant.FIXED, d.variant());
            d.write(MIB, TestFiles.filled(512, 0x5a), 0, 512);
        }
        assertEquals(size + 512, Files.size(f));
        byte[] all = Files.readAllBytes(f);
        assertEquals(0x5a, all[MIB] & 0xFF);
        assertEquals("conectix", new String(all, (int) size, 8, java.nio.charset.StandardCharsets.ISO_8859_1));
        try (DiskImage d = DiskImages.open(f, true)) {
            assertEquals(size, d.allocatedBytes());
            assertEquals("fixed", d.details().get("VHD type"));
        }
    }

    @Test
    void differencingChildLinksByUuidTimestampAndLocatorsAndReadsThrough() throws Exception {
        Path base = dir.resolve("base.vhd");
        Path child = dir.resolve("child.vhd");
        try (DiskImage b = DiskImages.create(base, ImageFormat.VHD, ImageVariant.STANDARD, 4L * MIB)) {
            b.write(0, TestFiles.filled(MIB, 0x11), 0, MIB);
        }
        try (DiskImage b = DiskImages.open(base, true); DiskImage c = DiskImages.createDiff(child, b)) {
            assertEquals(ImageFormat.VHD, c.format());
            assertEquals(ImageVariant.DIFF, c.variant());
            assertEquals(b.uuid(), c.parentUuid());
            assertEquals("base.vhd", c.parentPathHint());
            assertEquals("base.vhd", c.details().get("Parent name"));
            assertTrue(c.details().get("Parent locators").contains(base.toString()), c.details().toString());
        }
        try (DiskChain chain = FileChains.opener().open(child, false)) {
            chain.write(512, TestFiles.filled(512, 0x22), 0, 512);
        }
        try (DiskImage b = DiskImages.open(base, true); DiskChain chain = FileChains.opener().open(child, true)) {
            byte[] one = new byte[1024];
            chain.read(0, one, 0, 1024);
            assertEquals(0x11, one[0]);
            assertEquals(0x22, one[512]);
            b.read(512, one, 0, 1);
            assertEquals(0x11, one[0], "the base is untouched");
        }
        assertFalse(ImageChecker.hasErrors(ImageChecker.check(child)), ImageChecker.check(child).toString());
    }

    @Test
    void childInAnotherFolderFindsItsParentThroughTheRelativeLocator() throws Exception {
        Files.createDirectories(dir.resolve("a"));
        Files.createDirectories(dir.resolve("b"));
        Path base = dir.resolve("a/base.vhd");
        Path child = dir.resolve("b/child.vhd");
        DiskImages.create(base, ImageFormat.VHD, ImageVariant.STANDARD, MIB).close();
        try (DiskImage b = DiskImages.open(base, true); DiskImage c = DiskImages.createDiff(child, b)) {
            assertEquals("../a/base.vhd", c.parentPathHint());
        }
        try (DiskChain chain = FileChains.opener().open(child, true)) {
            assertEquals(2, chain.depth());
        }
    }

    @Test
    void aParentWhoseTimestampChangedIsRefused() throws Exception {
        Path base = dir.resolve("base.vhd");
        Path child = dir.resolve("child.vhd");
        DiskImages.create(base, ImageFormat.VHD, ImageVariant.STANDARD, MIB).close();
        try (DiskImage b = DiskImages.open(base, true)) {
            DiskImages.createDiff(child, b).close();
        }
        VhdFooter f = VhdFooter.decode(footerAtEnd(base));
        VhdFooter changed = new VhdFooter(f.features(), f.version(), f.dataOffset(), f.timestamp() + 60,
                f.creatorApp(), f.creatorVersion(), f.creatorOs(), f.originalSize(), f.currentSize(), f.cylinders(),
                f.heads(), f.sectorsPerTrack(), f.diskType(), 0, f.uuid(), 0).withChecksum();
        try (FileChannel ch = FileChannel.open(base, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(changed.encode()), Files.size(base) - 512);
            ch.write(ByteBuffer.wrap(changed.encode()), 0);
        }
        StorageException e = assertThrows(StorageException.class, () -> FileChains.opener().open(child, true));
        assertTrue(e.getMessage().contains("parent time stamp") && e.getMessage().contains("0x238"), e.getMessage());
    }

    @Test
    void rePointingAChildRecordsTheNewParentsNameAndTimestamp() throws Exception {
        Path base = dir.resolve("base.vhd");
        Path other = dir.resolve("other.vhd");
        Path child = dir.resolve("child.vhd");
        DiskImages.create(base, ImageFormat.VHD, ImageVariant.STANDARD, MIB).close();
        DiskImages.create(other, ImageFormat.VHD, ImageVariant.STANDARD, MIB).close();
        try (DiskImage b = DiskImages.open(base, true)) {
            DiskImages.createDiff(child, b).close();
        }
        try (DiskImage o = DiskImages.open(other, true); DiskImage c = DiskImages.open(child, false)) {
            c.setParent(o);
        }
        try (DiskImage o = DiskImages.open(other, true); DiskImage c = DiskImages.open(child, true)) {
            assertEquals(o.uuid(), c.parentUuid());
            assertEquals("other.vhd", c.parentPathHint());
            c.checkParent(o);
        }
    }

    @Test
    void anAllocationCutShortBeforeTheFooterOpensFromTheCopyAndRepairWritesItBack() throws Exception {
        Path f = dir.resolve("crash.vhd");
        try (DiskImage d = DiskImages.create(f, ImageFormat.VHD, ImageVariant.STANDARD, 4L * MIB)) {
            d.write(0, TestFiles.filled(4096, 0x42), 0, 4096);
        }
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 512);
        }
        try (DiskImage d = DiskImages.open(f, false)) {
            byte[] b = new byte[4096];
            d.read(0, b, 0, 4096);
            assertArrayEquals(TestFiles.filled(4096, 0x42), b);
        }
        List<ImageFinding> check = ImageChecker.check(f);
        assertFalse(ImageChecker.hasErrors(check), check.toString());
        assertTrue(check.toString().contains("WARNING: footer"), check.toString());
        List<ImageFinding> done = ImageChecker.repair(f);
        assertEquals(1, done.size(), done.toString());
        assertFalse(ImageChecker.check(f).toString().contains("WARNING"), ImageChecker.check(f).toString());
        try (DiskImage d = DiskImages.open(f, false)) {
            d.write(3L * MIB, TestFiles.filled(512, 0x43), 0, 512);
        }
        try (DiskImage d = DiskImages.open(f, true)) {
            byte[] b = new byte[512];
            d.read(3L * MIB, b, 0, 512);
            assertArrayEquals(TestFiles.filled(512, 0x43), b);
            d.read(0, b, 0, 512);
            assertArrayEquals(TestFiles.filled(512, 0x42), b);
        }
    }

    @Test
    void aBaseImageHasNoParent() throws Exception {
        try (DiskImage d = DiskImages.create(dir.resolve("x.vhd"), ImageFormat.VHD, ImageVariant.STANDARD, MIB)) {
            assertNull(d.parentUuid());
            assertNull(d.parentPathHint());
            assertThrows(StorageException.class, () -> d.setParentUuid(java.util.UUID.randomUUID()));
        }
    }
}
