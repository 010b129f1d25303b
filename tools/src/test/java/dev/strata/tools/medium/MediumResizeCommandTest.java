package dev.strata.tools.medium;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.storage.media.MediaRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code strata medium resize} and {@code compact} end to end: the registry's size follows a resize, the data stays,
 * and bad requests (shrinking, a size without meaning, a differencing image, a parent with children, a format that
 * cannot) fail with one line naming the file and what to do.
 */
class MediumResizeCommandTest extends MediumCommandHarness {
    private static final int MIB = 1 << 20;
    long registeredSize(String f) throws Exception {
        return MediaRegistry.load(home).findByPath(Path.of(f)).orElseThrow().logicalSize();
    }

    byte[] cat(String f, long offset, int length) throws Exception {
        Path out = dir.resolve("output-" + System.nanoTime());
        ok("medium", "cat", f, "--offset", String.valueOf(offset), "--length", String.valueOf(length), "--output",
                out.toString());
        return Files.readAllBytes(out);
    }

    void write(String f, long offset, byte[] data) throws Exception {
        Path in = Files.write(dir.resolve("input-" + System.nanoTime()), data);
        ok("medium", "write", f, "--offset", String.valueOf(offset), "--input", in.toString());
    }

    @Test
    void resizeGrowsTheDiskAndTheRegistryFollows() throws Exception {
        for (String format : new String[] {"VDI", "VHD", "QCOW2", "HDD", "RAW"}) {
            String f = file("d-" + format + "." + format.toLowerCase());
            ok("medium", "create", "--filename", f, "--size", "4", "--format", format);
            byte[] data = new byte[5000];
            new Random(7).nextBytes(data);
            write(f, 100, data);
            Run r = ok("medium", "resize", f, "--size", "64M");
            long size = registeredSize(f);
            assertTrue(size >= 64L * MIB, format + ": " + size);
            assertTrue(r.out.contains("resized from ") && r.out.contains("(" + size + " bytes)"), r.out);
            assertTrue(ok("medium", "info", f).out.contains("(" + size + " bytes)"), format);
            assertArrayEquals(data, cat(f, 100, data.length), format);
            assertArrayEquals(new byte[4096], cat(f, size - 4096, 4096), format);
            ok("medium", "check", f);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"VDI", "QCOW2"})
    void compactGivesBackZeroBlocksAndKeepsTheData(String format) throws Exception {
        String f = file("c." + format.toLowerCase(java.util.Locale.ROOT));
        ok("medium", "create", "--filename", f, "--size", "16", "--format", format);
        byte[] data = new byte[3 * MIB];
        new Random(9).nextBytes(data);
        write(f, 0, data);
        write(f, MIB, new byte[MIB]);
        long before = Files.size(Path.of(f));
        Run r = ok("medium", "compact", f);
        assertTrue(r.out.contains("1 MB (1048576 bytes) given back"), r.out);
        assertEquals(before - MIB, Files.size(Path.of(f)));
        System.arraycopy(new byte[MIB], 0, data, MIB, MIB);
        assertArrayEquals(data, cat(f, 0, data.length));
        ok("medium", "check", f);
    }

    @Test
    void compactOfAFixedDiskIsRefused() throws Exception {
        String f = file("f.qcow2");
        ok("medium", "create", "--filename", f, "--size", "4", "--format", "QCOW2", "--variant", "Fixed");
        long before = Files.size(Path.of(f));
        Run r = fails("medium", "compact", f);
        assertTrue(r.err.contains("f.qcow2") && r.err.contains("is a fixed-size QCOW2 disk"), r.err);
        assertEquals(before, Files.size(Path.of(f)));
    }

    @Test
    void shrinkingIsRefusedNamingTheFile() throws Exception {
        String f = file("s.vdi");
        ok("medium", "create", "--filename", f, "--size", "8");
        byte[] before = Files.readAllBytes(Path.of(f));
        Run r = fails("medium", "resize", f, "--size", "4");
        assertTrue(r.err.contains("s.vdi") && r.err.contains("shrinking") && r.err.contains("refused"), r.err);
        assertArrayEquals(before, Files.readAllBytes(Path.of(f)));
        assertEquals(8L * MIB, registeredSize(f));
    }

    @Test
    void aSizeThatMeansNothingIsRefused() throws Exception {
        String f = file("u.vdi");
        ok("medium", "create", "--filename", f, "--size", "8");
        assertTrue(fails("medium", "resize", f, "--size", "huge").err.contains("invalid size 'huge'"));
        assertTrue(fails("medium", "resize", f, "--size", "12345B").err.contains("multiple of 512"));
        assertEquals(8L * MIB, registeredSize(f));
    }

    @Test
    void aDiffAndAParentWithChildrenAreRefused() throws Exception {
        String base = file("base.vdi");
        String child = file("child.vdi");
        ok("medium", "create", "--filename", base, "--size", "4");
        ok("medium", "create", "--filename", child, "--diff", base);
        Run r = fails("medium", "resize", child, "--size", "8");
        assertTrue(r.err.contains("child.vdi") && r.err.contains("is a differencing image"), r.err);
        r = fails("medium", "resize", base, "--size", "8");
        assertTrue(r.err.contains("base.vdi") && r.err.contains("differencing image(s) over it")
                && r.err.contains("merge or close them first"), r.err);
        assertEquals(4L * MIB, registeredSize(base));
    }

    @Test
    void aVmdkIsRefusedByNameButCompactedAndCompactOfAFormatWithoutItIsRefused() throws Exception {
        String f = file("v.vmdk");
        ok("medium", "create", "--filename", f, "--size", "4", "--format", "VMDK");
        Run r = fails("medium", "resize", f, "--size", "8");
        assertTrue(r.err.contains("is a VMDK image, which Strata cannot resize"), r.err);
        ok("medium", "compact", f);
        String raw = file("r.img");
        ok("medium", "create", "--filename", raw, "--size", "4", "--format", "RAW");
        r = fails("medium", "compact", raw);
        assertTrue(r.err.contains("r.img: is a fixed-size RAW disk"), r.err);
    }
}
