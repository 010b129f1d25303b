package dev.strata.storage.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Round trips with QEMU's VDI driver: images qemu-img makes read the same in Strata, and images Strata makes
 * pass {@code qemu-img check} and compare equal to the expected raw bytes. Needs qemu-img and qemu-io
 * (Debian package qemu-utils): required when CI=true, skipped loudly otherwise.
 */
class QemuInteropTest {
    private static final int MIB = 1 << 20;

    @TempDir
    Path dir;

    @BeforeAll
    static void needQemu() {
        QemuTools.require("QemuInteropTest");
    }

    private String run(String... cmd) throws Exception {
        return QemuTools.run(dir, cmd);
    }

    /** Writes with qemu-io, then checks Strata reads exactly what {@code qemu-img convert -O raw} produces. */
    private void qemuWrittenReadsTheSame(String format, String... createOptions) throws Exception {
        Path img = dir.resolve("q." + format);
        List<String> create = new ArrayList<>(List.of("qemu-img", "create", "-q", "-f", format));
        create.addAll(List.of(createOptions));
        create.addAll(List.of(img.toString(), "5M"));
        run(create.toArray(String[]::new));
        run("qemu-io", "-f", format, "-c", "write -P 0xa5 1000 3000", "-c", "write -P 0x5a 3145728 1048576",
                "-c", "write -P 0x11 2094592 2048", img.toString());
        Path raw = dir.resolve("converted.raw");
        run("qemu-img", "convert", "-f", format, "-O", "raw", img.toString(), raw.toString());
        byte[] expected = Files.readAllBytes(raw);
        assertEquals(5 * MIB, expected.length);
        try (DiskImage d = DiskImages.open(img, true)) {
            assertEquals(format.equals("vdi") ? ImageFormat.VDI : ImageFormat.RAW, d.format());
            assertEquals(5L * MIB, d.size());
            byte[] actual = new byte[5 * MIB];
            d.read(0, actual, 0, actual.length);
            assertArrayEquals(expected, actual);
        }
        assertTrue(!ImageChecker.hasErrors(ImageChecker.check(img)), ImageChecker.check(img).toString());
    }

    @Test
    void qemuDynamicVdiReadsTheSame() throws Exception {
        qemuWrittenReadsTheSame("vdi", "-o", "static=off");
        try (VdiImage d = VdiImage.open(dir.resolve("q.vdi"), true)) {
            assertEquals(ImageVariant.STANDARD, d.variant());
            assertEquals(BlockState.ALLOCATED, d.blockState(0));
            assertEquals(BlockState.ALLOCATED, d.blockState(1));
            assertEquals(BlockState.UNALLOCATED, d.blockState(2));
            assertEquals(BlockState.ALLOCATED, d.blockState(3));
            assertEquals(BlockState.UNALLOCATED, d.blockState(4));
            assertEquals(0x180, d.header().headerSize());
        }
    }

    @Test
    void qemuFixedVdiReadsTheSame() throws Exception {
        qemuWrittenReadsTheSame("vdi", "-o", "static=on");
        try (VdiImage d = VdiImage.open(dir.resolve("q.vdi"), true)) {
            assertEquals(ImageVariant.FIXED, d.variant());
            assertEquals(5L * MIB, d.allocatedBytes());
        }
    }

    @Test
    void qemuRawReadsTheSame() throws Exception {
        qemuWrittenReadsTheSame("raw");
    }

    private void strataWrittenPassesQemu(ImageVariant variant, long size) throws Exception {
        QemuTools.strataWrittenPassesQemu(dir, ImageFormat.VDI, variant, size);
    }

    @Test
    void strataDynamicVdiPassesQemuCheckAndCompare() throws Exception {
        strataWrittenPassesQemu(ImageVariant.STANDARD, 5L * MIB);
    }

    @Test
    void strataFixedVdiPassesQemuCheckAndCompare() throws Exception {
        strataWrittenPassesQemu(ImageVariant.FIXED, 5L * MIB);
    }

    @Test
    void strataVdiWithAPartialLastBlockPassesQemu() throws Exception {
        strataWrittenPassesQemu(ImageVariant.STANDARD, 3L * MIB + 512);
    }

    @Test
    void emptyStrataVdiPassesQemuCheck() throws Exception {
        Path img = dir.resolve("e.vdi");
        DiskImages.create(img, ImageFormat.VDI, ImageVariant.STANDARD, 64L * MIB).close();
        assertTrue(run("qemu-img", "check", "-f", "vdi", img.toString()).contains("No errors"));
        Path raw = dir.resolve("zero.raw");
        run("qemu-img", "create", "-q", "-f", "raw", raw.toString(), "64M");
        assertTrue(run("qemu-img", "compare", "-f", "vdi", "-F", "raw", img.toString(), raw.toString()).contains("identical"));
    }

    /** qemu places its new block after the header's allocated count: a wrong count would overwrite ours. */
    @Test
    void qemuCanKeepWritingAStrataImageAndStrataReadsIt() throws Exception {
        QemuTools.qemuAndStrataTakeTurnsWriting(dir, ImageFormat.VDI);
    }

    @Test
    void imagesOfMultiplesOf256GiBPassQemuCheckBothWays() throws Exception {
        for (String size : List.of("255G", "256G", "257G", "512G", "1T")) {
            long bytes = Long.parseLong(size.substring(0, size.length() - 1)) << (size.endsWith("T") ? 40 : 30);
            Path ours = dir.resolve("ours-" + size + ".vdi");
            try (DiskImage img = DiskImages.create(ours, ImageFormat.VDI, ImageVariant.STANDARD, bytes)) {
                img.write(bytes - 4096, TestFiles.filled(4096, 0x5a), 0, 4096);
            }
            run("qemu-img", "check", "-q", ours.toString());
            Path theirs = dir.resolve("theirs-" + size + ".vdi");
            run("qemu-img", "create", "-q", "-f", "vdi", theirs.toString(), size);
            Path diff = dir.resolve("diff-" + size + ".vdi");
            try (DiskImage parent = DiskImages.open(theirs, true); DiskImage child = DiskImages.createDiff(diff, parent)) {
                assertEquals(bytes, child.size());
                child.write(0, TestFiles.filled(512, 0xa5), 0, 512);
            }
            assertTrue(!ImageChecker.hasErrors(ImageChecker.check(diff)), size + ": " + ImageChecker.check(diff));
            run("qemu-img", "check", "-q", theirs.toString()); // QEMU does not open VDI diffs: Strata checked it
            Files.delete(ours);
            Files.delete(theirs);
            Files.delete(diff);
        }
    }
}
