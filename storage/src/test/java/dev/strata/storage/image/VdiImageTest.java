package dev.strata.storage.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.storage.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VdiImageTest {
    private static final int MIB = 1 << 20;

    @TempDir
    Path dir;

    private VdiImage createVdi(String name, ImageVariant variant, long size) throws IOException {
        return (VdiImage) DiskImages.create(dir.resolve(name), ImageFormat.VDI, variant, size);
    }

    private static int fileInt(Path f, long pos) throws IOException {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(b, pos);
            return b.getInt(0);
        }
    }

    private static void patchInt(Path f, long pos, int value) throws IOException {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, value);
            ch.write(b, pos);
        }
    }

    @Test
    void dynamicImageHeaderIsWhatVirtualBoxWrites() throws Exception {
        try (VdiImage img = createVdi("d.vdi", ImageVariant.STANDARD, 5 * MIB)) {
            VdiHeader h = img.header();
            assertEquals("<<< Oracle VM VirtualBox Disk Image >>>\n", h.fileInfo());
            assertEquals(0xBEDA107F, h.signature());
            assertEquals(0x00010001, h.version());
            assertEquals(0x190, h.headerSize());
            assertEquals(1, h.imageType());
            assertEquals(0, h.flags());
            assertEquals(MIB, h.offBlocks());
            assertEquals(2 * MIB, h.offData());
            assertEquals(512, h.legacySectorSize());
            assertEquals(512, h.lchsSectorSize());
            assertEquals(5L * MIB, h.diskSize());
            assertEquals(MIB, h.blockSize());
            assertEquals(0, h.blockExtra());
            assertEquals(5, h.blockCount());
            assertEquals(0, h.blocksAllocated());
            assertFalse(GuidBytes.isNull(h.uuidCreate()));
            assertFalse(GuidBytes.isNull(h.uuidModify()));
            assertTrue(GuidBytes.isNull(h.uuidLinkage()));
            assertEquals(h.uuidCreate(), img.uuid());
            assertNull(img.parentUuid());
            assertEquals(ImageVariant.STANDARD, img.variant());
            assertEquals(5, img.blockCount());
            assertEquals(0, img.allocatedBytes());
            for (int b = 0; b < 5; b++) {
                assertEquals(BlockState.UNALLOCATED, img.blockState(b));
            }
            assertEquals(2L * MIB, Files.size(img.path()));
            assertEquals(-1, fileInt(img.path(), MIB + 4 * 4));
            byte[] buf = TestFiles.filled(4096, 9);
            img.read(4 * MIB, buf, 0, 4096);
            assertArrayEquals(new byte[4096], buf);
        }
    }

    @Test
    void uuidIsStoredInVirtualBoxByteOrder() throws Exception {
        try (VdiImage img = createVdi("d.vdi", ImageVariant.STANDARD, MIB)) {
            byte[] onDisk = new byte[16];
            try (FileChannel ch = FileChannel.open(img.path(), StandardOpenOption.READ)) {
                ch.read(ByteBuffer.wrap(onDisk), 0x188);
            }
            String s = img.uuid().toString().replace("-", "");
            // time_low is stored least significant byte first
            assertEquals(s.substring(6, 8), String.format("%02x", onDisk[0]));
            assertEquals(s.substring(0, 2), String.format("%02x", onDisk[3]));
            assertEquals(s.substring(16, 18), String.format("%02x", onDisk[8]));
        }
    }

    @Test
    void fixedImagePreallocatesEveryBlockInOrder() throws Exception {
        try (VdiImage img = createVdi("f.vdi", ImageVariant.FIXED, 3 * MIB + 512)) {
            VdiHeader h = img.header();
            assertEquals(2, h.imageType());
            assertEquals(4, h.blockCount());
            assertEquals(4, h.blocksAllocated());
            assertEquals(3L * MIB + 512, img.size());
            assertEquals(4L * MIB, img.allocatedBytes());
            for (int b = 0; b < 4; b++) {
                assertEquals(BlockState.ALLOCATED, img.blockState(b));
                assertEquals(b, fileInt(img.path(), h.offBlocks() + 4 * b));
            }
            assertEquals(h.offData() + 4L * MIB, Files.size(img.path()));
            byte[] data = TestFiles.pattern(700, 3);
            img.write(3 * MIB + 512 - 700, data, 0, 700);
            byte[] back = new byte[700];
            img.read(3 * MIB + 512 - 700, back, 0, 700);
            assertArrayEquals(data, back);
            assertEquals(h.offData() + 4L * MIB, Files.size(img.path()));
        }
    }

    @Test
    void writeAcrossABlockBoundaryAllocatesBothBlocksAndSurvivesReopen() throws Exception {
        Path f;
        byte[] data = TestFiles.pattern(3000, 5);
        try (VdiImage img = createVdi("d.vdi", ImageVariant.STANDARD, 4 * MIB)) {
            f = img.path();
            img.write(MIB - 1000, data, 0, data.length);
            assertEquals(BlockState.ALLOCATED, img.blockState(0));
            assertEquals(BlockState.ALLOCATED, img.blockState(1));
            assertEquals(BlockState.UNALLOCATED, img.blockState(2));
            assertEquals(2L * MIB, img.allocatedBytes());
        }
        try (VdiImage img = VdiImage.open(f, true)) {
            assertEquals(2, img.header().blocksAllocated());
            byte[] back = new byte[3000];
            img.read(MIB - 1000, back, 0, 3000);
            assertArrayEquals(data, back);
            byte[] rest = TestFiles.filled(MIB - 1000, 1);
            img.read(0, rest, 0, rest.length);
            assertArrayEquals(new byte[MIB - 1000], rest);
            byte[] after = TestFiles.filled(MIB - 2000, 1);
            img.read(MIB + 2000, after, 0, after.length);
            assertArrayEquals(new byte[MIB - 2000], after);
            assertEquals(List.of(), ImageChecker.check(f).stream()
                    .filter(x -> x.severity() != ImageFinding.Severity.INFO).toList());
        }
        assertEquals(2L * MIB + 2L * MIB, Files.size(f));
    }

    @Test
    void blocksAreAllocatedInWriteOrder() throws Exception {
        try (VdiImage img = createVdi("d.vdi", ImageVariant.STANDARD, 4 * MIB)) {
            img.write(3L * MIB, TestFiles.filled(512, 3), 0, 512);
            img.write(1L * MIB, TestFiles.filled(512, 1), 0, 512);
            long offBlocks = img.header().offBlocks();
            assertEquals(0, fileInt(img.path(), offBlocks + 12));
            assertEquals(1, fileInt(img.path(), offBlocks + 4));
            assertEquals(-1, fileInt(img.path(), offBlocks));
            byte[] b = new byte[512];
            img.read(3L * MIB, b, 0, 512);
            assertArrayEquals(TestFiles.filled(512, 3), b);
        }
    }

    @Test
    void zerosWrittenToAnUnallocatedBaseBlockStayUnallocated() throws Exception {
        try (VdiImage img = createVdi("d.vdi", ImageVariant.STANDARD, 2 * MIB)) {
            img.write(0, new byte[MIB], 0, MIB);
            assertEquals(BlockState.UNALLOCATED, img.blockState(0));
            assertEquals(2L * MIB, Files.size(img.path()));
        }
    }

    @Test
    void zerosWrittenToADiffAllocateBecauseTheParentShowsThrough() throws Exception {
        try (VdiImage base = createVdi("b.vdi", ImageVariant.STANDARD, 2 * MIB);
             VdiImage diff = (VdiImage) DiskImages.createDiff(dir.resolve("c.vdi"), base)) {
            diff.write(0, new byte[4096], 0, 4096);
            assertEquals(BlockState.ALLOCATED, diff.blockState(0));
        }
    }

    @Test
    void diffRecordsItsParentsUuids() throws Exception {
        Path c = dir.resolve("c.vdi");
        UUID parentUuid;
        UUID parentModify;
        try (VdiImage base = createVdi("b.vdi", ImageVariant.STANDARD, 3 * MIB + 1024);
             VdiImage diff = (VdiImage) DiskImages.createDiff(c, base)) {
            parentUuid = base.uuid();
            parentModify = base.modificationUuid();
            assertEquals(ImageVariant.DIFF, diff.variant());
            assertEquals(4, diff.header().imageType());
            assertEquals(base.size(), diff.size());
            assertEquals(parentUuid, diff.parentUuid());
            assertEquals(parentModify, diff.parentModificationUuid());
            assertNotEquals(parentUuid, diff.uuid());
        }
        try (VdiImage diff = VdiImage.open(c, true)) {
            assertEquals(parentUuid, diff.header().uuidLinkage());
            assertEquals(parentModify, diff.header().uuidParentModify());
        }
    }

    @Test
    void setParentUuidRewritesTheLinkDurably() throws Exception {
        Path c = dir.resolve("c.vdi");
        UUID other = UUID.randomUUID();
        byte[] data = TestFiles.pattern(1000, 8);
        try (VdiImage base = createVdi("b.vdi", ImageVariant.STANDARD, 2 * MIB);
             VdiImage diff = (VdiImage) DiskImages.createDiff(c, base)) {
            diff.write(10, data, 0, data.length);
            diff.setParentUuid(other);
            assertEquals(other, diff.parentUuid());
            StorageException e = assertThrows(StorageException.class, () -> base.setParentUuid(other));
            assertTrue(e.getMessage().contains("differencing"), e.getMessage());
        }
        try (VdiImage diff = VdiImage.open(c, true)) {
            assertEquals(other, diff.parentUuid());
            byte[] back = new byte[1000];
            diff.read(10, back, 0, 1000);
            assertArrayEquals(data, back);
        }
    }

    @Test
    void modificationUuidChangesAtTheFirstWriteOnly() throws Exception {
        try (VdiImage img = createVdi("d.vdi", ImageVariant.STANDARD, 2 * MIB)) {
            UUID first = img.modificationUuid();
            byte[] b = new byte[512];
            img.read(0, b, 0, 512);
            assertEquals(first, img.modificationUuid());
            img.write(0, TestFiles.filled(512, 1), 0, 512);
            UUID second = img.modificationUuid();
            assertNotEquals(first, second);
            img.write(512, TestFiles.filled(512, 1), 0, 512);
            assertEquals(second, img.modificationUuid());
            try (VdiImage again = VdiImage.open(img.path(), true)) {
                assertEquals(second, again.modificationUuid());
            }
        }
    }

    @Test
    void readOnlyOpenRefusesWritesAndChangesNothing() throws Exception {
        Path f;
        try (VdiImage img = createVdi("d.vdi", ImageVariant.STANDARD, 2 * MIB)) {
            f = img.path();
            img.write(0, TestFiles.filled(100, 4), 0, 100);
        }
        String before = TestFiles.sha256(f);
        try (DiskImage img = DiskImages.open(f, true)) {
            assertTrue(img.readOnly());
            StorageException e = assertThrows(StorageException.class, () -> img.write(0, new byte[512], 0, 512));
            assertTrue(e.getMessage().contains("read-only"), e.getMessage());
            assertThrows(StorageException.class, () -> img.write(MIB, new byte[512], 0, 512));
        }
        assertEquals(before, TestFiles.sha256(f));
    }

    @Test
    void openReadAndCloseWithoutWritingLeaveTheFileAlone() throws Exception {
        Path f;
        try (VdiImage img = createVdi("d.vdi", ImageVariant.STANDARD, 2 * MIB)) {
            f = img.path();
            img.write(0, TestFiles.filled(100, 4), 0, 100);
        }
        String before = TestFiles.sha256(f);
        try (DiskImage img = DiskImages.open(f, false)) {
            img.read(0, new byte[MIB], 0, MIB);
            img.flush();
        }
        assertEquals(before, TestFiles.sha256(f));
    }

    @Test
    void readOnlyOpenWorksOnAReadOnlyFile() throws Exception {
        Path f;
        try (VdiImage img = createVdi("d.vdi", ImageVariant.FIXED, MIB)) {
            f = img.path();
        }
        assertTrue(f.toFile().setReadOnly());
        try (DiskImage img = DiskImages.open(f, true)) {
            assertEquals(MIB, img.size());
        }
    }

    @Test
    void laggingAllocatedCountIsDerivedFromTheBlockMap() throws Exception {
        Path f;
        try (VdiImage img = createVdi("d.vdi", ImageVariant.STANDARD, 4 * MIB)) {
            f = img.path();
            img.write(0, TestFiles.filled(512, 1), 0, 512);
            img.write(MIB, TestFiles.filled(512, 2), 0, 512);
        }
        patchInt(f, 0x184, 1); // a crash after the map entry, before the header count
        assertTrue(ImageChecker.check(f).stream().anyMatch(x -> x.severity() == ImageFinding.Severity.WARNING
                && x.field().equals("blocksAllocated") && x.offset() == 0x184));
        assertFalse(ImageChecker.hasErrors(ImageChecker.check(f)));
        try (VdiImage img = VdiImage.open(f, false)) {
            assertEquals(2L * MIB, img.allocatedBytes());
            img.write(2L * MIB, TestFiles.filled(512, 3), 0, 512);
            assertEquals(2, fileInt(f, img.header().offBlocks() + 8));
            byte[] b = new byte[512];
            img.read(MIB, b, 0, 512);
            assertArrayEquals(TestFiles.filled(512, 2), b);
            assertEquals(3, img.header().blocksAllocated());
        }
        assertEquals(3, fileInt(f, 0x184));
    }

    @Test
    void dataLeftByAnInterruptedAllocationIsIgnoredAndReused() throws Exception {
        Path f;
        try (VdiImage img = createVdi("d.vdi", ImageVariant.STANDARD, 4 * MIB)) {
            f = img.path();
            img.write(0, TestFiles.filled(512, 1), 0, 512);
        }
        // a crash after the new block's data reached the disk but before its map entry did
        Files.write(f, TestFiles.filled(MIB, 0xEE), StandardOpenOption.APPEND);
        List<ImageFinding> findings = ImageChecker.check(f);
        assertFalse(ImageChecker.hasErrors(findings), findings.toString());
        assertTrue(findings.stream().anyMatch(x -> x.field().equals("data area") && x.offset() == 3L * MIB));
        try (VdiImage img = VdiImage.open(f, false)) {
            assertEquals(BlockState.UNALLOCATED, img.blockState(1));
            img.write(MIB + 100, TestFiles.filled(10, 5), 0, 10);
            byte[] b = new byte[MIB];
            img.read(MIB, b, 0, MIB);
            byte[] expected = new byte[MIB];
            System.arraycopy(TestFiles.filled(10, 5), 0, expected, 100, 10);
            assertArrayEquals(expected, b);
        }
        assertEquals(4L * MIB, Files.size(f));
    }

    @Test
    void zeroBlockReadsZerosAndIsReportedAsZero() throws Exception {
        Path f;
        try (VdiImage img = createVdi("d.vdi", ImageVariant.STANDARD, 2 * MIB)) {
            f = img.path();
            patchInt(f, img.header().offBlocks() + 4, 0xFFFFFFFE);
        }
        try (VdiImage img = VdiImage.open(f, false)) {
            assertEquals(BlockState.ZERO, img.blockState(1));
            byte[] b = TestFiles.filled(512, 1);
            img.read(MIB, b, 0, 512);
            assertArrayEquals(new byte[512], b);
            img.write(MIB, TestFiles.filled(512, 6), 0, 512);
            assertEquals(BlockState.ALLOCATED, img.blockState(1));
        }
    }

    @Test
    void createRefusesAnExistingFileAndLeavesNothingBehind() throws Exception {
        Path f = dir.resolve("d.vdi");
        Files.writeString(f, "precious");
        StorageException e = assertThrows(StorageException.class,
                () -> DiskImages.create(f, ImageFormat.VDI, ImageVariant.STANDARD, MIB));
        assertTrue(e.getMessage().contains("exists"), e.getMessage());
        assertEquals("precious", Files.readString(f));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(f), s.toList());
        }
    }

    @Test
    void createRefusesBadSizesAndFormats() throws Exception {
        assertThrows(StorageException.class, () -> DiskImages.create(dir.resolve("a"), ImageFormat.VDI, ImageVariant.STANDARD, 1000));
        assertThrows(StorageException.class, () -> DiskImages.create(dir.resolve("b"), ImageFormat.VDI, ImageVariant.DIFF, MIB));
        assertThrows(StorageException.class, () -> DiskImages.create(dir.resolve("no/such/d"), ImageFormat.VDI, ImageVariant.STANDARD, MIB));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(0, s.count());
        }
    }

    @Test
    void formatIsDetected() throws Exception {
        createVdi("d.vdi", ImageVariant.STANDARD, MIB).close();
        DiskImages.create(dir.resolve("r.img"), ImageFormat.RAW, ImageVariant.FIXED, MIB).close();
        assertEquals(ImageFormat.VDI, DiskImages.detect(dir.resolve("d.vdi")));
        assertEquals(ImageFormat.RAW, DiskImages.detect(dir.resolve("r.img")));
        try (DiskImage img = DiskImages.open(dir.resolve("d.vdi"), true)) {
            assertNotNull(img.uuid());
            assertTrue(img instanceof VdiImage);
        }
    }

    @Test
    void blockExtraBytesPrecedeEachBlocksData() throws Exception {
        Path f;
        try (VdiImage img = createVdi("d.vdi", ImageVariant.STANDARD, 2 * MIB)) {
            f = img.path();
        }
        patchInt(f, 0x17C, 512); // cbBlockExtra: VirtualBox puts that many service bytes before each block
        byte[] data = TestFiles.pattern(1024, 11);
        try (VdiImage img = VdiImage.open(f, false)) {
            img.write(MIB + 100, data, 0, data.length);
            long offData = img.header().offData();
            assertEquals(offData + MIB + 512, Files.size(f));
            byte[] file = Files.readAllBytes(f);
            assertArrayEquals(data, java.util.Arrays.copyOfRange(file, (int) offData + 512 + 100, (int) offData + 512 + 100 + 1024));
        }
        try (VdiImage img = VdiImage.open(f, true)) {
            byte[] back = new byte[1024];
            img.read(MIB + 100, back, 0, 1024);
            assertArrayEquals(data, back);
        }
    }

    @Test
    void oddDiskSizeIsRoundedUpToWholeSectors() throws Exception {
        Path f;
        try (VdiImage img = createVdi("d.vdi", ImageVariant.STANDARD, 2 * MIB)) {
            f = img.path();
        }
        patchInt(f, 0x170, 2 * MIB - 100);
        try (VdiImage img = VdiImage.open(f, true)) {
            assertEquals(2L * MIB, img.size());
        }
        assertTrue(ImageChecker.check(f).stream().anyMatch(x -> x.field().equals("diskSize")
                && x.severity() == ImageFinding.Severity.WARNING));
    }

    @Test
    void headerRewriteSparesABlockMapThatSharesTheFirstSector() throws Exception {
        Path made = dir.resolve("made.vdi");
        UUID parent;
        byte[] sector = new byte[512];
        try (VdiImage base = createVdi("b.vdi", ImageVariant.STANDARD, 2 * MIB);
             VdiImage diff = (VdiImage) DiskImages.createDiff(made, base)) {
            parent = base.uuid();
        }
        try (FileChannel ch = FileChannel.open(made, StandardOpenOption.READ)) {
            ch.read(ByteBuffer.wrap(sector), 0);
        }
        // the tightest legal layout: map right after the 0x190-byte header, data at 0x200
        Path tight = dir.resolve("tight.vdi");
        Files.write(tight, sector);
        patchInt(tight, 0x154, 0x1D8);
        patchInt(tight, 0x158, 0x200);
        patchInt(tight, 0x1D8, -1);
        patchInt(tight, 0x1DC, -1);
        byte[] data = TestFiles.pattern(512, 4);
        UUID other = UUID.randomUUID();
        try (VdiImage img = VdiImage.open(tight, false)) {
            img.write(MIB, data, 0, 512);
            assertEquals(parent, img.parentUuid());
            img.setParentUuid(other);
        }
        assertEquals(0, fileInt(tight, 0x1DC));
        try (VdiImage img = VdiImage.open(tight, true)) {
            assertEquals(other, img.parentUuid());
            assertEquals(BlockState.ALLOCATED, img.blockState(1));
            byte[] back = new byte[512];
            img.read(MIB, back, 0, 512);
            assertArrayEquals(data, back);
        }
    }
}
