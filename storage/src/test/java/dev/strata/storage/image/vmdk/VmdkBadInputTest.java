package dev.strata.storage.image.vmdk;

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
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
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
 * Damaged VMDKs: every one is refused with a StorageException naming the file, the field and its byte offset, the
 * check reports the same as an error, and nothing is written to the file.
 */
class VmdkBadInputTest {
    private static final int MIB = 1 << 20;

    @TempDir
    Path dir;

    /** One way to damage a Strata-made 4 MiB monolithic sparse image with two grains written. */
    @FunctionalInterface
    interface Damage {
        void apply(Path file) throws IOException;
    }

    private Path goodImage() throws IOException {
        Path f = dir.resolve("disk.vmdk");
        try (DiskImage d = DiskImages.create(f, ImageFormat.VMDK, ImageVariant.STANDARD, 4L * MIB)) {
            d.write(0, TestFiles.pattern(4096, 1), 0, 4096);
            d.write(MIB, TestFiles.pattern(4096, 2), 0, 4096);
        }
        return f;
    }

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

    private static long get64(Path f, long at) throws IOException {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(b, at);
            return b.getLong(0);
        }
    }

    private static int get32(Path f, long at) throws IOException {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(b, at);
            return b.getInt(0);
        }
    }

    /** Where the primary grain table 0's entry for grain {@code g} is. */
    private static long gteAt(Path f, int g) throws IOException {
        long gd = get64(f, SparseHeader.OFF_GD_OFFSET);
        return (get32(f, gd * 512) & 0xFFFFFFFFL) * 512 + 4L * g;
    }

    static Stream<Arguments> damages() {
        return Stream.of(
                Arguments.of("version 9", (Damage) f -> put32(f, 4, 9), List.of("version", "0x4")),
                Arguments.of("grain size 3", (Damage) f -> put64(f, 20, 3), List.of("grainSize", "0x14")),
                Arguments.of("grain size 0", (Damage) f -> put64(f, 20, 0), List.of("grainSize", "0x14")),
                Arguments.of("huge capacity", (Damage) f -> put64(f, 12, 1L << 60), List.of("capacity", "0xC")),
                Arguments.of("zero capacity", (Damage) f -> put64(f, 12, 0), List.of("capacity", "0xC")),
                Arguments.of("capacity unlike descriptor", (Damage) f -> put64(f, 12, 16384),
                        List.of("capacity", "0xC", "8192")),
                Arguments.of("256 entries per table", (Damage) f -> put32(f, 44, 256), List.of("numGTEsPerGT", "0x2C")),
                Arguments.of("directory past the end", (Damage) f -> put64(f, 56, 1L << 40), List.of("gdOffset", "0x38")),
                Arguments.of("redundant directory past the end", (Damage) f -> put64(f, 48, 99999),
                        List.of("rgdOffset", "0x30")),
                Arguments.of("descriptor past the end", (Damage) f -> put64(f, 28, 1L << 30),
                        List.of("descriptorOffset", "0x1C")),
                Arguments.of("grain table past the end", (Damage) f -> put32(f,
                        get64(f, SparseHeader.OFF_GD_OFFSET) * 512, 1 << 30), List.of("grain directory entry 0")),
                Arguments.of("grain past the end", (Damage) f -> {
                    long at = gteAt(f, 0);
                    put32(f, at, 1 << 28);
                    put32(f, (get32(f, get64(f, 48) * 512) & 0xFFFFFFFFL) * 512, 1 << 28);
                }, List.of("grain table 0 entry 0", "past the end")),
                Arguments.of("grain on the grain directory", (Damage) f -> {
                    int gd = (int) get64(f, SparseHeader.OFF_GD_OFFSET);
                    put32(f, gteAt(f, 0), gd);
                    put32(f, (get32(f, get64(f, 48) * 512) & 0xFFFFFFFFL) * 512, gd);
                }, List.of("overlaps")),
                Arguments.of("two grains in one place", (Damage) f -> {
                    int g0 = get32(f, gteAt(f, 0));
                    put32(f, gteAt(f, 16), g0);
                    put32(f, (get32(f, get64(f, 48) * 512) & 0xFFFFFFFFL) * 512 + 64, g0);
                }, List.of("overlaps", "grain 0")),
                Arguments.of("directories disagree", (Damage) f -> put32(f, gteAt(f, 0), get32(f, gteAt(f, 16))),
                        List.of("grain table entry for grain 0", "disagree")),
                Arguments.of("descriptor without extents", (Damage) f -> {
                    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
                        byte[] text = "# Disk DescriptorFile\nversion=1\nCID=1\nparentCID=ffffffff\ncreateType=\"x\"\n"
                                .getBytes(StandardCharsets.ISO_8859_1);
                        ch.write(ByteBuffer.wrap(java.util.Arrays.copyOf(text, 20 * 512)), 512);
                    }
                }, List.of("descriptor", "0x200", "no extent")),
                Arguments.of("bad CID", (Damage) f -> {
                    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
                        ch.write(ByteBuffer.wrap("CID=zz".getBytes(StandardCharsets.ISO_8859_1)), 512 + 32);
                    }
                }, List.of("CID")),
                Arguments.of("truncated to the header", (Damage) f -> {
                    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
                        ch.truncate(4096);
                    }
                }, List.of("not inside")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("damages")
    void damagedImageIsRefusedByFieldAndLeftUnchanged(String name, Damage damage, List<String> expected)
            throws Exception {
        Path f = goodImage();
        damage.apply(f);
        String before = TestFiles.sha256(f);
        for (boolean readOnly : new boolean[] {true, false}) {
            StorageException e = assertThrows(StorageException.class, () -> DiskImages.open(f, readOnly).close());
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

    static Stream<Arguments> signatures() {
        return Stream.of(
                Arguments.of("sparse magic only", "KDMV", "version"),
                Arguments.of("ESX sparse extent", "COWD", "COWD"),
                Arguments.of("descriptor with nothing else", "# Disk DescriptorFile\nversion=1\n", "no extent"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("signatures")
    void fileWithAVmdkSignatureOnlyIsRefusedAsVmdk(String name, String magic, String expected) throws Exception {
        Path f = dir.resolve("x.img");
        byte[] content = new byte[64 << 10];
        byte[] m = magic.getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(m, 0, content, 0, m.length);
        Files.write(f, content);
        assertEquals(ImageFormat.VMDK, DiskImages.detect(f));
        StorageException e = assertThrows(StorageException.class, () -> DiskImages.open(f, false).close());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(ImageChecker.hasErrors(ImageChecker.check(f)));
        assertEquals(TestFiles.sha256(f), TestFiles.sha256(f));
    }

    @Test
    void missingFlatExtentIsNamed() throws Exception {
        Path f = dir.resolve("flat.vmdk");
        DiskImages.create(f, ImageFormat.VMDK, ImageVariant.FIXED, MIB).close();
        Files.delete(dir.resolve("flat-flat.vmdk"));
        StorageException e = assertThrows(StorageException.class, () -> DiskImages.open(f, true).close());
        assertTrue(e.getMessage().contains("flat-flat.vmdk"), e.getMessage());
        assertTrue(ImageChecker.check(f).toString().contains("extent flat-flat.vmdk"), ImageChecker.check(f).toString());
    }

    @Test
    void shortFlatExtentIsRefused() throws Exception {
        Path f = dir.resolve("flat.vmdk");
        DiskImages.create(f, ImageFormat.VMDK, ImageVariant.FIXED, MIB).close();
        try (FileChannel ch = FileChannel.open(dir.resolve("flat-flat.vmdk"), StandardOpenOption.WRITE)) {
            ch.truncate(4096);
        }
        StorageException e = assertThrows(StorageException.class, () -> DiskImages.open(f, true).close());
        assertTrue(e.getMessage().contains("4096 bytes long") && e.getMessage().contains(String.valueOf(MIB)),
                e.getMessage());
    }
}
