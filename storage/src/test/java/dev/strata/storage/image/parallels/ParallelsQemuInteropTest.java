package dev.strata.storage.image.parallels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.storage.image.DiskImage;
import dev.strata.storage.image.DiskImages;
import dev.strata.storage.image.ImageChecker;
import dev.strata.storage.image.ImageFormat;
import dev.strata.storage.image.ImageVariant;
import dev.strata.storage.image.QemuTools;
import dev.strata.storage.image.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Round trips with QEMU's parallels driver, both ways, with qemu-img check on what Strata writes. */
class ParallelsQemuInteropTest {
    private static final int MIB = 1 << 20;

    @TempDir
    Path dir;

    @BeforeAll
    static void needQemu() {
        QemuTools.require("ParallelsQemuInteropTest");
    }

    private String run(String... cmd) throws Exception {
        return QemuTools.run(dir, cmd);
    }

    private byte[] qemuRaw(Path img) throws Exception {
        Path raw = dir.resolve("converted.raw");
        Files.deleteIfExists(raw);
        run("qemu-img", "convert", "-f", "parallels", "-O", "raw", img.toString(), raw.toString());
        return Files.readAllBytes(raw);
    }

    @Test
    void qemuMadeDiskReadsTheSame() throws Exception {
        Path img = dir.resolve("q.hdd");
        run("qemu-img", "create", "-q", "-f", "parallels", img.toString(), "5M");
        run("qemu-io", "-f", "parallels", "-c", "write -P 0xa5 1000 3000", "-c", "write -P 0x5a 3145728 1048576",
                "-c", "write -P 0x11 5240832 2048", img.toString());
        byte[] expected = qemuRaw(img);
        try (DiskImage d = DiskImages.open(img, true)) {
            assertEquals(ImageFormat.HDD, d.format());
            assertEquals(5L * MIB, d.size());
            byte[] all = new byte[(int) d.size()];
            d.read(0, all, 0, all.length);
            assertArrayEquals(expected, all);
        }
        assertFalse(ImageChecker.hasErrors(ImageChecker.check(img)), ImageChecker.check(img).toString());
    }

    @Test
    void strataExpandingDiskPassesQemuCheckAndCompare() throws Exception {
        QemuTools.strataWrittenPassesQemu(dir, ImageFormat.HDD, ImageVariant.STANDARD, 5L * MIB);
    }

    @Test
    void strataFixedDiskPassesQemuCheckAndCompare() throws Exception {
        QemuTools.strataWrittenPassesQemu(dir, ImageFormat.HDD, ImageVariant.FIXED, 3L * MIB + 512);
    }

    @Test
    void qemuCanKeepWritingAStrataDiskAndStrataReadsIt() throws Exception {
        Path img = dir.resolve("m.hdd");
        try (DiskImage d = DiskImages.create(img, ImageFormat.HDD, ImageVariant.STANDARD, 4L * MIB)) {
            d.write(0, TestFiles.filled(4096, 0x42), 0, 4096);
        }
        run("qemu-io", "-f", "parallels", "-c", "write -P 0x24 2097152 4096", img.toString());
        try (DiskImage d = DiskImages.open(img, false)) {
            byte[] b = new byte[4096];
            d.read(2L * MIB, b, 0, 4096);
            assertArrayEquals(TestFiles.filled(4096, 0x24), b);
            d.write(3L * MIB, TestFiles.filled(4096, 0x66), 0, 4096);
        }
        byte[] all = qemuRaw(img);
        assertEquals(0x66, all[3 * MIB + 4095]);
        assertEquals(0x24, all[2 * MIB]);
        assertEquals(0x42, all[0]);
        assertTrue(run("qemu-img", "check", "-f", "parallels", img.toString()).contains("No errors"));
    }
}
