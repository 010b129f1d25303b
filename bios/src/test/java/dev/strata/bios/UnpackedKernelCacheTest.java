package dev.strata.bios;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnpackedKernelCacheTest {

    @TempDir
    Path dir;

    /** A payload as the kernel's build makes it: the compressed image, then its unpacked size (4 bytes). */
    private static byte[] payload(byte[] image) throws Exception {
        byte[] z = FakeKernelElf.compress(image, "gzip");
        return ByteBuffer.allocate(z.length + 4).order(ByteOrder.LITTLE_ENDIAN).put(z).putInt(image.length).array();
    }

    private static byte[] unpack(UnpackedKernelCache cache, byte[] payload) {
        return cache.unpacked("vmlinuz", payload, 0, payload.length, KernelPayload.Format.GZIP, 1 << 24);
    }

    private List<Path> kept() throws Exception {
        try (Stream<Path> files = Files.list(dir.resolve("kernels"))) {
            return files.filter(p -> p.toString().endsWith(".vmlinux")).toList();
        }
    }

    @Test
    void aKernelUnpackedOnceIsReadFromItsFileTheNextTime() throws Exception {
        UnpackedKernelCache cache = new UnpackedKernelCache(dir.resolve("kernels"));
        byte[] image = FakeKernelElf.image();
        byte[] p = payload(image);
        assertArrayEquals(image, unpack(cache, p));
        List<Path> files = kept();
        assertEquals(1, files.size());
        assertArrayEquals(image, Files.readAllBytes(files.get(0)));
        // a kept file of the right size is taken as it is: changed here, it comes back changed
        byte[] marked = image.clone();
        marked[100] ^= 1;
        Files.write(files.get(0), marked);
        assertArrayEquals(marked, unpack(cache, p));
    }

    @Test
    void payloadsOfOneLengthThatDifferInOneByteAreKeptApart() throws Exception {
        UnpackedKernelCache cache = new UnpackedKernelCache(dir.resolve("kernels"));
        byte[] image = FakeKernelElf.image();
        byte[] p = payload(image);
        byte[] other = p.clone();
        other[p.length / 2] ^= 0x40; // inside the compressed data: the same length, other bytes
        assertEquals(p.length, other.length);
        assertNotEquals(UnpackedKernelCache.key(p, 0, p.length), UnpackedKernelCache.key(other, 0, other.length));
        assertNotEquals(UnpackedKernelCache.key(p, 0, p.length), UnpackedKernelCache.key(p, 0, p.length - 1));
        unpack(cache, p);
        Path file = kept().get(0);
        assertEquals(UnpackedKernelCache.key(p, 0, p.length) + ".vmlinux", file.getFileName().toString());
    }

    @Test
    void aKeptFileOfAnotherSizeIsUnpackedAnewAndReplaced() throws Exception {
        UnpackedKernelCache cache = new UnpackedKernelCache(dir.resolve("kernels"));
        byte[] image = FakeKernelElf.image();
        byte[] p = payload(image);
        unpack(cache, p);
        Path file = kept().get(0);
        Files.write(file, new byte[100]); // a truncated copy, say
        assertArrayEquals(image, unpack(cache, p));
        assertArrayEquals(image, Files.readAllBytes(file));
    }

    @Test
    void withoutAWritableFolderTheKernelIsStillUnpacked() throws Exception {
        Path notAFolder = Files.write(dir.resolve("kernels"), new byte[1]);
        byte[] image = FakeKernelElf.image();
        assertArrayEquals(image, unpack(new UnpackedKernelCache(notAFolder.resolve("sub")), payload(image)));
    }

    @Test
    void aPayloadWhoseTrailerIsNotItsUnpackedSizeIsNotKept() throws Exception {
        UnpackedKernelCache cache = new UnpackedKernelCache(dir.resolve("kernels"));
        byte[] image = FakeKernelElf.image();
        byte[] p = payload(image);
        ByteBuffer.wrap(p).order(ByteOrder.LITTLE_ENDIAN).putInt(p.length - 4, image.length + 1);
        assertArrayEquals(image, unpack(cache, p));
        assertTrue(!Files.exists(dir.resolve("kernels")) || kept().isEmpty());
    }

    @Test
    void onlyTheMostRecentlyUsedKernelsStay() throws Exception {
        UnpackedKernelCache cache = new UnpackedKernelCache(dir.resolve("kernels"));
        byte[] first = null;
        for (int k = 0; k < UnpackedKernelCache.KEEP + 2; k++) {
            byte[] image = FakeKernelElf.image();
            image[image.length - 1] = (byte) k;
            byte[] p = payload(image);
            first = first == null ? p : first;
            unpack(cache, p);
            Thread.sleep(5); // distinct modification times
            if (k == 3) {
                unpack(cache, first); // used again: stays
            }
        }
        List<Path> files = kept();
        assertEquals(UnpackedKernelCache.KEEP, files.size());
        byte[] firstImage = FakeKernelElf.image();
        firstImage[firstImage.length - 1] = 0;
        boolean firstStayed = false;
        for (Path f : files) {
            firstStayed |= java.util.Arrays.equals(firstImage, Files.readAllBytes(f));
        }
        assertTrue(firstStayed, "the kernel used again stays");
    }
}
