package dev.strata.tools.medium;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.storage.image.ImageFormat;
import dev.strata.storage.media.MediaRegistry;
import dev.strata.storage.media.Medium;
import dev.strata.storage.media.StrataHome;
import dev.strata.tools.StrataCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * The medium commands against files that are not what they should be: sizes at the VDI block-map edge, formats
 * Strata does not open, things that are no image file at all, damaged or looping chains, a registry that
 * disagrees with its files, and flags that cannot apply. Each case comes from a reproduction in the issue.
 */
class MediumFileSafetyTest {
    @TempDir
    Path dir;
    Path home;

    record Run(int exit, String out, String err) {
    }

    @BeforeEach
    void pointHomeAtTemp() {
        home = dir.resolve("home");
        System.setProperty(StrataHome.PROPERTY, home.toString());
    }

    @AfterEach
    void restore() {
        System.clearProperty(StrataHome.PROPERTY);
    }

    Run run(String... args) {
        CommandLine cl = StrataCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    Run ok(String... args) {
        Run r = run(args);
        assertEquals(0, r.exit, "strata " + String.join(" ", args) + "\nout: " + r.out + "\nerr: " + r.err);
        return r;
    }

    /** A listing that reports registry problems: it prints them and exits 1, so scripts notice. */
    Run listWithProblems() {
        Run r = run("medium", "list");
        assertEquals(1, r.exit, "strata medium list should report problems\nout: " + r.out + "\nerr: " + r.err);
        return r;
    }

    /** Fails with exit 1 and one line "strata: MESSAGE" that contains {@code expected}. */
    String fails(String expected, String... args) {
        Run r = run(args);
        assertEquals(1, r.exit, "strata " + String.join(" ", args) + " should fail\nout: " + r.out + "\nerr: " + r.err);
        assertTrue(r.err.startsWith("strata: "), r.err);
        assertFalse(r.err.contains("\tat "), "no stack trace: " + r.err);
        assertEquals(1, r.err.strip().lines().count(), "one line: " + r.err);
        assertTrue(r.err.contains(expected), "'" + expected + "' missing from: " + r.err);
        return r.err;
    }

    String file(String name) {
        return dir.resolve(name).toString();
    }

    static String sha256(Path p) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }

    static void poke(Path f, long offset, byte[] data) throws Exception {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(data), offset);
        }
    }

    byte[] cat(String f, long offset, int length) throws Exception {
        Path out = dir.resolve("output-" + System.nanoTime());
        ok("medium", "cat", f, "--offset", String.valueOf(offset), "--length", String.valueOf(length), "--output",
                out.toString());
        return Files.readAllBytes(out);
    }

    // ---- item 1: sizes that are multiples of 256 GiB ----

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"255G", "256G", "257G", "512G", "1T"})
    void createOfThisSizeGivesAnImageThatChecksClean(String size) throws Exception {
        ok("medium", "create", "--filename", file("d.vdi"), "--size", size);
        Run check = ok("medium", "check", file("d.vdi"));
        assertTrue(check.out.contains("no errors found"), check.out);
        ok("medium", "create", "--filename", file("c.vdi"), "--diff", file("d.vdi"));
        ok("medium", "check", file("c.vdi"));
    }

    // ---- item 9: formats Strata does not open ----

    @Test
    void vhdxIsRefusedByNameByEveryCommandAndNeverWritten() throws Exception {
        Path vhdx = dir.resolve("disk.vhdx");
        byte[] content = new byte[1 << 20];
        System.arraycopy("vhdxfile".getBytes(StandardCharsets.US_ASCII), 0, content, 0, 8);
        Files.write(vhdx, content);
        String before = sha256(vhdx);
        Path in = Files.write(dir.resolve("in.bin"), new byte[512]);
        String expected = "disk.vhdx: is a VHDX image; Strata does not open VHDX images yet";
        fails(expected, "medium", "write", vhdx.toString(), "--offset", "0", "--input", in.toString());
        fails(expected, "medium", "cat", vhdx.toString(), "--length", "512", "--output", file("out.bin"));
        fails(expected, "medium", "info", vhdx.toString());
        fails(expected, "medium", "clone", vhdx.toString(), file("copy.vdi"));
        fails(expected, "medium", "create", "--filename", file("child.vdi"), "--diff", vhdx.toString());
        assertEquals(before, sha256(vhdx));
        assertFalse(Files.exists(dir.resolve("out.bin")));
        assertFalse(Files.exists(dir.resolve("copy.vdi")));
        assertTrue(MediaRegistry.load(home).all().isEmpty(), "nothing registered");
    }

    // ---- messages: things that are not image files ----

    @Test
    void directoryDevicesAndEmptyFilesSayWhatTheyAre() throws Exception {
        Files.createDirectory(dir.resolve("adir"));
        Files.createFile(dir.resolve("empty.img"));
        fails("adir: is a directory, not a disk image", "medium", "info", file("adir"));
        fails("adir: is a directory, not a disk image", "medium", "check", file("adir"));
        fails("/dev/zero: is not a regular file", "medium", "info", "/dev/zero");
        fails("/dev/null: is not a regular file", "medium", "write", "/dev/null", "--offset", "0");
        fails("/dev/null: is not a regular file", "medium", "check", "/dev/null");
        fails("empty.img: is empty (0 bytes), not a disk image", "medium", "info", file("empty.img"));
        fails("empty.img: is empty (0 bytes), not a disk image", "medium", "check", file("empty.img"));
        Path fifo = dir.resolve("fifo");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        if (mk.waitFor() == 0) {
            fails("fifo: is not a regular file", "medium", "info", fifo.toString());
            fails("fifo: is not a regular file", "medium", "cat", fifo.toString());
        }
    }

    @Test
    void missingOrDirectoryInputIsNamed() throws Exception {
        ok("medium", "create", "--filename", file("d.vdi"), "--size", "1M");
        Files.createDirectory(dir.resolve("adir"));
        fails("nope: --input: no such file", "medium", "write", file("d.vdi"), "--offset", "0", "--input",
                file("nope"));
        fails("adir: --input: is a directory", "medium", "write", file("d.vdi"), "--offset", "0", "--input",
                file("adir"));
    }

    @Test
    void catWithALengthThatOverflowsIsRefusedBeforeWritingAnything() throws Exception {
        ok("medium", "create", "--filename", file("d.vdi"), "--size", "1M");
        fails("--offset 1 --length 9223372036854775807 is outside the disk", "medium", "cat", file("d.vdi"),
                "--offset", "1", "--length", "9223372036854775807", "--output", file("out.bin"));
        assertFalse(Files.exists(dir.resolve("out.bin")), "nothing was written");
    }

    @Test
    void flagsThatCannotApplyToADiffAreRefused() throws Exception {
        ok("medium", "create", "--filename", file("p.vdi"), "--size", "1M");
        Run fixed = run("medium", "create", "--filename", file("c.vdi"), "--diff", file("p.vdi"), "--variant", "Fixed");
        assertEquals(2, fixed.exit, fixed.err);
        assertTrue(fixed.err.contains("--variant Fixed and --diff do not go together"), fixed.err);
        Run raw = run("medium", "create", "--filename", file("c.vdi"), "--diff", file("p.vdi"), "--format", "RAW");
        assertEquals(2, raw.exit, raw.err);
        assertTrue(raw.err.contains("--format RAW and --diff do not go together: RAW has no differencing images"), raw.err);
        Run sized = run("medium", "create", "--filename", file("c.vdi"), "--diff", file("p.vdi"), "--size", "2M");
        assertEquals(2, sized.exit, sized.err);
        assertTrue(sized.err.contains("--size 2M and --diff do not go together"), sized.err);
        assertFalse(Files.exists(dir.resolve("c.vdi")));
        ok("medium", "create", "--filename", file("c.vdi"), "--diff", file("p.vdi"), "--format", "VDI");
    }

    // ---- messages: chains that cannot be followed ----

    /** Makes base.vdi ← kid.vdi in {@code folder} with a throwaway home, so the working home knows neither. */
    private void unregisteredChain(Path folder, String... names) throws Exception {
        Files.createDirectories(folder);
        System.setProperty(StrataHome.PROPERTY, dir.resolve("other-home").toString());
        ok("medium", "create", "--filename", folder.resolve(names[0]).toString(), "--size", "1M");
        for (int i = 1; i < names.length; i++) {
            ok("medium", "create", "--filename", folder.resolve(names[i]).toString(), "--diff",
                    folder.resolve(names[i - 1]).toString());
        }
        System.setProperty(StrataHome.PROPERTY, home.toString());
    }

    /** The VDI header's uuidCreate and uuidLinkage fields (Microsoft GUID byte order). */
    private static final int UUID_CREATE = 0x188;
    private static final int UUID_LINKAGE = 0x1A8;

    private static byte[] field(Path f, int offset) throws Exception {
        byte[] b = new byte[16];
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            ch.read(ByteBuffer.wrap(b), offset);
        }
        return b;
    }

    @Test
    void damagedParentBesideTheChildIsNamed() throws Exception {
        Path folder = dir.resolve("c");
        unregisteredChain(folder, "base.vdi", "kid.vdi");
        poke(folder.resolve("base.vdi"), 0x40, "XXXX".getBytes(StandardCharsets.US_ASCII));
        String err = fails("base.vdi (signature", "medium", "info", folder.resolve("kid.vdi").toString());
        assertTrue(err.contains("does not open; if that is the parent, it is damaged"), err);
    }

    @Test
    void diffNamingItselfAsParentIsNamed() throws Exception {
        Path folder = dir.resolve("c");
        unregisteredChain(folder, "base.vdi", "kid.vdi");
        Path kid = folder.resolve("kid.vdi");
        poke(kid, UUID_LINKAGE, field(kid, UUID_CREATE));
        fails("uuidLinkage at byte offset 0x1A8: names the image itself", "medium", "info", kid.toString());
    }

    @Test
    void twoAndThreeImageParentLoopsAreNamed() throws Exception {
        Path two = dir.resolve("two");
        unregisteredChain(two, "a.vdi", "b.vdi");
        Path a = two.resolve("a.vdi");
        Path b = two.resolve("b.vdi");
        // a becomes a diff of b: type 4 and a parent link
        poke(a, 0x4C, new byte[] {4, 0, 0, 0});
        poke(a, UUID_LINKAGE, field(b, UUID_CREATE));
        fails("parent loop: b.vdi \u2192 a.vdi \u2192 b.vdi", "medium", "info", b.toString());

        Path three = dir.resolve("three");
        unregisteredChain(three, "x.vdi", "y.vdi", "z.vdi");
        Path x = three.resolve("x.vdi");
        poke(x, 0x4C, new byte[] {4, 0, 0, 0});
        poke(x, UUID_LINKAGE, field(three.resolve("z.vdi"), UUID_CREATE));
        fails("parent loop: z.vdi \u2192 y.vdi \u2192 x.vdi \u2192 z.vdi", "medium", "info",
                three.resolve("z.vdi").toString());
    }

    // ---- item 7: a recorded format is never second-guessed ----

    @Test
    void registeredRawDiskStaysRawWhateverItsGuestWrites() throws Exception {
        ok("medium", "create", "--filename", file("r.img"), "--size", "4M", "--format", "RAW");
        // what a guest could write: a whole VDI header at the start of its disk
        ok("medium", "create", "--filename", file("other.vdi"), "--size", "1M");
        byte[] header = Files.readAllBytes(dir.resolve("other.vdi"));
        Path in = Files.write(dir.resolve("header.bin"), java.util.Arrays.copyOf(header, 1 << 20));
        ok("medium", "write", file("r.img"), "--offset", "0", "--input", in.toString());
        assertArrayEquals(java.util.Arrays.copyOf(header, 4096), cat(file("r.img"), 0, 4096));
        Run info = ok("medium", "info", file("r.img"));
        assertTrue(info.out.contains("Format:         RAW"), info.out);
        assertTrue(info.out.contains("Logical size:   4 MB"), info.out);
        assertFalse(info.out.contains("Problems"), info.out);
        cat(file("r.img"), (4 << 20) - 512, 512); // still a 4 MiB raw disk, not a 1 MiB VDI
    }

    @Test
    void registeredVdiThatNoLongerHoldsAHeaderIsNotOpenedAsRaw() throws Exception {
        ok("medium", "create", "--filename", file("d.vdi"), "--size", "1M");
        byte[] junk = new byte[4096];
        new Random(7).nextBytes(junk);
        Files.write(dir.resolve("d.vdi"), junk);
        String expected = "d.vdi: is recorded as a VDI image but has no VDI signature";
        fails(expected, "medium", "cat", file("d.vdi"), "--length", "512", "--output", file("out.bin"));
        fails(expected, "medium", "write", file("d.vdi"), "--offset", "0", "--input", file("d.vdi"));
        assertArrayEquals(junk, Files.readAllBytes(dir.resolve("d.vdi")));
        Run list = listWithProblems();
        assertTrue(list.out.contains("format mismatch: " + dir.resolve("d.vdi") + " is registered as a VDI image but "
                + "the file has no VDI header"), list.out);
    }

    @Test
    void unregisteredFileWithoutAHeaderIsRegisteredAsRawOnFirstUseAndStaysRaw() throws Exception {
        Files.write(dir.resolve("plain.img"), new byte[1 << 20]);
        ok("medium", "info", file("plain.img"));
        Medium m = MediaRegistry.load(home).findByPath(dir.resolve("plain.img")).orElseThrow();
        assertEquals(ImageFormat.RAW, m.format());
        ok("medium", "create", "--filename", file("other.vdi"), "--size", "512K");
        byte[] header = java.util.Arrays.copyOf(Files.readAllBytes(dir.resolve("other.vdi")), 4096);
        poke(dir.resolve("plain.img"), 0, header);
        Run info = ok("medium", "info", file("plain.img"));
        assertTrue(info.out.contains("Format:         RAW") && info.out.contains("Logical size:   1 MB"), info.out);
        assertFalse(info.out.contains("Problems"), info.out);
        assertArrayEquals(header, cat(file("plain.img"), 0, 4096),
                "read as the raw bytes, not as the VDI they look like");
        cat(file("plain.img"), (1 << 20) - 512, 512);
    }

    // ---- item 10: the registry and the file disagree ----

    @Test
    void listAndInfoReportEveryDisagreementBetweenRegistryAndFile() throws Exception {
        ok("medium", "create", "--filename", file("a.vdi"), "--size", "1M");
        ok("medium", "create", "--filename", file("b.vdi"), "--size", "1M");
        ok("medium", "create", "--filename", file("big.vdi"), "--size", "2M");
        ok("medium", "create", "--filename", file("kid.vdi"), "--diff", file("big.vdi"));
        MediaRegistry reg = MediaRegistry.load(home);
        Medium a = reg.findByPath(dir.resolve("a.vdi")).orElseThrow();
        Medium b = reg.findByPath(dir.resolve("b.vdi")).orElseThrow();
        Medium big = reg.findByPath(dir.resolve("big.vdi")).orElseThrow();
        reg.update(r -> {
            r.update(new Medium(b.uuid(), b.path(), ImageFormat.QCOW2, b.variant(), b.type(), b.autoreset(), null,
                    b.logicalSize()));
            r.update(new Medium(big.uuid(), big.path(), big.format(), big.variant(), big.type(), big.autoreset(),
                    null, 1 << 20));
        });
        UUID wrong = UUID.randomUUID();
        Path json = home.resolve(MediaRegistry.FILE_NAME);
        Files.writeString(json, Files.readString(json).replace(a.uuid().toString(), wrong.toString()));
        // the parent now has another size than the child, as when a wrong file was put in its place
        Run list = listWithProblems();
        assertTrue(list.out.contains("uuid mismatch: " + a.path() + " is registered with UUID " + wrong
                + " but the file has UUID " + a.uuid()), list.out);
        assertTrue(list.out.contains("format mismatch: " + b.path() + " is registered as a QCOW2 image but the file "
                + "is a VDI image"), list.out);
        assertTrue(list.out.contains("size mismatch: " + big.path() + " is registered as 1048576 bytes but the file "
                + "holds a disk of 2097152 bytes"), list.out);

        Run infoA = ok("medium", "info", file("a.vdi"));
        assertTrue(infoA.out.contains("BROKEN") && infoA.out.contains("uuid mismatch"), infoA.out);
        Run infoB = ok("medium", "info", file("b.vdi"));
        assertTrue(infoB.out.contains("format mismatch"), infoB.out);
    }

    @Test
    void infoShowsAChainWhoseParentHasAnotherSizeAsBroken() throws Exception {
        Path folder = dir.resolve("c");
        unregisteredChain(folder, "base.vdi", "kid.vdi");
        ok("medium", "info", folder.resolve("kid.vdi").toString());
        // the parent is replaced by an image of another size with the same UUID (disk size field grown)
        poke(folder.resolve("base.vdi"), 0x170, ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .putLong(512 << 10).array());
        Run info = ok("medium", "info", folder.resolve("kid.vdi").toString());
        assertTrue(info.out.contains("(BROKEN: the disk cannot be used)"), info.out);
        assertTrue(info.out.contains("Problems:"), info.out);
        fails("", "medium", "cat", folder.resolve("kid.vdi").toString(), "--length", "512");
    }

    /** Root reads any file, so this runs only for other users (CI runs as root: see the bad-input campaign). */
    @Test
    void unreadableImageSaysPermissionDeniedNotDamaged() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse("root".equals(System.getProperty("user.name")),
                "root reads any file");
        ok("medium", "create", "--filename", file("d.vdi"), "--size", "1M");
        Path copy = Files.copy(dir.resolve("d.vdi"), dir.resolve("locked.vdi"));
        Files.setPosixFilePermissions(copy, java.util.Set.of());
        fails("locked.vdi: permission denied", "medium", "info", copy.toString());
        String err = fails("locked.vdi: permission denied", "medium", "check", copy.toString());
        assertFalse(err.contains("damaged") || err.contains("AccessDeniedException"), err);
    }
}
