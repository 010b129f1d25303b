package dev.strata.storage.image.vhd;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.io.IOException;
import java.nio.ByteBuffer;
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

/**
 * Damaged VHDs: every one is refused with a StorageException naming the file, the field and its byte offset, the
 * check reports it as an error, repair refuses it, and nothing is written to the file.
 */
class VhdBadInputTest {
    private static final int MIB = 1 << 20;
    /** Where Strata puts the dynamic header and the block allocation table. */
    private static final long HEADER = 512;
    private static final long TABLE = 1536;

    @TempDir
    Path dir;

    /** One way to damage a Strata-made dynamic VHD with blocks 0 and 1 written. */
    @FunctionalInterface
    interface Damage {
        void apply(Path file) throws IOException;
    }

    private Path goodImage() throws IOException {
        Path f = dir.resolve("disk.vhd");
        try (DiskImage d = DiskImages.create(f, ImageFormat.VHD, ImageVariant.STANDARD, 8L * MIB)) {
            d.write(0, TestFiles.pattern(4096, 1), 0, 4096);
            d.write(2L * MIB, TestFiles.pattern(4096, 2), 0, 4096);
        }
        return f;
    }

    private static void put32(Path f, long at, int v) throws IOException {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(4).putInt(0, v), at);
        }
    }

    private static int get32(Path f, long at) throws IOException {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(4);
            ch.read(b, at);
            return b.getInt(0);
        }
    }

    /** Changes both footers with {@code edit} and gives them a right checksum, so only the edited field is wrong. */
    private static void editFooters(Path f, java.util.function.Consumer<ByteBuffer> edit) throws IOException {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long end = ch.size() - 512;
            ByteBuffer b = ByteBuffer.allocate(512);
            ch.read(b, end);
            edit.accept(b);
            b.putInt(64, (int) VhdFooter.checksumOf(b.array(), 64));
            ch.write(b.clear(), end);
            ch.write(b.clear(), 0);
        }
    }

    /** Changes the dynamic header with {@code edit} and gives it a right checksum. */
    private static void editHeader(Path f, java.util.function.Consumer<ByteBuffer> edit) throws IOException {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1024);
            ch.read(b, HEADER);
            edit.accept(b);
            b.putInt(36, (int) VhdFooter.checksumOf(b.array(), 36));
            ch.write(b.clear(), HEADER);
        }
    }

    static Stream<Arguments> damages() {
        return Stream.of(
                Arguments.of("footer checksum", (Damage) f -> put32(f, Files.size(f) - 512 + 64, 12345),
                        List.of("footer checksum", "0x")),
                Arguments.of("footer byte changed", (Damage) f -> put32(f, Files.size(f) - 512 + 40, 7),
                        List.of("footer checksum")),
                Arguments.of("header checksum", (Damage) f -> put32(f, HEADER + 36, 1),
                        List.of("dynamic header checksum", "0x224")),
                Arguments.of("header cookie", (Damage) f -> put32(f, HEADER, 0x41414141),
                        List.of("dynamic header", "0x200", "cxsparse")),
                Arguments.of("huge size", (Damage) f -> editFooters(f, b -> b.putLong(48, 1L << 50)),
                        List.of("current size", "C30", "2040 GiB")),
                Arguments.of("odd size", (Damage) f -> editFooters(f, b -> b.putLong(48, 1000)),
                        List.of("current size")),
                Arguments.of("disk type 9", (Damage) f -> editFooters(f, b -> b.putInt(60, 9)),
                        List.of("disk type", "C3C")),
                Arguments.of("data offset past the end", (Damage) f -> editFooters(f, b -> b.putLong(16, 1L << 40)),
                        List.of("data offset", "C10")),
                Arguments.of("block size 3", (Damage) f -> editHeader(f, b -> b.putInt(32, 3)),
                        List.of("block size", "0x220")),
                Arguments.of("too few table entries", (Damage) f -> editHeader(f, b -> b.putInt(28, 1)),
                        List.of("max table entries", "0x21C")),
                Arguments.of("table past the end", (Damage) f -> editHeader(f, b -> b.putLong(16, 1L << 40)),
                        List.of("table offset", "0x210", "past the end")),
                Arguments.of("block past the end", (Damage) f -> put32(f, TABLE + 4, 1 << 30),
                        List.of("block allocation table entry 1", "0x604", "past the end")),
                Arguments.of("block on the header", (Damage) f -> put32(f, TABLE + 4, 1),
                        List.of("block allocation table entry 1", "over the image's headers")),
                Arguments.of("two blocks in one place", (Damage) f -> put32(f, TABLE + 8, get32(f, TABLE)),
                        List.of("block allocation table entry", "overlapping block")),
                Arguments.of("footer gone and its copy damaged", (Damage) f -> {
                    put32(f, 40, 7);
                    put32(f, Files.size(f) - 512, 0);
                }, List.of("footer checksum", "0x40", "no footer at its end")),
                Arguments.of("truncated into the table", (Damage) f -> {
                    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
                        ch.truncate(1600);
                    }
                }, List.of("block allocation table entry 0", "past the end")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("damages")
    void damagedImageIsRefusedByFieldAndLeftUnchanged(String name, Damage damage, List<String> expected)
            throws Exception {
        Path f = goodImage();
        damage.apply(f);
        String before = TestFiles.sha256(f);
        for (boolean readOnly : new boolean[] {true, false}) {
            StorageException e = assertThrows(StorageException.class,
                    () -> DiskImages.open(f, readOnly, ImageFormat.VHD, null).close());
            assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
            for (String s : expected) {
                assertTrue(e.getMessage().contains(s), "'" + s + "' missing from: " + e.getMessage());
            }
        }
        List<ImageFinding> findings = ImageChecker.check(f);
        assertTrue(ImageChecker.hasErrors(findings), findings.toString());
        assertThrows(StorageException.class, () -> ImageChecker.repair(f));
        assertEquals(before, TestFiles.sha256(f));
    }

    @Test
    void aDifferencingImageWithoutItsParentUuidIsRefused() throws Exception {
        Path base = dir.resolve("base.vhd");
        Path child = dir.resolve("child.vhd");
        DiskImages.create(base, ImageFormat.VHD, ImageVariant.STANDARD, MIB).close();
        try (DiskImage b = DiskImages.open(base, true)) {
            DiskImages.createDiff(child, b).close();
        }
        editHeader(child, b -> b.put(40, new byte[16]));
        StorageException e = assertThrows(StorageException.class, () -> DiskImages.open(child, true).close());
        assertTrue(e.getMessage().contains("parent unique id") && e.getMessage().contains("0x228"), e.getMessage());
    }
}
