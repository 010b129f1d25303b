package dev.strata.storage.chain;

import dev.strata.storage.Progress;
import dev.strata.storage.StorageException;
import dev.strata.storage.image.BlockState;
import dev.strata.storage.image.DiskImage;
import dev.strata.storage.image.DiskImages;
import dev.strata.storage.image.ImageFormat;
import dev.strata.storage.image.ImageVariant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Chains of real files: a VDI diff over a raw disk, and {@code medium clone} into standalone VDI and raw images. */
class FileChainsTest {

    private static final int MIB = 1 << 20;

    @TempDir
    Path folder;

    private Path chainOfTwo() throws IOException {
        Path base = folder.resolve("base.vdi");
        Path top = folder.resolve("top.vdi");
        byte[] data = new byte[MIB + 300];
        Arrays.fill(data, (byte) 0x5a);
        try (DiskImage image = DiskImages.create(base, ImageFormat.VDI, ImageVariant.STANDARD, 8L * MIB)) {
            image.write(MIB - 100, data, 0, data.length);
            try (DiskImage diff = DiskImages.createDiff(top, image)) {
                diff.write(6L * MIB + 7, data, 0, 1000);
                diff.write(3L * MIB, new byte[MIB], 0, MIB); // allocated, all zeros
            }
        }
        return top;
    }

    private static byte[] contents(DiskImage image) throws IOException {
        byte[] all = new byte[(int) image.size()];
        image.read(0, all, 0, all.length);
        return all;
    }

    @Test
    void cloneToDynamicVdiHoldsOnlyTheBlocksWithData() throws IOException {
        Path top = chainOfTwo();
        Path clone = folder.resolve("clone.vdi");
        long[] last = new long[2];
        FileChains.clone(FileChains.opener(), top, clone, ImageFormat.VDI, ImageVariant.STANDARD,
                (done, total) -> {
                    last[0] = done;
                    last[1] = total;
                });
        assertEquals(8L * MIB, last[0]);
        assertEquals(last[1], last[0]);
        try (DiskChain source = FileChains.opener().open(top, true);
             DiskImage copy = DiskImages.open(clone, true)) {
            assertArrayEquals(contents(source), contents(copy));
            assertNull(copy.parentUuid(), "a clone stands alone");
            assertEquals(ImageVariant.STANDARD, copy.variant());
            for (int b = 0; b < 8; b++) {
                BlockState want = b <= 2 || b == 6 ? BlockState.ALLOCATED : BlockState.UNALLOCATED;
                assertEquals(want, copy.blockState(b), "block " + b);
            }
        }
    }

    @Test
    void cloneToRawReadsTheSame() throws IOException {
        Path top = chainOfTwo();
        Path clone = folder.resolve("clone.raw");
        FileChains.clone(FileChains.opener(), top, clone, ImageFormat.RAW, ImageVariant.FIXED, Progress.NONE);
        try (DiskChain source = FileChains.opener().open(top, true);
             DiskImage copy = DiskImages.open(clone, true)) {
            assertEquals(ImageFormat.RAW, copy.format());
            assertArrayEquals(contents(source), contents(copy));
        }
    }

    @Test
    void cloneOntoAnExistingFileIsRefusedAndLeavesItAlone() throws IOException {
        Path top = chainOfTwo();
        Path existing = folder.resolve("existing.raw");
        byte[] old = new byte[8 * MIB];
        old[5] = 9;
        Files.write(existing, old);
        StorageException e = assertThrows(StorageException.class, () -> FileChains.clone(FileChains.opener(), top,
                existing, ImageFormat.RAW, ImageVariant.FIXED, Progress.NONE));
        assertTrue(e.getMessage().contains("existing.raw"), e.getMessage());
        assertArrayEquals(old, Files.readAllBytes(existing));
    }

    @Test
    void vdiDiffOverARawDiskFindsItsParentAndMergesIntoIt() throws IOException {
        Path raw = folder.resolve("disk.raw");
        Path diff = folder.resolve("diff.vdi");
        byte[] data = new byte[5000];
        Arrays.fill(data, (byte) 3);
        try (DiskImage base = DiskImages.create(raw, ImageFormat.RAW, ImageVariant.FIXED, 4L * MIB)) {
            base.write(0, data, 0, data.length);
            DiskImages.createDiff(diff, base).close();
        }
        byte[] want;
        try (DiskChain chain = FileChains.opener().open(diff, false)) {
            assertEquals(2, chain.depth());
            assertEquals(ImageFormat.RAW, chain.layer(0).format());
            chain.write(4000, new byte[2000], 0, 2000);
            want = contents(chain);
        }
        assertEquals(3, want[3999]);
        assertEquals(0, want[4000]);
        MergeResult result = FileChains.merger().mergeIntoParent(diff, Progress.NONE);
        assertEquals(raw, result.survivor());
        Files.delete(diff);
        try (DiskImage merged = DiskImages.open(raw, true)) {
            assertArrayEquals(want, contents(merged));
        }
    }
}
