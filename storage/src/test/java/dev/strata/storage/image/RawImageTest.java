package dev.strata.storage.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.storage.StorageException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RawImageTest {
    @TempDir
    Path dir;

    @Test
    void createdImageHasRequestedSizeAndReadsZeros() throws Exception {
        Path f = dir.resolve("d.img");
        try (DiskImage img = DiskImages.create(f, ImageFormat.RAW, ImageVariant.FIXED, 3 * 1024 * 1024 + 512)) {
            assertEquals(ImageFormat.RAW, img.format());
            assertEquals(3 * 1024 * 1024 + 512, img.size());
            assertEquals(1 << 20, img.blockSize());
            assertEquals(4, img.blockCount());
            assertEquals(BlockState.ALLOCATED, img.blockState(3));
            byte[] b = TestFiles.filled(4096, 7);
            img.read(img.size() - 4096, b, 0, 4096);
            assertArrayEquals(new byte[4096], b);
        }
        assertEquals(3 * 1024 * 1024 + 512, Files.size(f));
    }

    @Test
    void writesLandAtTheSameFileOffset() throws Exception {
        Path f = dir.resolve("d.img");
        byte[] data = TestFiles.pattern(5000, 1);
        try (DiskImage img = DiskImages.create(f, ImageFormat.RAW, ImageVariant.STANDARD, 2 << 20)) {
            img.write((1 << 20) - 100, data, 0, data.length);
        }
        byte[] file = Files.readAllBytes(f);
        assertArrayEquals(data, java.util.Arrays.copyOfRange(file, (1 << 20) - 100, (1 << 20) - 100 + 5000));
        try (DiskImage img = DiskImages.open(f, true)) {
            byte[] back = new byte[5000];
            img.read((1 << 20) - 100, back, 0, 5000);
            assertArrayEquals(data, back);
        }
    }

    @Test
    void uuidIsTheCallersOrDerivedFromThePath() throws Exception {
        Path f = dir.resolve("d.img");
        DiskImages.create(f, ImageFormat.RAW, ImageVariant.FIXED, 512).close();
        UUID given = UUID.randomUUID();
        try (DiskImage a = DiskImages.open(f, true, given); DiskImage b = DiskImages.open(f, true);
             DiskImage c = RawImage.open(f, true)) {
            assertEquals(given, a.uuid());
            assertEquals(RawImage.pathUuid(f), b.uuid());
            assertEquals(b.uuid(), c.uuid());
            assertNull(b.parentUuid());
        }
    }

    @Test
    void refusesParentAndReadOnlyWrites() throws Exception {
        Path f = dir.resolve("d.img");
        DiskImages.create(f, ImageFormat.RAW, ImageVariant.FIXED, 4096).close();
        String before = TestFiles.sha256(f);
        try (DiskImage img = DiskImages.open(f, true)) {
            assertTrue(img.readOnly());
            StorageException e = assertThrows(StorageException.class, () -> img.write(0, new byte[1], 0, 1));
            assertTrue(e.getMessage().contains("read-only"), e.getMessage());
            assertThrows(StorageException.class, () -> img.setParentUuid(UUID.randomUUID()));
        }
        assertEquals(before, TestFiles.sha256(f));
    }

    @Test
    void refusesAccessOutsideTheDisk() throws Exception {
        Path f = dir.resolve("d.img");
        try (DiskImage img = DiskImages.create(f, ImageFormat.RAW, ImageVariant.FIXED, 4096)) {
            StorageException e = assertThrows(StorageException.class, () -> img.read(4000, new byte[512], 0, 512));
            assertTrue(e.getMessage().contains("4000"), e.getMessage());
        }
    }

    @Test
    void fileNotAMultipleOf512IsRefused() throws Exception {
        Path f = dir.resolve("odd.img");
        Files.write(f, new byte[1000]);
        StorageException e = assertThrows(StorageException.class, () -> RawImage.open(f, true));
        assertTrue(e.getMessage().contains("1000") && e.getMessage().contains("512"), e.getMessage());
    }
}
