package dev.strata.storage.image.vhd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.storage.image.BlockState;
import dev.strata.storage.image.DiskImage;
import dev.strata.storage.image.DiskImages;
import dev.strata.storage.image.ImageChecker;
import dev.strata.storage.image.ImageFormat;
import dev.strata.storage.image.ImageVariant;
import dev.strata.storage.image.QemuTools;
import dev.strata.storage.image.TestFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Round trips with QEMU's vpc driver: dynamic and fixed VHDs qemu-img makes and qemu-io writes read the same in
 * Strata, and VHDs Strata writes read the same in qemu (qemu has no check for vpc, so qemu-img compare against the
 * data written is the proof).
 */
class VhdQemuInteropTest {
    private static final int MIB = 1 << 20;
    /** What qemu-img makes of "5M": 151 cylinders of 4 heads and 17 sectors, as Strata sizes it too. */
    private static final long SIZE = 151L * 4 * 17 * 512;

    @TempDir
    Path dir;

    @BeforeAll
    static void needQemu() {
        QemuTools.require("VhdQemuInteropTest");
    }

    private String run(String... cmd) throws Exception {
        return QemuTools.run(dir, cmd);
    }

    private byte[] qemuRaw(Path img) throws Exception {
        Path raw = dir.resolve("converted.raw");
        Files.deleteIfExists(raw);
        run("qemu-img", "convert", "-f", "vpc", "-O", "raw", img.toString(), raw.toString());
        return Files.readAllBytes(raw);
    }

    private static byte[] readAll(DiskImage d) throws IOException {
        byte[] b = new byte[(int) d.size()];
        d.read(0, b, 0, b.length);
        return b;
    }

    private Path qemuWrittenReadsTheSame(String subformat) throws Exception {
        Path img = dir.resolve("q.vhd");
        run("qemu-img", "create", "-q", "-f", "vpc", "-o", "subformat=" + subformat, img.toString(), "5M");
        run("qemu-io", "-f", "vpc", "-c", "write -P 0xa5 1000 3000", "-c", "write -P 0x5a 3145728 1048576",
                "-c", "write -P 0x11 " + (SIZE - 2048) + " 2048", img.toString());
        byte[] expected = qemuRaw(img);
        try (DiskImage d = DiskImages.open(img, true)) {
            assertEquals(ImageFormat.VHD, d.format());
            assertEquals(SIZE, d.size());
            assertArrayEquals(expected, readAll(d));
        }
        assertFalse(ImageChecker.hasErrors(ImageChecker.check(img)), ImageChecker.check(img).toString());
        return img;
    }

    @Test
    void qemuDynamicVhdReadsTheSame() throws Exception {
        Path img = qemuWrittenReadsTheSame("dynamic");
        try (DiskImage d = DiskImages.open(img, true)) {
            assertEquals(ImageVariant.STANDARD, d.variant());
            assertEquals(BlockState.ALLOCATED, d.blockState(0));
            assertEquals(BlockState.ALLOCATED, d.blockState(1));
            assertEquals(BlockState.ALLOCATED, d.blockState(2));
            assertEquals("151/4/17 (cylinders/heads/sectors)", d.details().get("Geometry"));
        }
    }

    @Test
    void qemuFixedVhdReadsTheSame() throws Exception {
        Path img = qemuWrittenReadsTheSame("fixed");
        try (DiskImage d = DiskImages.open(img, true)) {
            assertEquals(ImageVariant.FIXED, d.variant());
        }
    }

    @Test
    void strataDynamicVhdReadsTheSameInQemu() throws Exception {
        QemuTools.strataWrittenPassesQemu(dir, ImageFormat.VHD, ImageVariant.STANDARD, SIZE);
    }

    @Test
    void strataFixedVhdReadsTheSameInQemu() throws Exception {
        QemuTools.strataWrittenPassesQemu(dir, ImageFormat.VHD, ImageVariant.FIXED, SIZE);
    }

    @Test
    void strataSizesANewVhdAsQemuDoes() throws Exception {
        try (DiskImage d = DiskImages.create(dir.resolve("s.vhd"), ImageFormat.VHD, ImageVariant.STANDARD,
                DiskImages.userSize(ImageFormat.VHD, 5L * MIB))) {
            assertEquals(SIZE, d.size());
        }
        assertTrue(run("qemu-img", "info", "--output=json", dir.resolve("s.vhd").toString())
                .contains("\"virtual-size\": " + SIZE));
    }

    @Test
    void qemuCanKeepWritingAStrataVhdAndStrataReadsIt() throws Exception {
        Path img = dir.resolve("m.vhd");
        try (DiskImage d = DiskImages.create(img, ImageFormat.VHD, ImageVariant.STANDARD, 4L * MIB)) {
            d.write(0, TestFiles.filled(4096, 0x42), 0, 4096);
        }
        run("qemu-io", "-f", "vpc", "-c", "write -P 0x24 2097152 4096", img.toString());
        try (DiskImage d = DiskImages.open(img, false)) {
            byte[] b = new byte[4096];
            d.read(0, b, 0, 4096);
            assertArrayEquals(TestFiles.filled(4096, 0x42), b);
            d.read(2L * MIB, b, 0, 4096);
            assertArrayEquals(TestFiles.filled(4096, 0x24), b);
            d.write(3L * MIB, TestFiles.filled(4096, 0x66), 0, 4096);
        }
        byte[] all = qemuRaw(img);
        assertEquals(0x66, all[3 * MIB + 4095]);
        assertEquals(0x24, all[2 * MIB]);
        assertEquals(0x42, all[0]);
        assertFalse(ImageChecker.hasErrors(ImageChecker.check(img)), ImageChecker.check(img).toString());
    }
}
