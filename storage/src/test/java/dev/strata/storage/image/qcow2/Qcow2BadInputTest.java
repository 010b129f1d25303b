package dev.strata.storage.image.qcow2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.storage.StorageException;
import dev.strata.storage.image.DiskImage;
import dev.strata.storage.image.DiskImages;
import dev.strata.storage.image.ImageChecker;
import dev.strata.storage.image.ImageFinding;
import dev.strata.storage.image.ImageFormat;
import dev.strata.storage.image.ImageVariant;
import dev.strata.storage.image.TestFiles;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Damaged qcow2 files: headers, tables pointing past the end of the file, off cluster boundaries or at the image's own
 * metadata, huge sizes. Opening fails with an error naming the file, the field and its offset, the check reports an
 * error, and nothing is written.
 */
class Qcow2BadInputTest {
    private static final int CLUSTER = 64 * 1024;
    /** Where a fresh 4 MiB image Strata makes, written once at offset 0, keeps its tables. */
    private static final long REFTABLE = CLUSTER;
    private static final long L1 = 3L * CLUSTER;
    private static final long DATA = 4L * CLUSTER;
    private static final long L2 = 5L * CLUSTER;
    private static final long COPIED = 1L << 63;

    @TempDir
    Path dir;

    /** One damage: the bytes written at an offset and what the error must say. */
    record Damage(long offset, byte[] bytes, String... says) {
    }

    private static Damage at(long offset, long value, String... says) {
        return new Damage(offset, ByteBuffer.allocate(8).putLong(value).array(), says);
    }

    private static Damage at32(long offset, int value, String... says) {
        return new Damage(offset, ByteBuffer.allocate(4).putInt(value).array(), says);
    }

    static Stream<Arguments> damages() {
        return Stream.of(
                Arguments.of("bad version", at32(4, 4, "version at byte offset 0x4 is 4")),
                Arguments.of("huge cluster_bits", at32(20, 40, "cluster_bits at byte offset 0x14 is 40")),
                Arguments.of("huge size", at(24, Long.MAX_VALUE, "size at byte offset 0x18")),
                Arguments.of("encrypted", at32(32, 1, "crypt_method at byte offset 0x20", "encrypted")),
                Arguments.of("huge l1_size", at32(36, Integer.MAX_VALUE, "l1_size at byte offset 0x24")),
                Arguments.of("L1 table past the end", at(40, 1L << 40, "l1_table_offset at byte offset 0x28",
                        "past the end of the file")),
                Arguments.of("L1 table unaligned", at(40, L1 + 8, "l1_table_offset at byte offset 0x28",
                        "cluster boundary")),
                Arguments.of("refcount table past the end", at(48, 1L << 40,
                        "refcount_table_offset at byte offset 0x30", "past the end of the file")),
                Arguments.of("huge refcount table", at32(56, Integer.MAX_VALUE,
                        "refcount_table_clusters at byte offset 0x38")),
                Arguments.of("unknown incompatible feature", at(72, 1 << 5,
                        "incompatible_features at byte offset 0x48 has bit 5")),
                Arguments.of("extended L2 entries", at(72, 1 << 4,
                        "incompatible_features at byte offset 0x48 has bit 4 (extended L2 entries)")),
                Arguments.of("huge header extension", new Damage(104, ByteBuffer.allocate(8).putInt(0x12345678)
                        .putInt(Integer.MAX_VALUE).array(), "header extension 0x12345678 at byte offset 0x68")),
                Arguments.of("huge backing file name", new Damage(8, ByteBuffer.allocate(12).putLong(512)
                        .putInt(5000).array(), "backing_file_size at byte offset 0x10 is 5000")),
                Arguments.of("L1 entry past the end", at(L1, COPIED | 1L << 40, "L1 entry 0 at byte offset 0x30000",
                        "past the end of the file")),
                Arguments.of("L1 entry unaligned", at(L1, COPIED | L2 + 512, "L1 entry 0 at byte offset 0x30000",
                        "not on a cluster boundary")),
                Arguments.of("L1 entry on the L1 table (loop)", at(L1, COPIED | L1,
                        "L1 entry 0 at byte offset 0x30000", "own header, L1 table or refcount table")),
                Arguments.of("L1 entry with reserved bits", at(L1, COPIED | L2 | 2, "L1 entry 0 at byte offset "
                        + "0x30000", "reserved bits")),
                Arguments.of("L2 entry past the end", at(L2, COPIED | 1L << 40, "L2 entry 0 of the table at byte "
                        + "offset 0x50000", "past the end of the file")),
                Arguments.of("L2 entry unaligned", at(L2, COPIED | DATA + 512, "L2 entry 0 of the table at byte "
                        + "offset 0x50000", "not on a cluster boundary")),
                Arguments.of("L2 entry on its own table (loop)", at(L2, COPIED | L2, "L2 entry 0 of the table at "
                        + "byte offset 0x50000", "own metadata")),
                Arguments.of("L2 entry on the refcount table", at(L2, COPIED | REFTABLE, "L2 entry 0 of the table at "
                        + "byte offset 0x50000", "own metadata")),
                Arguments.of("refcount block past the end", at(REFTABLE, 1L << 40, "refcount table entry 0 at byte "
                        + "offset 0x10000", "past the end of the file")));
    }

    private Path image() throws Exception {
        Path p = dir.resolve("bad.qcow2");
        try (DiskImage d = DiskImages.create(p, ImageFormat.QCOW2, ImageVariant.STANDARD, 4 << 20)) {
            d.write(0, TestFiles.filled(4096, 0x42), 0, 4096);
        }
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(8);
            ch.read(b, L1);
            assertEquals(COPIED | L2, b.getLong(0), "the layout these damages assume");
            b.clear();
            ch.read(b, L2);
            assertEquals(COPIED | DATA, b.getLong(0), "the layout these damages assume");
        }
        assertFalse(ImageChecker.hasErrors(ImageChecker.check(p)));
        return p;
    }

    private static void damage(Path p, long offset, byte[] bytes) throws Exception {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(bytes), offset);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("damages")
    void damageIsNamedWithFieldAndOffsetAndNothingIsWritten(String name, Damage d) throws Exception {
        Path p = image();
        damage(p, d.offset(), d.bytes());
        String before = TestFiles.sha256(p);
        for (boolean readOnly : new boolean[] {true, false}) {
            StorageException e = assertThrows(StorageException.class,
                    () -> DiskImages.open(p, readOnly, ImageFormat.QCOW2, null).close());
            assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
            for (String s : d.says()) {
                assertTrue(e.getMessage().contains(s), name + ": " + e.getMessage());
            }
        }
        List<ImageFinding> findings = ImageChecker.check(p);
        assertTrue(ImageChecker.hasErrors(findings), findings.toString());
        assertThrows(StorageException.class, () -> ImageChecker.repair(p));
        assertEquals(before, TestFiles.sha256(p));
    }

    @Test
    void aFileThatLostItsMagicIsNamedAsNotQcow2() throws Exception {
        Path p = image();
        damage(p, 0, "XFI".getBytes());
        StorageException e = assertThrows(StorageException.class,
                () -> DiskImages.open(p, true, ImageFormat.QCOW2, null));
        assertTrue(e.getMessage().contains("is recorded as a QCOW2 image but has no qcow2 magic (QFI\\xfb) at byte "
                + "offset 0"), e.getMessage());
    }

    @Test
    void twoEntriesOnOneDataClusterAreOverlappingClusters() throws Exception {
        Path p = image();
        damage(p, L2 + 8, ByteBuffer.allocate(8).putLong(COPIED | DATA).array());
        List<ImageFinding> findings = ImageChecker.check(p);
        assertTrue(ImageChecker.hasErrors(findings), findings.toString());
        assertTrue(findings.toString().contains("L2 entry 1 (guest cluster 1) at byte offset 0x50008: uses the "
                + "cluster at 0x40000 for data, but it already holds data (overlapping clusters)"), findings.toString());
    }

    @Test
    void corruptCompressedDataIsAnErrorNamingTheCluster() throws Exception {
        Path p = image();
        // a compressed entry: offset DATA, one sector, over bytes that are not deflate data
        damage(p, DATA, TestFiles.filled(512, 0xff));
        damage(p, L2, ByteBuffer.allocate(8).putLong(1L << 62 | DATA).array());
        try (DiskImage d = DiskImages.open(p, true, ImageFormat.QCOW2, null)) {
            StorageException e = assertThrows(StorageException.class, () -> d.read(0, new byte[512], 0, 512));
            assertTrue(e.getMessage().contains("compressed cluster for guest byte offset 0x0 (data at byte offset "
                    + "0x40000)"), e.getMessage());
        }
    }
}
