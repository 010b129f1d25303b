package dev.strata.storage.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs qemu-img and qemu-io for the interop tests (required when CI=true, skipped loudly otherwise; Debian package
 * qemu-utils), and holds the round trips several formats' interop tests share.
 */
public final class QemuTools {
    private QemuTools() {
    }

    /** What a command printed (standard output and error together) and how it exited. */
    public record Result(int exit, String output) {
    }

    /** Fails under CI=true and aborts the test class otherwise when qemu-img or qemu-io is missing. */
    public static void require(String testName) {
        boolean present = works("qemu-img", "--version") && works("qemu-io", "--version");
        if (!present) {
            String msg = "qemu-img/qemu-io not found on the PATH: install qemu-utils to run " + testName;
            if ("true".equals(System.getenv("CI"))) {
                fail(msg + " (required because CI=true)");
            }
            System.err.println("\n*** SKIPPED " + testName + ": " + msg + " ***\n");
            Assumptions.abort(msg);
        }
    }

    private static boolean works(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Runs {@code cmd} in {@code dir}. */
    public static Result exec(Path dir, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "timed out: " + String.join(" ", cmd));
        return new Result(p.exitValue(), out);
    }

    /** Runs {@code cmd} in {@code dir} and fails the test unless it exits 0; returns its output. */
    public static String run(Path dir, String... cmd) throws Exception {
        Result r = exec(dir, cmd);
        assertEquals(0, r.exit(), String.join(" ", cmd) + " failed:\n" + r.output());
        return r.output();
    }

    /**
     * Makes a {@code format} image of {@code size} bytes in {@code dir}, writes data across blocks and its last
     * sector through Strata, and checks that qemu-img finds no errors (where qemu checks the format), reads the same bytes and the same size, and
     * that Strata's own check agrees.
     */
    public static void strataWrittenPassesQemu(Path dir, ImageFormat format, ImageVariant variant, long size)
            throws Exception {
        String name = qemuName(format);
        Path img = dir.resolve("s." + format.name().toLowerCase(Locale.ROOT));
        byte[] expected = new byte[(int) size];
        int mib = 1 << 20;
        try (DiskImage d = DiskImages.create(img, format, variant, size)) {
            writeBoth(d, expected, 1000, TestFiles.pattern(3000, 1));
            writeBoth(d, expected, mib - 700, TestFiles.pattern(mib + 1400, 2));
            writeBoth(d, expected, size - 512, TestFiles.filled(512, 0x77));
            writeBoth(d, expected, 1500, TestFiles.filled(10, 0x33));
        }
        Path raw = dir.resolve("expected.raw");
        Files.write(raw, expected);
        // qemu has no check for some formats (vpc); compare below still reads every byte through qemu's driver
        assertQemuChecksClean(dir, img, name);
        String cmp = run(dir, "qemu-img", "compare", "-f", name, "-F", "raw", img.toString(), raw.toString());
        assertTrue(cmp.contains("identical"), cmp);
        // with -f: qemu probes only the header at offset 0, so it takes a fixed VHD (footer only) for raw
        String info = run(dir, "qemu-img", "info", "-f", name, "--output=json", img.toString());
        assertTrue(info.contains("\"virtual-size\": " + size), info);
        assertTrue(info.contains("\"format\": \"" + name + "\""), info);
        assertFalse(ImageChecker.hasErrors(ImageChecker.check(img)), ImageChecker.check(img).toString());
    }

    /** Every byte of {@code img} as qemu reads it ({@code qemuFormat} null: as qemu probes it). */
    public static byte[] qemuRaw(Path dir, Path img, String qemuFormat) throws Exception {
        Path raw = dir.resolve("converted.raw");
        Files.deleteIfExists(raw);
        if (qemuFormat == null) {
            run(dir, "qemu-img", "convert", "-O", "raw", img.toString(), raw.toString());
        } else {
            run(dir, "qemu-img", "convert", "-f", qemuFormat, "-O", "raw", img.toString(), raw.toString());
        }
        return Files.readAllBytes(raw);
    }

    /** Every byte of {@code d} as Strata reads it. */
    public static byte[] readAll(DiskImage d) throws IOException {
        byte[] b = new byte[(int) d.size()];
        d.read(0, b, 0, b.length);
        return b;
    }

    /** qemu-io writes the interop tests' three patterns: across a sector, across 1 MiB, and 2 KiB at {@code last}. */
    public static void qemuWritesThreePatterns(Path dir, Path img, String qemuFormat, long last) throws Exception {
        run(dir, "qemu-io", "-f", qemuFormat, "-c", "write -P 0xa5 1000 3000", "-c", "write -P 0x5a 3145728 1048576",
                "-c", "write -P 0x11 " + last + " 2048", img.toString());
    }

    /** Strata opens {@code img} as {@code format} of {@code size} bytes, reads what qemu reads, and checks it clean. */
    public static void strataReadsWhatQemuReads(Path dir, Path img, ImageFormat format, long size) throws Exception {
        byte[] expected = qemuRaw(dir, img, qemuName(format));
        try (DiskImage d = DiskImages.open(img, true)) {
            assertEquals(format, d.format());
            assertEquals(size, d.size());
            assertTrue(java.util.Arrays.equals(expected, readAll(d)), "Strata reads what qemu reads");
        }
        assertFalse(ImageChecker.hasErrors(ImageChecker.check(img)), ImageChecker.check(img).toString());
    }

    /**
     * A 4 MiB Strata image of {@code format} gets a write from qemu-io (which must not overwrite Strata's block,
     * whatever the format counts as allocated), then one from Strata; both tools read all three writes, and qemu-img
     * check (where qemu checks the format) and Strata's check find no errors.
     */
    public static void qemuAndStrataTakeTurnsWriting(Path dir, ImageFormat format) throws Exception {
        String name = qemuName(format);
        int mib = 1 << 20;
        Path img = dir.resolve("m." + format.name().toLowerCase(Locale.ROOT));
        try (DiskImage d = DiskImages.create(img, format, ImageVariant.STANDARD, 4L * mib)) {
            d.write(0, TestFiles.filled(4096, 0x42), 0, 4096);
        }
        run(dir, "qemu-io", "-f", name, "-c", "write -P 0x24 2097152 4096", img.toString());
        assertQemuChecksClean(dir, img, name);
        try (DiskImage d = DiskImages.open(img, false)) {
            byte[] b = new byte[4096];
            d.read(0, b, 0, 4096);
            assertTrue(java.util.Arrays.equals(TestFiles.filled(4096, 0x42), b), "Strata's own write");
            d.read(2L * mib, b, 0, 4096);
            assertTrue(java.util.Arrays.equals(TestFiles.filled(4096, 0x24), b), "qemu's write");
            d.write(3L * mib, TestFiles.filled(4096, 0x66), 0, 4096);
        }
        byte[] all = qemuRaw(dir, img, name);
        assertEquals(0x66, all[3 * mib + 4095]);
        assertEquals(0x24, all[2 * mib]);
        assertEquals(0x42, all[0]);
        assertQemuChecksClean(dir, img, name);
        assertFalse(ImageChecker.hasErrors(ImageChecker.check(img)), ImageChecker.check(img).toString());
    }

    /** qemu-img check finds no errors, unless qemu has no check for the format (vpc). */
    private static void assertQemuChecksClean(Path dir, Path img, String qemuFormat) throws Exception {
        Result check = exec(dir, "qemu-img", "check", "-f", qemuFormat, img.toString());
        if (!check.output().contains("does not support checks")) {
            assertEquals(0, check.exit(), "qemu-img check failed:\n" + check.output());
            assertTrue(check.output().contains("No errors"), check.output());
        }
    }

    /** What qemu calls {@code format}. */
    public static String qemuName(ImageFormat format) {
        return switch (format) {
            case VHD -> "vpc";
            case HDD -> "parallels";
            default -> format.name().toLowerCase(Locale.ROOT);
        };
    }

    /** Writes the same data through Strata and into an expected byte array. */
    private static void writeBoth(DiskImage img, byte[] expected, long offset, byte[] data) throws IOException {
        img.write(offset, data, 0, data.length);
        System.arraycopy(data, 0, expected, (int) offset, data.length);
    }
}
