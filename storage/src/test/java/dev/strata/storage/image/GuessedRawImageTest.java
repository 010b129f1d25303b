package dev.strata.storage.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.storage.StorageException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A raw disk whose format nobody recorded (raw was guessed from its content) refuses writes that would make it
 * look like another format, so its guest cannot change how it opens next time; a disk recorded as raw takes any
 * write, and reopens as raw.
 */
class GuessedRawImageTest {
    private static final int SIZE = 1 << 20;

    @TempDir
    Path dir;

    private Path rawFile() throws Exception {
        Path f = dir.resolve("disk.img");
        Files.write(f, new byte[SIZE]);
        return f;
    }

    private Path vdiHeader() throws Exception {
        Path vdi = dir.resolve("h.vdi");
        DiskImages.create(vdi, ImageFormat.VDI, ImageVariant.STANDARD, SIZE).close();
        return vdi;
    }

    @Test
    void guessedRawDiskRefusesAVdiHeaderAndStaysRaw() throws Exception {
        Path f = rawFile();
        byte[] header = Arrays.copyOf(Files.readAllBytes(vdiHeader()), 4096);
        try (DiskImage img = DiskImages.open(f, false)) {
            assertEquals(ImageFormat.RAW, img.format());
            StorageException e = assertThrows(StorageException.class, () -> img.write(0, header, 0, header.length));
            assertTrue(e.getMessage().contains("would make this raw disk look like a VDI image"), e.getMessage());
            // the signature alone, written on its own, is refused too
            byte[] sig = Arrays.copyOfRange(header, 0x40, 0x44);
            assertThrows(StorageException.class, () -> img.write(0x40, sig, 0, 4));
        }
        assertArrayEquals(new byte[SIZE], Files.readAllBytes(f), "nothing was written");
        assertEquals(ImageFormat.RAW, DiskImages.detect(f));
    }

    @Test
    void guessedRawDiskRefusesATrailerSignatureButTakesOrdinaryWrites() throws Exception {
        Path f = rawFile();
        byte[] footer = new byte[512];
        System.arraycopy("conectix".getBytes(StandardCharsets.US_ASCII), 0, footer, 0, 8);
        byte[] mbr = new byte[512];
        mbr[510] = 0x55;
        mbr[511] = (byte) 0xAA;
        try (DiskImage img = DiskImages.open(f, false)) {
            StorageException e = assertThrows(StorageException.class, () -> img.write(SIZE - 512, footer, 0, 512));
            assertTrue(e.getMessage().contains("look like a VHD image"), e.getMessage());
            img.write(0, mbr, 0, 512);
            img.write(SIZE - 512, mbr, 0, 512);
        }
        assertEquals(ImageFormat.RAW, DiskImages.detect(f));
    }

    @Test
    void diskRecordedAsRawTakesAnyWriteAndStillOpensAsRaw() throws Exception {
        Path f = rawFile();
        byte[] header = Arrays.copyOf(Files.readAllBytes(vdiHeader()), 4096);
        try (DiskImage img = DiskImages.open(f, false, ImageFormat.RAW, null)) {
            img.write(0, header, 0, header.length);
        }
        try (DiskImage img = DiskImages.open(f, true, ImageFormat.RAW, null)) {
            assertEquals(ImageFormat.RAW, img.format());
            assertEquals(SIZE, img.size());
            byte[] back = new byte[4096];
            img.read(0, back, 0, back.length);
            assertArrayEquals(header, back);
        }
    }
}
