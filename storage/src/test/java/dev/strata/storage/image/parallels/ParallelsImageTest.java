package dev.strata.storage.image.parallels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.storage.StorageException;
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
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Parallels disks Strata makes and damaged ones: layout, in-use mark, catalog checks, nothing written on refusal. */
class ParallelsImageTest {
    private static final int MIB = 1 << 20;

    @TempDir
    Path dir;

    private static void put32(Path f, long at, int v) throws IOException {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, v), at);
        }
    }

    private static void put64(Path f, long at, long v) throws IOException {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, v), at);
        }
    }

    private static int get32(Path f, long at) throws IOException {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(b, at);
            return b.getInt(0);
        }
    }

    private Path goodImage() throws IOException {
        Path f = dir.resolve("disk.hdd");
        try (DiskImage d = DiskImages.create(f, ImageFormat.HDD, ImageVariant.STANDARD, 4L * MIB)) {
            d.write(0, TestFiles.pattern(4096, 1), 0, 4096);
            d.write(2L * MIB, TestFiles.pattern(4096, 2), 0, 4096);
        }
        return f;
    }

    @Test
    void expandingDiskKeepsWhatIsWrittenInClustersItAllocates() throws Exception {
        Path f = dir.resolve("e.hdd");
        byte[] data = TestFiles.pattern(MIB + 3000, 3);
        try (DiskImage d = DiskImages.create(f, ImageFormat.HDD, ImageVariant.STANDARD, 5L * MIB)) {
            assertEquals(MIB, d.blockSize());
            d.write(MIB - 1000, data, 0, data.length);
            d.write(4L * MIB, new byte[512], 0, 512);
        }
        assertEquals(ImageFormat.HDD, DiskImages.detect(f));
        assertEquals(0, get32(f, 44), "the in-use mark is cleared on close");
        assertEquals(4L * MIB, Files.size(f), "the catalog's cluster and three data clusters");
        try (DiskImage d = DiskImages.open(f, true)) {
            assertEquals(ImageVariant.STANDARD, d.variant());
            byte[] back = new byte[data.length];
            d.read(MIB - 1000, back, 0, back.length);
            assertArrayEquals(data, back);
            assertEquals(BlockState.ALLOCATED, d.blockState(0));
            assertEquals(BlockState.ALLOCATED, d.blockState(1));
            assertEquals(BlockState.UNALLOCATED, d.blockState(4));
            assertTrue(d.details().get("Signature").startsWith("WithouFreSpacExt"), d.details().toString());
        }
        assertFalse(ImageChecker.hasErrors(ImageChecker.check(f)), ImageChecker.check(f).toString());
    }

    @Test
    void fixedDiskHasEveryClusterInOrder() throws Exception {
        Path f = dir.resolve("f.hdd");
        DiskImages.create(f, ImageFormat.HDD, ImageVariant.FIXED, 3L * MIB).close();
        assertEquals(4L * MIB, Files.size(f));
        assertEquals(1, get32(f, 64));
        assertEquals(3, get32(f, 72));
        try (DiskImage d = DiskImages.open(f, false)) {
            assertEquals(ImageVariant.FIXED, d.variant());
            d.write(2L * MIB, TestFiles.filled(512, 9), 0, 512);
        }
        assertEquals(9, Files.readAllBytes(f)[3 * MIB]);
    }

    @Test
    void aWriterThatDiedLeavesTheInUseMarkWhichRepairClears() throws Exception {
        Path f = goodImage();
        put32(f, 44, 0x746F6E59);
        try (DiskImage d = DiskImages.open(f, true)) {
            byte[] b = new byte[4096];
            d.read(0, b, 0, 4096);
            assertArrayEquals(TestFiles.pattern(4096, 1), b);
        }
        List<ImageFinding> check = ImageChecker.check(f);
        assertFalse(ImageChecker.hasErrors(check), check.toString());
        assertTrue(check.toString().contains("WARNING: in use at byte offset 0x2C"), check.toString());
        assertEquals(1, ImageChecker.repair(f).size());
        assertEquals(0, get32(f, 44));
    }

    @Test
    void oldSignatureGivesCatalogEntriesInSectors() throws Exception {
        Path f = goodImage();
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap("WithoutFreeSpace".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)), 0);
        }
        int clusters = get32(f, 64);
        put32(f, 64, clusters * 2048);
        put32(f, 72, get32(f, 72) * 2048);
        try (DiskImage d = DiskImages.open(f, true)) {
            byte[] b = new byte[4096];
            d.read(2L * MIB, b, 0, 4096);
            assertArrayEquals(TestFiles.pattern(4096, 2), b);
        }
    }

    @FunctionalInterface
    interface Damage {
        void apply(Path file) throws IOException;
    }

    static Stream<Arguments> damages() {
        return Stream.of(
                Arguments.of("version 3", (Damage) f -> put32(f, 16, 3), List.of("version", "0x10")),
                Arguments.of("cluster of 3 sectors", (Damage) f -> put32(f, 28, 3),
                        List.of("sectors per cluster", "0x1C")),
                Arguments.of("no cluster", (Damage) f -> put32(f, 28, 0), List.of("sectors per cluster")),
                Arguments.of("huge size", (Damage) f -> put64(f, 36, 1L << 50), List.of("sector count", "0x24")),
                Arguments.of("too few entries", (Damage) f -> put32(f, 32, 1), List.of("catalog entries", "0x20")),
                Arguments.of("catalog past the end", (Damage) f -> {
                    put32(f, 32, 1 << 20);
                    put64(f, 36, 1L << 31);
                }, List.of("catalog", "past the end")),
                Arguments.of("cluster past the end", (Damage) f -> put32(f, 68, 1000),
                        List.of("catalog entry 1", "0x44", "past the end")),
                Arguments.of("cluster on the catalog", (Damage) f -> {
                    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
                        ch.write(ByteBuffer.wrap("WithoutFreeSpace".getBytes(
                                java.nio.charset.StandardCharsets.ISO_8859_1)), 0);
                    }
                    put32(f, 64, 1);
                }, List.of("catalog entry 0", "0x40", "over the header and catalog")),
                Arguments.of("two clusters in one place", (Damage) f -> put32(f, 72, get32(f, 64)),
                        List.of("catalog entry", "overlapping")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("damages")
    void damagedDiskIsRefusedByFieldAndLeftUnchanged(String name, Damage damage, List<String> expected)
            throws Exception {
        Path f = goodImage();
        damage.apply(f);
        String before = TestFiles.sha256(f);
        for (boolean readOnly : new boolean[] {true, false}) {
            StorageException e = assertThrows(StorageException.class,
                    () -> DiskImages.open(f, readOnly, ImageFormat.HDD, null).close());
            assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
            for (String s : expected) {
                assertTrue(e.getMessage().contains(s), "'" + s + "' missing from: " + e.getMessage());
            }
        }
        assertTrue(ImageChecker.hasErrors(ImageChecker.check(f)), ImageChecker.check(f).toString());
        assertThrows(StorageException.class, () -> ImageChecker.repair(f));
        assertEquals(before, TestFiles.sha256(f));
    }
}
