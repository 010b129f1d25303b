package dev.strata.storage.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.strata.storage.StorageException;
import dev.strata.storage.image.DiskImage;
import dev.strata.storage.image.RawImage;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads files from FAT12, FAT16 and FAT32 volumes made by dosfstools and written by mtools (the same tools DOS
 * guests' disks are made with here), whole-disk and inside a partition table, and refuses damaged ones by field.
 */
class FatVolumeTest {

    @TempDir
    Path dir;
    private final byte[] big = new byte[70_000]; // several clusters on every volume here

    @BeforeEach
    void tools() {
        boolean present = works("mkfs.fat", "--help") && works("mcopy", "-V");
        if (!present) {
            String msg = "mkfs.fat or mcopy not found: install dosfstools and mtools to run FatVolumeTest";
            if ("true".equals(System.getenv("CI"))) {
                fail(msg + " (required because CI=true)");
            }
            Assumptions.abort(msg);
        }
        new Random(7).nextBytes(big);
    }

    @Test
    void readsFilesAndSubdirectoriesOnAFat12Floppy() throws Exception {
        Path img = volume("fd.img", 1440, 12, 0);
        try (DiskImage d = RawImage.open(img, true)) {
            FatVolume v = FatVolume.open(d);
            assertEquals(12, v.fatBits());
            checkFiles(v);
        }
    }

    @Test
    void readsFat16() throws Exception {
        Path img = volume("fat16.img", 32 * 1024, 16, 0);
        try (DiskImage d = RawImage.open(img, true)) {
            FatVolume v = FatVolume.open(d);
            assertEquals(16, v.fatBits());
            checkFiles(v);
        }
    }

    @Test
    void readsFat32WhoseRootIsAClusterChain() throws Exception {
        Path img = volume("fat32.img", 64 * 1024, 32, 0);
        try (DiskImage d = RawImage.open(img, true)) {
            FatVolume v = FatVolume.open(d);
            assertEquals(32, v.fatBits());
            checkFiles(v);
        }
    }

    @Test
    void findsTheFirstFatPartitionOfAnMbr() throws Exception {
        Path img = volume("hd.img", 20 * 1024, 16, 63);
        try (RandomAccessFile f = new RandomAccessFile(img.toFile(), "rw")) {
            byte[] mbr = new byte[512];
            int e = 0x1BE + 16; // the second entry: the first is empty
            mbr[e + 4] = 0x06;
            putInt(mbr, e + 8, 63);
            putInt(mbr, e + 12, 20 * 2048 - 63);
            mbr[510] = 0x55;
            mbr[511] = (byte) 0xAA;
            f.write(mbr);
        }
        try (DiskImage d = RawImage.open(img, true)) {
            checkFiles(FatVolume.open(d));
        }
    }

    @Test
    void aLoopInAClusterChainIsReportedNotFollowed() throws Exception {
        Path img = volume("loop.img", 1440, 12, 0);
        // BIG.BIN is the first file: its chain starts at cluster 2; make cluster 3 point back at 2
        try (RandomAccessFile f = new RandomAccessFile(img.toFile(), "rw")) {
            long fat = 512; // one reserved sector
            f.seek(fat + 4); // clusters 2 and 3 share bytes 3-5
            int b4 = f.read();
            int b5 = f.read();
            int c3 = 0x002;
            b4 = (b4 & 0x0F) | (c3 & 0x0F) << 4;
            b5 = c3 >> 4;
            f.seek(fat + 4);
            f.write(b4);
            f.write(b5);
        }
        try (DiskImage d = RawImage.open(img, true)) {
            StorageException e = assertThrows(StorageException.class, () -> FatVolume.open(d).readFile("BIG.BIN"));
            assertTrue(e.getMessage().contains("damaged FAT12 volume at disk offset "), e.getMessage());
            assertTrue(e.getMessage().contains("loops"), e.getMessage());
        }
    }

    @Test
    void aFileLongerThanItsChainIsReported() throws Exception {
        Path img = volume("short.img", 1440, 12, 0);
        try (DiskImage d = RawImage.open(img, false)) {
            long root = 512 + 2 * 9 * 512; // reserved + two FATs of 9 sectors
            byte[] entry = new byte[32];
            d.read(root, entry, 0, 32);
            assertEquals("BIG     BIN", new String(entry, 0, 11, StandardCharsets.US_ASCII));
            putInt(entry, 0x1C, 10_000_000);
            d.write(root, entry, 0, 32);
            StorageException e = assertThrows(StorageException.class, () -> FatVolume.open(d).readFile("BIG.BIN"));
            assertTrue(e.getMessage().contains("at disk offset " + root + ": BIG.BIN is 10000000 bytes long but its "
                    + "cluster chain holds "), e.getMessage());
        }
    }

    @Test
    void aDiskWithoutFatSaysSo() throws Exception {
        Path img = dir.resolve("zero.img");
        Files.write(img, new byte[1 << 20]);
        try (DiskImage d = RawImage.open(img, true)) {
            StorageException e = assertThrows(StorageException.class, () -> FatVolume.open(d));
            assertTrue(e.getMessage().contains("no FAT file system"), e.getMessage());
            assertTrue(e.getMessage().contains(img.toString()), e.getMessage());
        }
    }

    private void checkFiles(FatVolume v) throws IOException {
        assertEquals("hello from a guest\r\n", new String(v.readFile("NOTE.TXT").orElseThrow(),
                StandardCharsets.US_ASCII));
        assertEquals(Optional.of("hello from a guest\r\n"), v.readFile("\\note.txt").map(String::new));
        assertArrayEquals(big, v.readFile("BIG.BIN").orElseThrow());
        assertEquals("deep\r\n", new String(v.readFile("\\SUB\\DEEPER\\DEEP.TXT").orElseThrow()));
        assertEquals("deep\r\n", new String(v.readFile("sub/deeper/deep.txt").orElseThrow()));
        assertArrayEquals(new byte[0], v.readFile("EMPTY").orElseThrow());
        assertFalse(v.readFile("MISSING.TXT").isPresent());
        assertFalse(v.readFile("SUB").isPresent(), "a directory is not a file");
        assertFalse(v.readFile("NOTE.TXT\\X").isPresent(), "a file is not a directory");
    }

    /** A FAT volume of {@code kib} KiB at sector {@code offset} of a new image, with the files checkFiles reads. */
    private Path volume(String name, int kib, int bits, int offset) throws Exception {
        Path img = dir.resolve(name);
        try (RandomAccessFile f = new RandomAccessFile(img.toFile(), "rw")) {
            f.setLength((long) kib * 1024);
        }
        List<String> mkfs = new ArrayList<>(List.of("mkfs.fat", "-F", Integer.toString(bits)));
        if (offset > 0) {
            mkfs.addAll(List.of("--offset", Integer.toString(offset)));
        }
        if (bits == 12) {
            mkfs.addAll(List.of("-f", "2", "-r", "224", "-R", "1", "-s", "1"));
        }
        if (bits == 32) {
            mkfs.addAll(List.of("-s", "1"));
        }
        mkfs.add(img.toString());
        run(mkfs.toArray(String[]::new));
        String at = img + (offset > 0 ? "@@" + (offset * 512L) : "");
        Path note = dir.resolve("note.txt");
        Files.writeString(note, "hello from a guest\r\n");
        Path bigFile = dir.resolve("big.bin");
        Files.write(bigFile, big);
        Path deep = dir.resolve("deep.txt");
        Files.writeString(deep, "deep\r\n");
        Path empty = dir.resolve("empty");
        Files.write(empty, new byte[0]);
        run("mcopy", "-i", at, bigFile.toString(), "::BIG.BIN");
        run("mcopy", "-i", at, note.toString(), "::NOTE.TXT");
        run("mmd", "-i", at, "::SUB");
        run("mmd", "-i", at, "::SUB/DEEPER");
        run("mcopy", "-i", at, deep.toString(), "::SUB/DEEPER/DEEP.TXT");
        run("mcopy", "-i", at, empty.toString(), "::EMPTY");
        return img;
    }

    private static void putInt(byte[] b, int at, int v) {
        for (int i = 0; i < 4; i++) {
            b[at + i] = (byte) (v >>> (8 * i));
        }
    }

    private static void run(String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("MTOOLS_SKIP_CHECK", "1");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", cmd));
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + ":\n" + out);
    }

    private static boolean works(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS);
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
