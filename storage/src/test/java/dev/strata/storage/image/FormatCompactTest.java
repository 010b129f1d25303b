package dev.strata.storage.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.storage.Progress;
import dev.strata.storage.StorageException;
import dev.strata.storage.chain.DiskChain;
import dev.strata.storage.chain.FileChains;
import dev.strata.storage.image.vmdk.OlderStrataVmdk;
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
 * {@link DiskImages#compact} of dynamic VHDs, expanding Parallels disks and sparse VMDKs: blocks holding only zeros
 * leave the file, every byte reads as before in Strata and in qemu-img (compare), qemu-img check stays clean, and
 * the variants that cannot be compacted are refused by name without a change.
 */
class FormatCompactTest {
    private static final int MIB = 1 << 20;

    @TempDir
    Path dir;

    @BeforeAll
    static void needQemu() {
        QemuTools.require("FormatCompactTest");
    }

    static Stream<Arguments> compactable() {
        return Stream.of(Arguments.of(ImageFormat.VHD, ImageVariant.STANDARD, "d.vhd"),
                Arguments.of(ImageFormat.HDD, ImageVariant.STANDARD, "d.hdd"),
                Arguments.of(ImageFormat.VMDK, ImageVariant.STANDARD, "d.vmdk"),
                Arguments.of(ImageFormat.VMDK, ImageVariant.SPLIT_2G, "s.vmdk"));
    }

    private static byte[] readChain(Path top) throws Exception {
        try (DiskChain chain = FileChains.opener().open(top, true)) {
            return QemuTools.readAll(chain);
        }
    }

    private static long filesSize(Path img) throws Exception {
        long n = 0;
        try (DiskImage d = DiskImages.open(img, true)) {
            for (Path f : d.files()) {
                n += Files.size(f);
            }
        }
        return n;
    }

    /** qemu-img check finds no errors (where it checks the format) and qemu reads {@code expected}. */
    private void qemuAgrees(Path img, ImageFormat format, byte[] expected) throws Exception {
        String q = QemuTools.qemuName(format);
        QemuTools.Result check = QemuTools.exec(dir, "qemu-img", "check", "-f", q, img.toString());
        if (!check.output().contains("does not support checks")) {
            assertEquals(0, check.exit(), check.output());
            assertTrue(check.output().contains("No errors") && !check.output().contains("leaked"), check.output());
        }
        assertFalse(ImageChecker.hasErrors(ImageChecker.check(img)), ImageChecker.check(img).toString());
        Path raw = dir.resolve("expected.raw");
        Files.deleteIfExists(raw);
        Files.write(raw, expected);
        String cmp = QemuTools.run(dir, "qemu-img", "compare", "-f", q, "-F", "raw", img.toString(), raw.toString());
        assertTrue(cmp.contains("identical"), cmp);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("compactable")
    void zeroBlocksLeaveTheFileAndEveryByteStays(ImageFormat format, ImageVariant variant, String name)
            throws Exception {
        Path img = dir.resolve(name);
        int blocks = 12;
        int bs;
        try (DiskImage d = DiskImages.create(img, format, variant, DiskImages.userSize(format, 24L * MIB))) {
            bs = d.blockSize();
            long n = Math.min(blocks, d.blockCount());
            for (int b = 0; b < n; b++) {
                byte[] data = TestFiles.pattern(bs, b + 1);
                d.write((long) b * bs, data, 0, bs);
            }
            // every third block rewritten with zeros stays allocated until the compact
            for (int b = 0; b < n; b += 3) {
                d.write((long) b * bs, new byte[bs], 0, bs);
            }
            // and one block with data only in its last sector
            d.write((long) bs - 512, TestFiles.filled(512, 0x5A), 0, 512);
        }
        byte[] before = readChain(img);
        long length = filesSize(img);
        long saved = DiskImages.compact(img, format, Progress.NONE);
        assertTrue(saved >= 3L * bs, "at least three zero blocks given back: " + saved + " of " + length);
        assertEquals(length - saved, filesSize(img));
        assertArrayEquals(before, readChain(img));
        qemuAgrees(img, format, before);
        assertEquals(0, DiskImages.compact(img, format, Progress.NONE), "a second compact finds nothing");
        try (DiskImage d = DiskImages.open(img, false)) {
            byte[] more = TestFiles.pattern(bs, 99);
            d.write(0, more, 0, bs);
            System.arraycopy(more, 0, before, 0, bs);
        }
        assertArrayEquals(before, readChain(img), "a compacted image takes new blocks");
        qemuAgrees(img, format, before);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("qemuFormats")
    void aQemuImageWithZeroDataShrinksAndStaysClean(ImageFormat format, String extension) throws Exception {
        Path img = dir.resolve("q." + extension);
        String q = QemuTools.qemuName(format);
        QemuTools.run(dir, "qemu-img", "create", "-q", "-f", q, img.toString(), "16M");
        QemuTools.run(dir, "qemu-io", "-f", q, "-c", "write -P 0x5a 0 12M", "-c", "write -P 0 2M 4M",
                "-c", "write -P 0 8M 1M", img.toString());
        byte[] before = readChain(img);
        long length = Files.size(img);
        long saved = DiskImages.compact(img, format, Progress.NONE);
        assertTrue(saved >= 4L * MIB, saved + " of " + length);
        assertArrayEquals(before, readChain(img));
        qemuAgrees(img, format, before);
    }

    static Stream<Arguments> qemuFormats() {
        return Stream.of(Arguments.of(ImageFormat.VHD, "vhd"), Arguments.of(ImageFormat.HDD, "hdd"),
                Arguments.of(ImageFormat.VMDK, "vmdk"));
    }

    @Test
    void aDifferencingVmdkWithZeroGrainEntriesKeepsShowingZerosOverItsParent() throws Exception {
        Path base = dir.resolve("base.vmdk");
        Path child = dir.resolve("child.vmdk");
        QemuTools.run(dir, "qemu-img", "create", "-q", "-f", "vmdk", base.toString(), "4M");
        QemuTools.run(dir, "qemu-io", "-f", "vmdk", "-c", "write -P 0x77 0 4M", base.toString());
        QemuTools.run(dir, "qemu-img", "create", "-q", "-f", "vmdk", "-o", "zeroed_grain=on", "-b", base.toString(),
                "-F", "vmdk", child.toString());
        QemuTools.run(dir, "qemu-io", "-f", "vmdk", "-c", "write -P 0x33 0 2M", "-c", "write -P 0 64k 512k",
                child.toString());
        byte[] before = readChain(child);
        assertEquals(0, before[128 * 1024]);
        assertTrue(DiskImages.compact(child, ImageFormat.VMDK, Progress.NONE) >= 512 * 1024);
        assertArrayEquals(before, readChain(child), "the parent does not show through the grains given back");
        qemuAgrees(child, ImageFormat.VMDK, before);
    }

    /**
     * A differencing VMDK Strata made: grains of zeros written over a parent full of data stay grains until the
     * compact, which turns them into zero-grain entries (the parent must not show through) and gives their space back;
     * qemu-img checks the child clean and reads the chain as Strata does, and a later partial write into such a grain
     * reads zeros around it.
     */
    @Test
    void aStrataDifferencingVmdkGivesBackItsZeroGrainsAsZeroGrainEntries() throws Exception {
        Path base = dir.resolve("base.vmdk");
        Path child = dir.resolve("child.vmdk");
        try (DiskImage d = DiskImages.create(base, ImageFormat.VMDK, ImageVariant.STANDARD, 8L * MIB)) {
            d.write(0, TestFiles.filled(8 * MIB, 0x77), 0, 8 * MIB);
        }
        try (DiskImage p = DiskImages.open(base, true)) {
            DiskImages.createDiff(child, p).close();
        }
        int grain = 64 * 1024;
        try (DiskChain chain = FileChains.opener().open(child, false)) {
            chain.write(0, TestFiles.pattern(4 * MIB, 3), 0, 4 * MIB);
            chain.write(MIB, new byte[MIB], 0, MIB);
            chain.write(3L * MIB + 5 * grain, new byte[grain], 0, grain);
        }
        byte[] before = readChain(child);
        assertEquals(0, before[MIB + 10]);
        long length = Files.size(child);
        long saved = DiskImages.compact(child, ImageFormat.VMDK, Progress.NONE);
        assertEquals(17L * grain, saved, "the 17 grains of zeros leave the file");
        assertEquals(length - saved, Files.size(child));
        assertArrayEquals(before, readChain(child), "the parent does not show through the grains given back");
        try (DiskImage c = DiskImages.open(child, true)) {
            assertEquals(BlockState.ZERO, c.blockState(MIB / grain));
            assertEquals(BlockState.ZERO, c.blockState((3 * MIB) / grain + 5));
            assertEquals(BlockState.ALLOCATED, c.blockState(0));
            assertEquals(BlockState.UNALLOCATED, c.blockState((4 * MIB) / grain));
        }
        qemuAgrees(child, ImageFormat.VMDK, before);
        assertEquals(0, DiskImages.compact(child, ImageFormat.VMDK, Progress.NONE), "a second compact finds nothing");
        try (DiskChain chain = FileChains.opener().open(child, false)) {
            chain.write(MIB + 1000, TestFiles.filled(512, 0x5A), 0, 512);
            System.arraycopy(TestFiles.filled(512, 0x5A), 0, before, MIB + 1000, 512);
        }
        assertArrayEquals(before, readChain(child), "a partial write into a zero grain keeps zeros around it");
        qemuAgrees(child, ImageFormat.VMDK, before);
    }

    @Test
    void variantsThatCannotBeCompactedAreRefusedByNameAndLeftAlone() throws Exception {
        refused(ImageFormat.VHD, ImageVariant.FIXED, "f.vhd", "fixed VHD");
        refused(ImageFormat.HDD, ImageVariant.FIXED, "f.hdd", "fully allocated (Fixed) Parallels");
        refused(ImageFormat.VMDK, ImageVariant.FIXED, "f.vmdk", "monolithicFlat VMDK");
        Path base = dir.resolve("b.vhd");
        Path child = dir.resolve("c.vhd");
        DiskImages.create(base, ImageFormat.VHD, ImageVariant.STANDARD, 4L * MIB).close();
        try (DiskImage p = DiskImages.open(base, true)) {
            DiskImages.createDiff(child, p).close();
        }
        expectRefusal(child, ImageFormat.VHD, "differencing VHD, which cannot record a block as zeros");
        Path vbase = dir.resolve("b.vmdk");
        Path vchild = dir.resolve("c.vmdk");
        DiskImages.create(vbase, ImageFormat.VMDK, ImageVariant.STANDARD, 4L * MIB).close();
        try (DiskImage p = DiskImages.open(vbase, true)) {
            DiskImages.createDiff(vchild, p).close();
        }
        try (DiskChain chain = FileChains.opener().open(vchild, false)) {
            chain.write(0, TestFiles.pattern(MIB, 5), 0, MIB);
            chain.write(0, new byte[MIB], 0, MIB);
        }
        // as Strata made differencing VMDKs before it set the zero-grain flag
        OlderStrataVmdk.clearZeroGrainFlag(vchild);
        expectRefusal(vchild, ImageFormat.VMDK, "c.vmdk: is a differencing VMDK whose header does not allow "
                + "zero-grain entries (flags bit 2 at byte offset");
    }

    private void refused(ImageFormat format, ImageVariant variant, String name, String why) throws Exception {
        Path img = dir.resolve(name);
        try (DiskImage d = DiskImages.create(img, format, variant, DiskImages.userSize(format, 4L * MIB))) {
            d.write(0, new byte[d.blockSize()], 0, d.blockSize());
        }
        expectRefusal(img, format, why);
    }

    private void expectRefusal(Path img, ImageFormat format, String why) throws Exception {
        byte[] file = Files.readAllBytes(img);
        StorageException e = assertThrows(StorageException.class,
                () -> DiskImages.compact(img, format, Progress.NONE));
        assertTrue(e.getMessage().contains(why), e.getMessage());
        assertArrayEquals(file, Files.readAllBytes(img), "nothing was changed");
    }
}
