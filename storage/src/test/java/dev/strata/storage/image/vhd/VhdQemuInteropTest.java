package dev.strata.storage.image.vhd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.storage.image.BlockState;
import dev.strata.storage.image.DiskImage;
import dev.strata.storage.image.DiskImages;
import dev.strata.storage.image.ImageFormat;
import dev.strata.storage.image.ImageVariant;
import dev.strata.storage.image.QemuTools;
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

    private Path qemuWrittenReadsTheSame(String subformat) throws Exception {
        Path img = dir.resolve("q.vhd");
        QemuTools.run(dir, "qemu-img", "create", "-q", "-f", "vpc", "-o", "subformat=" + subformat, img.toString(),
                "5M");
        QemuTools.qemuWritesThreePatterns(dir, img, "vpc", SIZE - 2048);
        QemuTools.strataReadsWhatQemuReads(dir, img, ImageFormat.VHD, SIZE);
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
        assertTrue(QemuTools.run(dir, "qemu-img", "info", "--output=json", dir.resolve("s.vhd").toString())
                .contains("\"virtual-size\": " + SIZE));
    }

    @Test
    void qemuCanKeepWritingAStrataVhdAndStrataReadsIt() throws Exception {
        QemuTools.qemuAndStrataTakeTurnsWriting(dir, ImageFormat.VHD);
    }
}
