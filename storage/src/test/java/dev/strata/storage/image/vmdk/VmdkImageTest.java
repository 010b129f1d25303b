package dev.strata.storage.image.vmdk;

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
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Strata's own VMDKs: creation, grain allocation, zeros, differencing links, check and repair. */
class VmdkImageTest {
    private static final int MIB = 1 << 20;

    @TempDir
    Path dir;

    @Test
    void newSparseImageReadsZerosAndRecordsItsUuid() throws Exception {
        Path f = dir.resolve("a.vmdk");
        UUID uuid;
        try (DiskImage d = DiskImages.create(f, ImageFormat.VMDK, ImageVariant.STANDARD, 8L * MIB)) {
            assertEquals(ImageVariant.STANDARD, d.variant());
            assertEquals(8L * MIB, d.size());
            assertEquals(0, d.allocatedBytes());
            assertNull(d.parentUuid());
            uuid = d.uuid();
        }
        try (VmdkImage d = (VmdkImage) DiskImages.open(f, true)) {
            assertEquals(uuid, d.uuid());
            assertEquals(uuid.toString(), d.descriptorValue("ddb.uuid.image"));
            assertEquals("monolithicSparse", d.createType());
            byte[] b = TestFiles.filled(4096, 9);
            d.read(8L * MIB - 4096, b, 0, 4096);
            assertArrayEquals(new byte[4096], b);
        }
    }

    @Test
    void writesAllocateWholeGrainsAndZerosToABaseAllocateNothing() throws Exception {
        Path f = dir.resolve("a.vmdk");
        try (DiskImage d = DiskImages.create(f, ImageFormat.VMDK, ImageVariant.STANDARD, 4L * MIB)) {
            d.write(70_000, TestFiles.filled(100, 0x41), 0, 100);
            d.write(3 * 65536, new byte[65536], 0, 65536);
            assertEquals(BlockState.UNALLOCATED, d.blockState(0));
            assertEquals(BlockState.ALLOCATED, d.blockState(1));
            assertEquals(BlockState.UNALLOCATED, d.blockState(3));
            assertEquals(65536, d.allocatedBytes());
        }
        try (DiskImage d = DiskImages.open(f, true)) {
            byte[] b = new byte[65536];
            d.read(65536, b, 0, b.length);
            for (int i = 0; i < b.length; i++) {
                assertEquals(i >= 70_000 - 65536 && i < 70_100 - 65536 ? 0x41 : 0, b[i], "byte " + i);
            }
        }
    }

    /**
     * Reads and writes over several grains go to the file in one access where the grains lie one after another there,
     * and split where they do not (grains allocated out of order, a hole, the end of a split image's extent).
     */
    @Test
    void accessesOverSeveralGrainsMatchAByteModelWhateverTheGrainsOrderInTheFile() throws Exception {
        for (ImageVariant variant : List.of(ImageVariant.STANDARD, ImageVariant.SPLIT_2G)) {
            Path f = dir.resolve("m-" + variant + ".vmdk");
            int grain = 65536;
            long size = variant == ImageVariant.SPLIT_2G ? (2L << 30) + 16L * grain : 16L * grain;
            long at = variant == ImageVariant.SPLIT_2G ? (2L << 30) - 8L * grain : 0;
            byte[] model = new byte[16 * grain];
            try (DiskImage d = DiskImages.create(f, ImageFormat.VMDK, variant, size)) {
                int[] order = {5, 1, 2, 3, 9, 8, 10, 11, 12};
                for (int k = 0; k < order.length; k++) {
                    byte[] data = TestFiles.filled(grain, 0x30 + k);
                    d.write(at + (long) order[k] * grain, data, 0, grain);
                    System.arraycopy(data, 0, model, order[k] * grain, grain);
                }
                byte[] span = TestFiles.pattern(14 * grain - 1000, 7);
                d.write(at + 700, span, 0, span.length);
                System.arraycopy(span, 0, model, 700, span.length);
                byte[] got = new byte[model.length];
                d.read(at, got, 0, got.length);
                assertArrayEquals(model, got);
                byte[] part = new byte[5 * grain + 3];
                d.read(at + 7 * grain + 11, part, 0, part.length);
                assertArrayEquals(java.util.Arrays.copyOfRange(model, 7 * grain + 11, 12 * grain + 14), part);
            }
            assertFalse(ImageChecker.hasErrors(ImageChecker.check(f)), ImageChecker.check(f).toString());
            try (DiskImage d = DiskImages.open(f, true)) {
                byte[] got = new byte[model.length];
                d.read(at, got, 0, got.length);
                assertArrayEquals(model, got, "after reopening");
            }
        }
    }

    /**
     * A write into new space gives each run of its new grains one place in the file and one file write, as a format
     * with 1 MiB blocks writes a MiB (sixteen 64 KiB writes left the kernel's page cache holding the file in small
     * pieces, which made later reads of it slower), whether it comes to the image or through a chain over a parent. A
     * grain of zeros breaks the run in a base image, which does not store it, and not in a differencing image, which
     * stores it to hide its parent.
     */
    @Test
    void aWriteIntoNewSpaceGoesToTheFileInOneWritePerRunOfNewGrains() throws Exception {
        int grain = 65536;
        byte[] data = TestFiles.pattern(16 * grain, 3);
        java.util.Arrays.fill(data, 5 * grain, 6 * grain, (byte) 0);
        Path base = dir.resolve("base.vmdk");
        try (VmdkImage d = (VmdkImage) DiskImages.create(base, ImageFormat.VMDK, ImageVariant.STANDARD, 8L * MIB)) {
            d.write(MIB, data, 0, data.length);
            assertEquals(2, d.dataWrites(), "grains 16-20 and 22-31 in two writes; the zeros are not stored");
            assertEquals(BlockState.UNALLOCATED, d.blockState(21));
            assertEquals(15L * grain, d.allocatedBytes());
        }
        Path child = dir.resolve("child.vmdk");
        try (DiskImage parent = DiskImages.open(base, true)) {
            DiskImages.createDiff(child, parent).close();
        }
        byte[] over = TestFiles.pattern(2 * MIB, 9);
        java.util.Arrays.fill(over, 7 * grain, 8 * grain, (byte) 0);
        try (DiskChain chain = FileChains.opener().open(child, false)) {
            chain.write(MIB / 2, over, 0, over.length);
            assertEquals(1, ((VmdkImage) chain.top()).dataWrites(), "32 new grains of the child in one write");
            chain.flush();
        }
        assertFalse(ImageChecker.hasErrors(ImageChecker.check(child)), ImageChecker.check(child).toString());
        try (DiskChain chain = FileChains.opener().open(child, true)) {
            byte[] got = new byte[3 * MIB];
            chain.read(0, got, 0, got.length);
            byte[] model = new byte[3 * MIB];
            System.arraycopy(data, 0, model, MIB, data.length);
            System.arraycopy(over, 0, model, MIB / 2, over.length);
            assertArrayEquals(model, got);
            assertEquals(32L * grain, chain.top().allocatedBytes(), "the grain of zeros is stored in the child");
        }
    }

    /**
     * The table entries of new grains reach the file at a flush, after the grains (no disk sync per grain), or once
     * {@link SparseExtent#PENDING_LIMIT} have gathered; a second open of the file sees the grain only then.
     */
    @Test
    void newGrainsEntriesReachTheFileAtTheNextFlushAfterTheirData() throws Exception {
        Path f = dir.resolve("p.vmdk");
        int grain = 65536;
        try (DiskImage d = DiskImages.create(f, ImageFormat.VMDK, ImageVariant.STANDARD, 80L * MIB)) {
            d.write(0, TestFiles.filled(grain, 0x61), 0, grain);
            byte[] b = new byte[grain];
            d.read(0, b, 0, grain);
            assertArrayEquals(TestFiles.filled(grain, 0x61), b, "the writer sees its grain at once");
            try (DiskImage other = DiskImages.open(f, true)) {
                assertEquals(BlockState.UNALLOCATED, other.blockState(0), "the entry waits for a flush");
            }
            assertFalse(ImageChecker.hasErrors(ImageChecker.check(f)), ImageChecker.check(f).toString());
            d.flush();
            try (DiskImage other = DiskImages.open(f, true)) {
                other.read(0, b, 0, grain);
                assertArrayEquals(TestFiles.filled(grain, 0x61), b);
            }
            for (int g = 1; g <= SparseExtent.PENDING_LIMIT; g++) {
                d.write((long) g * grain, TestFiles.filled(grain, 1 + g % 200), 0, grain);
            }
            try (DiskImage other = DiskImages.open(f, true)) {
                assertEquals(BlockState.ALLOCATED, other.blockState(SparseExtent.PENDING_LIMIT),
                        "a full batch of entries is written without a flush");
            }
        }
        assertTrue(ImageChecker.check(f).stream().noneMatch(x -> x.severity() != ImageFinding.Severity.INFO),
                ImageChecker.check(f).toString());
    }

    @Test
    void fixedImageIsAFlatDescriptorAndExtent() throws Exception {
        Path f = dir.resolve("fixed.vmdk");
        try (DiskImage d = DiskImages.create(f, ImageFormat.VMDK, ImageVariant.FIXED, 2L * MIB)) {
            assertEquals(ImageVariant.FIXED, d.variant());
            assertEquals(2L * MIB, d.allocatedBytes());
            d.write(MIB, TestFiles.filled(512, 0x12), 0, 512);
        }
        String text = Files.readString(f);
        assertTrue(text.contains("createType=\"monolithicFlat\""), text);
        assertTrue(text.contains("RW 4096 FLAT \"fixed-flat.vmdk\" 0"), text);
        byte[] flat = Files.readAllBytes(dir.resolve("fixed-flat.vmdk"));
        assertEquals(0x12, flat[MIB]);
        assertEquals(ImageFormat.VMDK, DiskImages.detect(f));
    }

    @Test
    void creationRefusesAnExistingExtentAndLeavesNothing() throws Exception {
        Files.write(dir.resolve("x-flat.vmdk"), new byte[] {1});
        Path f = dir.resolve("x.vmdk");
        StorageException e = assertThrows(StorageException.class,
                () -> DiskImages.create(f, ImageFormat.VMDK, ImageVariant.FIXED, MIB));
        assertTrue(e.getMessage().contains("x-flat.vmdk"), e.getMessage());
        assertFalse(Files.exists(f));
        assertEquals(1, Files.size(dir.resolve("x-flat.vmdk")));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }

    @Test
    void theModificationUuidChangesOnTheFirstWriteAfterOpeningAndAChildRecordsIt() throws Exception {
        Path base = dir.resolve("base.vmdk");
        DiskImages.create(base, ImageFormat.VMDK, ImageVariant.STANDARD, 2L * MIB).close();
        try (VmdkImage d = (VmdkImage) DiskImages.open(base, true)) {
            assertEquals(null, d.modificationUuid(), "a new image has the all-zero modification UUID");
        }
        java.util.UUID first;
        try (VmdkImage d = (VmdkImage) DiskImages.open(base, false)) {
            assertEquals(null, d.modificationUuid(), "opening for writing changes nothing");
            d.write(0, new byte[512], 0, 512);
            first = d.modificationUuid();
            assertTrue(first != null);
            d.write(512, new byte[512], 0, 512);
            assertEquals(first, d.modificationUuid(), "only the first write after opening takes a new one");
        }
        try (VmdkImage d = (VmdkImage) DiskImages.open(base, false)) {
            assertEquals(first, d.modificationUuid(), "it was written to the descriptor");
        }
        java.util.UUID second;
        try (VmdkImage d = (VmdkImage) DiskImages.open(base, false)) {
            d.write(0, new byte[512], 0, 512);
            second = d.modificationUuid();
            assertFalse(first.equals(second), "a new one after reopening");
            assertEquals(second.toString(), d.details().get("Modification UUID"));
        }
        Path child = dir.resolve("child.vmdk");
        try (VmdkImage p = (VmdkImage) DiskImages.open(base, true);
             VmdkImage c = (VmdkImage) DiskImages.createDiff(child, p)) {
            assertEquals(second.toString(), c.descriptorValue("ddb.uuid.parentmodification"));
        }
    }

    @Test
    void childRecordsParentCidHintAndUuidAndReadsThroughTheChain() throws Exception {
        Path base = dir.resolve("base.vmdk");
        try (DiskImage d = DiskImages.create(base, ImageFormat.VMDK, ImageVariant.STANDARD, 2L * MIB)) {
            d.write(0, TestFiles.filled(65536, 0x10), 0, 65536);
        }
        Path child = dir.resolve("child.vmdk");
        try (VmdkImage p = (VmdkImage) DiskImages.open(base, true);
             VmdkImage c = (VmdkImage) DiskImages.createDiff(child, p)) {
            assertEquals(ImageVariant.DIFF, c.variant());
            assertEquals(p.uuid(), c.parentUuid());
            assertEquals(p.cid(), c.parentCid());
            assertEquals("base.vmdk", c.parentPathHint());
        }
        try (DiskChain chain = FileChains.opener().open(child, false)) {
            chain.write(100, new byte[10], 0, 10);
            byte[] b = new byte[200];
            chain.read(0, b, 0, 200);
            assertEquals(0x10, b[99]);
            assertEquals(0, b[100]);
            assertEquals(0x10, b[110]);
        }
        try (DiskImage c = DiskImages.open(child, true)) {
            assertEquals(BlockState.ALLOCATED, c.blockState(0));
            assertEquals(BlockState.UNALLOCATED, c.blockState(1));
        }
    }

    @Test
    void newSparseImagesAllowZeroGrainEntriesAndWritesOfZerosAreStoredAsBefore() throws Exception {
        Path base = dir.resolve("base.vmdk");
        Path child = dir.resolve("child.vmdk");
        Path split = dir.resolve("split.vmdk");
        DiskImages.create(base, ImageFormat.VMDK, ImageVariant.STANDARD, MIB).close();
        DiskImages.create(split, ImageFormat.VMDK, ImageVariant.SPLIT_2G, MIB).close();
        try (DiskImage p = DiskImages.open(base, true)) {
            DiskImages.createDiff(child, p).close();
        }
        assertTrue(OlderStrataVmdk.allowsZeroGrains(base));
        assertTrue(OlderStrataVmdk.allowsZeroGrains(child));
        assertTrue(OlderStrataVmdk.allowsZeroGrains(dir.resolve("split-s001.vmdk")));
        try (DiskImage c = DiskImages.open(child, false)) {
            c.write(0, new byte[65536], 0, 65536);
            assertEquals(BlockState.ALLOCATED, c.blockState(0), "zeros over a parent are still stored as a grain");
        }
    }

    /**
     * A chain of VMDKs as Strata made them before it set the zero-grain flag opens, reads, writes, merges and checks
     * as before; grain table entry 1 still means sector 1 there, which the check reports as overlapping the header.
     */
    @Test
    void olderStrataVmdksWithoutTheZeroGrainFlagBehaveAsBefore() throws Exception {
        Path base = dir.resolve("base.vmdk");
        Path child = dir.resolve("child.vmdk");
        try (DiskImage d = DiskImages.create(base, ImageFormat.VMDK, ImageVariant.STANDARD, 2L * MIB)) {
            d.write(0, TestFiles.filled(2 * MIB, 0x10), 0, 2 * MIB);
        }
        try (DiskImage p = DiskImages.open(base, true)) {
            DiskImages.createDiff(child, p).close();
        }
        OlderStrataVmdk.clearZeroGrainFlag(base);
        OlderStrataVmdk.clearZeroGrainFlag(child);
        try (DiskChain chain = FileChains.opener().open(child, false)) {
            chain.write(65536, TestFiles.filled(65536, 0x20), 0, 65536);
            chain.write(3 * 65536, new byte[65536], 0, 65536);
            byte[] b = new byte[4 * 65536];
            chain.read(0, b, 0, b.length);
            assertEquals(0x10, b[0]);
            assertEquals(0x20, b[65536]);
            assertEquals(0x10, b[2 * 65536]);
            assertEquals(0, b[3 * 65536], "zeros written over the parent are stored as a grain");
        }
        try (DiskImage c = DiskImages.open(child, true)) {
            assertEquals(BlockState.ALLOCATED, c.blockState(3));
        }
        assertFalse(ImageChecker.hasErrors(ImageChecker.check(child)), ImageChecker.check(child).toString());
        assertFalse(OlderStrataVmdk.allowsZeroGrains(child), "nothing set the flag behind the user's back");
        var result = FileChains.merger().mergeIntoParent(child, dev.strata.storage.Progress.NONE);
        assertEquals(base, result.survivor());
        assertFalse(ImageChecker.hasErrors(ImageChecker.check(base)), ImageChecker.check(base).toString());
        try (DiskImage b = DiskImages.open(base, true)) {
            byte[] buf = new byte[65536];
            b.read(3 * 65536, buf, 0, buf.length);
            assertArrayEquals(new byte[65536], buf);
            b.read(65536, buf, 0, buf.length);
            assertArrayEquals(TestFiles.filled(65536, 0x20), buf);
        }
        // entry 1 of grain 0 is a grain at sector 1 when the flag is clear: inside the header and descriptor
        try (FileChannel ch = FileChannel.open(child, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(b, SparseHeader.OFF_GD_OFFSET);
            ByteBuffer w = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(w, b.getLong(0) * 512);
            long gt = (w.getInt(0) & 0xFFFFFFFFL) * 512;
            ch.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 1), gt + 4 * 5);
        }
        assertTrue(ImageChecker.hasErrors(ImageChecker.check(child)), ImageChecker.check(child).toString());
    }

    /**
     * A forward merge into a VMDK parent killed after its first write leaves the parent with a new CID under a child
     * that still reads correctly: the chain opens, and the link check warns naming both files, the field and both
     * CIDs; a whole link reports nothing.
     */
    @Test
    void aParentCidThatIsNotTheParentsCidIsAWarningAndTheChainStillOpens() throws Exception {
        Path base = dir.resolve("base.vmdk");
        Path child = dir.resolve("child.vmdk");
        DiskImages.create(base, ImageFormat.VMDK, ImageVariant.STANDARD, MIB).close();
        try (DiskImage p = DiskImages.open(base, true)) {
            DiskImages.createDiff(child, p).close();
        }
        try (DiskChain c = FileChains.opener().open(child, false)) {
            c.write(0, TestFiles.filled(65536, 0x4d), 0, 65536);
        }
        assertEquals(List.of(), FileChains.opener().parentLinkFindings(child));
        assertEquals(List.of(), FileChains.opener().parentLinkFindings(base));
        long recorded;
        try (VmdkImage c = (VmdkImage) DiskImages.open(child, true)) {
            recorded = c.parentCid();
        }
        long now;
        try (VmdkImage b = (VmdkImage) DiskImages.open(base, false)) {
            b.write(0, TestFiles.filled(65536, 0x4d), 0, 65536); // what the merge had copied when it was killed
            now = b.cid();
        }
        assertTrue(recorded != now);
        List<ImageFinding> found = FileChains.opener().parentLinkFindings(child);
        assertEquals(1, found.size(), found.toString());
        ImageFinding f = found.get(0);
        assertEquals(ImageFinding.Severity.WARNING, f.severity());
        assertEquals("parentCID", f.field());
        assertTrue(f.message().startsWith("child.vmdk records parentCID=" + VmdkDescriptor.cidText(recorded)
                + " but its parent " + base + " has CID=" + VmdkDescriptor.cidText(now)), f.message());
        assertFalse(ImageChecker.hasErrors(ImageChecker.check(child)));
        try (DiskChain c = FileChains.opener().open(child, true)) {
            byte[] b = new byte[65536];
            c.read(0, b, 0, b.length);
            assertArrayEquals(TestFiles.filled(65536, 0x4d), b);
        }
    }

    @Test
    void mergingAMiddleImageAwayRepointsItsChildByUuidNameAndCid() throws Exception {
        Path base = dir.resolve("base.vmdk");
        Path mid = dir.resolve("mid.vmdk");
        Path top = dir.resolve("top.vmdk");
        DiskImages.create(base, ImageFormat.VMDK, ImageVariant.STANDARD, MIB).close();
        try (DiskImage b = DiskImages.open(base, true)) {
            DiskImages.createDiff(mid, b).close();
        }
        try (DiskChain c = FileChains.opener().open(mid, false)) {
            c.write(0, TestFiles.filled(512, 0x4d), 0, 512);
        }
        try (DiskImage m = DiskImages.open(mid, true)) {
            DiskImages.createDiff(top, m).close();
        }
        var merger = FileChains.merger();
        var result = merger.mergeIntoParent(mid, dev.strata.storage.Progress.NONE);
        merger.reparent(top, result.obsoleteUuid(), result.survivorUuid());
        Files.delete(mid);
        try (VmdkImage t = (VmdkImage) DiskImages.open(top, true); VmdkImage b = (VmdkImage) DiskImages.open(base, true)) {
            assertEquals(b.uuid(), t.parentUuid());
            assertEquals("base.vmdk", t.parentPathHint());
            assertEquals(b.cid(), t.parentCid());
        }
        try (DiskChain c = FileChains.opener().open(top, true)) {
            byte[] buf = new byte[512];
            c.read(0, buf, 0, 512);
            assertArrayEquals(TestFiles.filled(512, 0x4d), buf);
        }
    }

    @Test
    void childFindsItsParentByHintWithoutUuids() throws Exception {
        Path base = dir.resolve("base.vmdk");
        DiskImages.create(base, ImageFormat.VMDK, ImageVariant.STANDARD, MIB).close();
        Path child = dir.resolve("child.vmdk");
        try (DiskImage p = DiskImages.open(base, true)) {
            DiskImages.createDiff(child, p).close();
        }
        // as qemu-img writes them: no ddb.uuid lines at all
        for (Path f : List.of(base, child)) {
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                ByteBuffer b = ByteBuffer.allocate(20 * 512);
                ch.read(b, 512);
                String text = new String(b.array(), java.nio.charset.StandardCharsets.ISO_8859_1)
                        .replaceAll("ddb\\.uuid\\.[a-z]+ = \"[^\"]*\"\n", "");
                ch.write(ByteBuffer.wrap(java.util.Arrays.copyOf(text.getBytes(
                        java.nio.charset.StandardCharsets.ISO_8859_1), 20 * 512)), 512);
            }
        }
        try (DiskChain chain = FileChains.opener().open(child, true)) {
            assertEquals(MIB, chain.size());
        }
    }

    @Test
    void checkReportsALaggingRedundantTableAndRepairCopiesIt() throws Exception {
        Path f = dir.resolve("r.vmdk");
        try (DiskImage d = DiskImages.create(f, ImageFormat.VMDK, ImageVariant.STANDARD, 4L * MIB)) {
            d.write(0, TestFiles.pattern(65536, 3), 0, 65536);
        }
        long rgtEntry;
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(b, SparseHeader.OFF_RGD_OFFSET);
            long rgd = b.getLong(0);
            ByteBuffer w = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(w, rgd * 512);
            rgtEntry = (w.getInt(0) & 0xFFFFFFFFL) * 512;
            ch.write(ByteBuffer.allocate(4), rgtEntry); // the crash came between the two table updates
            ch.write(ByteBuffer.allocate(1000), ch.size()); // and after a grain written for nothing
        }
        List<ImageFinding> findings = ImageChecker.check(f);
        assertFalse(ImageChecker.hasErrors(findings), findings.toString());
        assertTrue(findings.stream().anyMatch(x -> x.severity() == ImageFinding.Severity.WARNING
                && x.field().contains("redundant grain table entry for grain 0")), findings.toString());
        try (DiskImage d = DiskImages.open(f, true)) {
            byte[] b = new byte[65536];
            d.read(0, b, 0, b.length);
            assertArrayEquals(TestFiles.pattern(65536, 3), b);
        }
        List<ImageFinding> done = ImageChecker.repair(f);
        assertEquals(2, done.size(), done.toString());
        assertTrue(ImageChecker.check(f).stream().noneMatch(x -> x.severity() != ImageFinding.Severity.INFO),
                ImageChecker.check(f).toString());
        assertTrue(ImageChecker.repair(f).isEmpty());
    }

    @Test
    void grainTableMissingFromTheDirectoryIsAllocatedOnWrite() throws Exception {
        Path f = dir.resolve("g.vmdk");
        DiskImages.create(f, ImageFormat.VMDK, ImageVariant.STANDARD, 64L * MIB).close();
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            for (int off : new int[] {SparseHeader.OFF_GD_OFFSET, SparseHeader.OFF_RGD_OFFSET}) {
                ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
                ch.read(b, off);
                ch.write(ByteBuffer.allocate(4), b.getLong(0) * 512 + 4); // no table 1 (as VMware may leave it)
            }
        }
        try (DiskImage d = DiskImages.open(f, false)) {
            d.write(40L * MIB, TestFiles.filled(512, 0x61), 0, 512);
        }
        assertTrue(ImageChecker.check(f).stream().noneMatch(x -> x.severity() != ImageFinding.Severity.INFO),
                ImageChecker.check(f).toString());
        try (DiskImage d = DiskImages.open(f, true)) {
            byte[] b = new byte[512];
            d.read(40L * MIB, b, 0, 512);
            assertArrayEquals(TestFiles.filled(512, 0x61), b);
        }
    }

    @Test
    void readOnlyOpenRefusesWritesAndKeepsTheFile() throws Exception {
        Path f = dir.resolve("ro.vmdk");
        DiskImages.create(f, ImageFormat.VMDK, ImageVariant.STANDARD, MIB).close();
        String before = TestFiles.sha256(f);
        try (DiskImage d = DiskImages.open(f, true)) {
            assertThrows(StorageException.class, () -> d.write(0, new byte[512], 0, 512));
        }
        assertEquals(before, TestFiles.sha256(f));
    }

    /**
     * A copy built under a partial name gives its extent files the final name (the descriptor names them so), and an
     * abandoned or interrupted copy takes its extents with it.
     */
    @Test
    void aPartialCopyNamesExtentsAfterTheTargetAndTakesThemWhenAbandoned() throws Exception {
        Path target = dir.resolve("copy.vmdk");
        Path partial = dev.strata.storage.image.ImageStaging.begin(target);
        DiskImages.create(partial, ImageFormat.VMDK, ImageVariant.SPLIT_2G_FIXED, 1 << 20).close();
        assertTrue(Files.exists(dir.resolve("copy-f001.vmdk")));
        assertTrue(new String(Files.readAllBytes(partial)).contains("\"copy-f001.vmdk\""));
        dev.strata.storage.image.ImageStaging.begin(target); // a rerun after a kill clears what the last one left
        assertFalse(Files.exists(partial) || Files.exists(dir.resolve("copy-f001.vmdk")));

        partial = dev.strata.storage.image.ImageStaging.begin(target);
        DiskImages.create(partial, ImageFormat.VMDK, ImageVariant.STREAM, 1 << 20).close();
        assertTrue(new String(Files.readAllBytes(partial), java.nio.charset.StandardCharsets.ISO_8859_1)
                .contains("SPARSE \"copy.vmdk\""));
        DiskImages.create(partial.resolveSibling(".x.vmdk.strata-partial"), ImageFormat.VMDK, ImageVariant.FIXED,
                1 << 20).close();
        dev.strata.storage.image.ImageStaging.abandon(partial.resolveSibling(".x.vmdk.strata-partial"));
        assertFalse(Files.exists(dir.resolve("x-flat.vmdk")));
    }
}
