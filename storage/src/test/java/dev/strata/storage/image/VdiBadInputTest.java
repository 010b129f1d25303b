package dev.strata.storage.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.storage.StorageException;
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
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Damaged and foreign files: each is refused with a message naming the field and offset, and left unchanged. */
class VdiBadInputTest {
    private static final int MIB = 1 << 20;
    /** Where the test image's block map starts (VirtualBox's 1 MiB alignment). */
    private static final long MAP = MIB;

    @TempDir
    Path dir;

    interface Damage {
        void apply(Path f) throws IOException;
    }

    /** A 4 MiB dynamic VDI with blocks 0 and 2 written (map: 0 -> 0, 2 -> 1), file length 4 MiB. */
    private Path goodImage() throws IOException {
        Path f = dir.resolve("d.vdi");
        try (DiskImage img = DiskImages.create(f, ImageFormat.VDI, ImageVariant.STANDARD, 4 * MIB)) {
            img.write(0, TestFiles.filled(512, 1), 0, 512);
            img.write(2L * MIB, TestFiles.filled(512, 2), 0, 512);
        }
        return f;
    }

    static void putInt(Path f, long pos, int v) throws IOException {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, v), pos);
        }
    }

    static void truncate(Path f, long len) throws IOException {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            ch.truncate(len);
        }
    }

    static Stream<Arguments> damages() {
        return Stream.of(
                Arguments.of("header cut short", (Damage) f -> truncate(f, 300), List.of("header", "truncated")),
                Arguments.of("block map cut short", (Damage) f -> truncate(f, MAP + 6), List.of("offBlocks", "0x154", "truncated")),
                Arguments.of("data cut short", (Damage) f -> truncate(f, 3L * MIB + MIB / 2),
                        List.of("block map entry 2", "0x100008", "past the end of the file", "truncated")),
                Arguments.of("bad signature", (Damage) f -> putInt(f, 0x40, 0x12345678), List.of("signature", "0x40", "0x12345678")),
                Arguments.of("bad version", (Damage) f -> putInt(f, 0x44, 0x00020000), List.of("version", "0x44", "2.0")),
                Arguments.of("bad header size", (Damage) f -> putInt(f, 0x48, 0x10), List.of("headerSize", "0x48")),
                Arguments.of("bad image type", (Damage) f -> putInt(f, 0x4C, 7), List.of("imageType", "0x4C")),
                Arguments.of("undo image", (Damage) f -> putInt(f, 0x4C, 3), List.of("imageType", "undo")),
                Arguments.of("unknown flags", (Damage) f -> putInt(f, 0x50, 0x80), List.of("flags", "0x50")),
                Arguments.of("block size not a power of two", (Damage) f -> putInt(f, 0x178, 3 * 512), List.of("blockSize", "0x178")),
                Arguments.of("too few blocks for the disk", (Damage) f -> putInt(f, 0x180, 2), List.of("blockCount", "0x180")),
                Arguments.of("offData inside the block map", (Damage) f -> putInt(f, 0x158, (int) MAP + 4),
                        List.of("offData", "0x158", "inside the block map")),
                Arguments.of("offBlocks inside the header", (Damage) f -> putInt(f, 0x154, 0x100), List.of("offBlocks", "0x154")),
                Arguments.of("map entry past the block count", (Damage) f -> putInt(f, MAP + 4, 1000),
                        List.of("block map entry 1", "0x100004", "1000")),
                Arguments.of("two entries share a block", (Damage) f -> putInt(f, MAP + 12, 1),
                        List.of("block map entry 3", "0x10000C", "block map entry 2")),
                Arguments.of("entry pointing past the file", (Damage) f -> {
                    putInt(f, MAP + 12, 3);
                }, List.of("block map entry 3", "0x10000C", "past the end of the file")),
                Arguments.of("null creation uuid", (Damage) f -> {
                    for (int i = 0; i < 16; i += 4) {
                        putInt(f, 0x188 + i, 0);
                    }
                }, List.of("uuidCreate", "0x188")),
                Arguments.of("diff without a parent", (Damage) f -> putInt(f, 0x4C, 4), List.of("uuidLinkage", "0x1A8")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("damages")
    void damagedImageIsRefusedAndLeftUnchanged(String name, Damage damage, List<String> expected) throws Exception {
        Path f = goodImage();
        damage.apply(f);
        String before = TestFiles.sha256(f);
        for (boolean readOnly : new boolean[] {true, false}) {
            StorageException e = assertThrows(StorageException.class, () -> DiskImages.open(f, readOnly).close());
            for (String s : expected) {
                assertTrue(e.getMessage().contains(s), "'" + s + "' missing from: " + e.getMessage());
            }
            assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
            assertEquals(f, e.file());
        }
        List<ImageFinding> findings = ImageChecker.check(f);
        assertTrue(ImageChecker.hasErrors(findings), findings.toString());
        assertEquals(before, TestFiles.sha256(f));
    }

    static Stream<Arguments> foreignFiles() {
        byte[] random = TestFiles.pattern(1000, 42);
        byte[] text = "This is not a disk image.\nJust a note.\n".getBytes(StandardCharsets.UTF_8);
        return Stream.of(
                Arguments.of("random bytes", random, List.of("unknown format", "1000")),
                Arguments.of("text file", text, List.of("unknown format")),
                Arguments.of("empty file", new byte[0], List.of("is empty (0 bytes), not a disk image")));
    }

    /** A 64 KiB file with {@code magic} at {@code offset} (negative: from the end), otherwise zeros. */
    private static byte[] signed(String magic, int offset) {
        byte[] f = new byte[64 << 10];
        byte[] m = magic.getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(m, 0, f, offset >= 0 ? offset : f.length + offset, m.length);
        return f;
    }

    static Stream<Arguments> unopenedFormats() {
        byte[] qcow1 = signed("QFI\u00fb\0\0\0\1", 0);
        return Stream.of(
                Arguments.of("VHDX", signed("vhdxfile", 0)),
                Arguments.of("QED", signed("QED\0", 0)),
                Arguments.of("QCOW", qcow1),
                Arguments.of("LUKS", signed("LUKS\u00ba\u00be\0\1", 0)),
                Arguments.of("Bochs", signed("Bochs Virtual HD Image\0", 0)),
                Arguments.of("cloop", signed("#!/bin/sh\n#V2.0 Format\nmodprobe cloop file=$0\n", 0)),
                Arguments.of("DMG", signed("koly", -512)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unopenedFormats")
    void formatStrataDoesNotOpenIsRefusedByNameAndLeftUnchanged(String format, byte[] content) throws Exception {
        Path f = dir.resolve("disk.img");
        Files.write(f, content);
        String before = TestFiles.sha256(f);
        StorageException e = assertThrows(StorageException.class, () -> DiskImages.open(f, false).close());
        assertTrue(e.getMessage().startsWith(f + ": is a " + format + " image; Strata does not open " + format
                + " images yet"), e.getMessage());
        List<ImageFinding> findings = ImageChecker.check(f);
        assertTrue(ImageChecker.hasErrors(findings), findings.toString());
        assertEquals(before, TestFiles.sha256(f));
    }

    static Stream<Arguments> signaturesOnly() {
        return Stream.of(
                Arguments.of(ImageFormat.VHD, signed("conectix", 0), "footer checksum at byte offset 0x40"),
                Arguments.of(ImageFormat.VHD, signed("conectix", -512), "footer checksum at byte offset 0xFE40"),
                Arguments.of(ImageFormat.VHD, signed("conectix", -511), "footer at byte offset 0xFE01: is the 511-byte footer"),
                Arguments.of(ImageFormat.HDD, signed("WithoutFreeSpace", 0), "version at byte offset 0x10"),
                Arguments.of(ImageFormat.HDD, signed("WithouFreSpacExt", 0), "version at byte offset 0x10"));
    }

    /** A file with a signature and nothing else is its format's, refused by its driver naming the field. */
    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("signaturesOnly")
    void signatureWithoutAnImageIsRefusedByItsDriverAndLeftUnchanged(ImageFormat format, byte[] content,
                                                                     String expected) throws Exception {
        Path f = dir.resolve("disk.img");
        Files.write(f, content);
        String before = TestFiles.sha256(f);
        assertEquals(format, DiskImages.detect(f));
        StorageException e = assertThrows(StorageException.class, () -> DiskImages.open(f, false).close());
        assertTrue(e.getMessage().startsWith(f + ": " + expected), e.getMessage());
        assertTrue(ImageChecker.hasErrors(ImageChecker.check(f)));
        assertEquals(before, TestFiles.sha256(f));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("foreignFiles")
    void foreignFileIsRefusedAndLeftUnchanged(String name, byte[] content, List<String> expected) throws Exception {
        Path f = dir.resolve("foreign.bin");
        Files.write(f, content);
        String before = TestFiles.sha256(f);
        StorageException e = assertThrows(StorageException.class, () -> DiskImages.open(f, false).close());
        for (String s : expected) {
            assertTrue(e.getMessage().contains(s), "'" + s + "' missing from: " + e.getMessage());
        }
        assertTrue(ImageChecker.hasErrors(ImageChecker.check(f)));
        assertEquals(before, TestFiles.sha256(f));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("damages")
    void checkerNamesTheSameFieldAsOpen(String name, Damage damage, List<String> expected) throws Exception {
        Path f = goodImage();
        damage.apply(f);
        String message = assertThrows(StorageException.class, () -> VdiImage.open(f, true)).getMessage();
        ImageFinding first = ImageChecker.check(f).stream()
                .filter(x -> x.severity() == ImageFinding.Severity.ERROR).findFirst().orElseThrow();
        assertTrue(message.contains(first.field()), message + " vs " + first);
    }
}
