package dev.strata.storage.image.parallels;

import dev.strata.storage.image.ImageFormat;
import dev.strata.storage.image.ImageVariant;
import dev.strata.storage.image.QemuTools;
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

    @Test
    void qemuMadeDiskReadsTheSame() throws Exception {
        Path img = dir.resolve("q.hdd");
        QemuTools.run(dir, "qemu-img", "create", "-q", "-f", "parallels", img.toString(), "5M");
        QemuTools.qemuWritesThreePatterns(dir, img, "parallels", 5L * MIB - 2048);
        QemuTools.strataReadsWhatQemuReads(dir, img, ImageFormat.HDD, 5L * MIB);
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
        QemuTools.qemuAndStrataTakeTurnsWriting(dir, ImageFormat.HDD);
    }
}
