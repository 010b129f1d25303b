package dev.strata.tools.medium;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.strata.storage.media.MediaRegistry;
import dev.strata.storage.media.Medium;
import dev.strata.storage.media.StrataHome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The media rules that keep ordinary {@code strata medium} commands from losing or damaging a disk. */
class MediumSafetyTest extends MediumCommandHarness {
    Path input(String text) throws IOException {
        return Files.write(dir.resolve("input-" + System.nanoTime()), text.getBytes(StandardCharsets.US_ASCII));
    }

    void write(String f, long offset, String text) throws Exception {
        ok("medium", "write", f, "--offset", String.valueOf(offset), "--input", input(text).toString());
    }

    String cat(String f, long offset, int length) throws Exception {
        Path out = dir.resolve("output-" + System.nanoTime());
        ok("medium", "cat", f, "--offset", String.valueOf(offset), "--length", String.valueOf(length), "--output",
                out.toString());
        return Files.readString(out, StandardCharsets.US_ASCII);
    }

    MediaRegistry registry() throws Exception {
        return MediaRegistry.load(home);
    }

    // ---- cat --output never overwrites an image

    @Test
    void catOutputRefusesAnImageOfTheChainBeingRead() throws Exception {
        ok("medium", "create", "--filename", file("base.vdi"), "--size", "1");
        ok("medium", "create", "--filename", file("child.vdi"), "--diff", file("base.vdi"));
        byte[] base = Files.readAllBytes(Path.of(file("base.vdi")));
        byte[] child = Files.readAllBytes(Path.of(file("child.vdi")));
        Run r = fails("medium", "cat", file("child.vdi"), "--length", "512", "--output", file("base.vdi"));
        assertTrue(r.err.contains("base.vdi") && r.err.contains("--output"), r.err);
        r = fails("medium", "cat", file("child.vdi"), "--length", "4096", "--output", file("child.vdi"));
        assertTrue(r.err.contains("child.vdi"), r.err);
        assertArrayEquals(base, Files.readAllBytes(Path.of(file("base.vdi"))));
        assertArrayEquals(child, Files.readAllBytes(Path.of(file("child.vdi"))));
    }

    @Test
    void catOutputRefusesARegisteredMediumAndAnyFileThatIsADiskImage() throws Exception {
        ok("medium", "create", "--filename", file("d.vdi"), "--size", "1");
        ok("medium", "create", "--filename", file("other.raw"), "--size", "64K", "--format", "RAW");
        ok("medium", "create", "--filename", file("loose.vdi"), "--size", "1");
        ok("medium", "close", file("loose.vdi"));
        byte[] loose = Files.readAllBytes(Path.of(file("loose.vdi")));
        Run r = fails("medium", "cat", file("d.vdi"), "--length", "512", "--output", file("other.raw"));
        assertTrue(r.err.contains("other.raw") && r.err.contains("registered"), r.err);
        assertEquals(64 << 10, Files.size(Path.of(file("other.raw"))));
        r = fails("medium", "cat", file("d.vdi"), "--length", "512", "--output", file("loose.vdi"));
        assertTrue(r.err.contains("loose.vdi") && r.err.contains("disk image"), r.err);
        assertArrayEquals(loose, Files.readAllBytes(Path.of(file("loose.vdi"))));
    }

    @Test
    void catOutputReplacesAnOrdinaryFileWhole() throws Exception {
        ok("medium", "create", "--filename", file("d.vdi"), "--size", "1");
        write(file("d.vdi"), 0, "fresh");
        Path old = Files.writeString(dir.resolve("out.bin"), "an older and longer content");
        ok("medium", "cat", file("d.vdi"), "--length", "5", "--output", old.toString());
        assertEquals("fresh", Files.readString(old));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(), files.filter(p -> p.getFileName().toString().contains(".tmp")).toList());
        }
    }

    // ---- write

    @Test
    void writeIntoAnImmutableBaseIsRefusedSayingWhatToDo() throws Exception {
        ok("medium", "create", "--filename", file("gold.vdi"), "--size", "1");
        ok("medium", "modify", file("gold.vdi"), "--type", "immutable");
        byte[] before = Files.readAllBytes(Path.of(file("gold.vdi")));
        Run r = fails("medium", "write", file("gold.vdi"), "--offset", "0", "--input", input("x").toString());
        assertTrue(r.err.contains("gold.vdi") && r.err.contains("immutable") && r.err.contains("--diff"), r.err);
        ok("medium", "modify", file("gold.vdi"), "--type", "multiattach");
        assertTrue(fails("medium", "write", file("gold.vdi"), "--offset", "0", "--input", input("x").toString())
                .err.contains("multiattach"));
        assertArrayEquals(before, Files.readAllBytes(Path.of(file("gold.vdi"))));
    }

    @Test
    void writeIsQuietOnSuccessUnlessVerbose() throws Exception {
        ok("medium", "create", "--filename", file("d.vdi"), "--size", "1");
        Run quiet = ok("medium", "write", file("d.vdi"), "--offset", "0", "--input", input("abc").toString());
        assertEquals("", quiet.err);
        assertEquals("", quiet.out);
        Run verbose = ok("medium", "write", file("d.vdi"), "--offset", "0", "--input", input("abc").toString(),
                "--verbose");
        assertTrue(verbose.err.contains("wrote 3 bytes"), verbose.err);
    }

    // ---- merge finds children the registry does not know

    @Test
    void mergeRepointsAChildThatIsNotRegisteredButSitsInTheSameFolder() throws Exception {
        ok("medium", "create", "--filename", file("base.vdi"), "--size", "1");
        write(file("base.vdi"), 0, "AAAA");
        ok("medium", "create", "--filename", file("d1.vdi"), "--diff", file("base.vdi"));
        write(file("d1.vdi"), 4096, "BBBB");
        ok("medium", "create", "--filename", file("d2.vdi"), "--diff", file("d1.vdi"));
        write(file("d2.vdi"), 8192, "CCCC");
        String before = cat(file("d2.vdi"), 0, 12288);
        ok("medium", "close", file("d2.vdi"));

        Run r = ok("medium", "merge", file("d1.vdi"));
        assertTrue(r.out.contains("re-pointed 1"), r.out);
        assertFalse(Files.exists(Path.of(file("d1.vdi"))));
        assertEquals(before, cat(file("d2.vdi"), 0, 12288), "d2 opens and shows what it showed");
        Medium base = registry().findByPath(Path.of(file("base.vdi"))).orElseThrow();
        assertEquals(base.uuid(), registry().findByPath(Path.of(file("d2.vdi"))).orElseThrow().parentUuid());
    }

    @Test
    void mergeUnderAnotherHomeRepointsChildrenFoundInTheFolder() throws Exception {
        ok("medium", "create", "--filename", file("base.vdi"), "--size", "1");
        ok("medium", "create", "--filename", file("d1.vdi"), "--diff", file("base.vdi"));
        write(file("d1.vdi"), 0, "one");
        ok("medium", "create", "--filename", file("d2.vdi"), "--diff", file("d1.vdi"));
        write(file("d2.vdi"), 512, "two");
        System.setProperty(StrataHome.PROPERTY, dir.resolve("other-home").toString());
        ok("medium", "merge", file("d1.vdi"));
        assertEquals("one", cat(file("d2.vdi"), 0, 3));
        assertEquals("two", cat(file("d2.vdi"), 512, 3));
    }

    @Test
    void mergeRefusesWhenTheParentHasAnotherChildInItsFolderThatIsNotRegistered() throws Exception {
        ok("medium", "create", "--filename", file("base.vdi"), "--size", "1");
        ok("medium", "create", "--filename", file("a.vdi"), "--diff", file("base.vdi"));
        write(file("a.vdi"), 0, "from a");
        ok("medium", "create", "--filename", file("b.vdi"), "--diff", file("base.vdi"));
        ok("medium", "close", file("b.vdi"));
        Run r = fails("medium", "merge", file("a.vdi"));
        assertTrue(r.err.contains("b.vdi"), r.err);
        assertEquals("\0\0\0\0\0\0", cat(file("b.vdi"), 0, 6), "b.vdi still shows the base alone");
    }

    @Test
    void mergeRefusesWhenARegisteredChildIsMissing() throws Exception {
        ok("medium", "create", "--filename", file("base.vdi"), "--size", "1");
        ok("medium", "create", "--filename", file("d1.vdi"), "--diff", file("base.vdi"));
        Files.createDirectories(dir.resolve("elsewhere"));
        ok("medium", "create", "--filename", dir.resolve("elsewhere/d2.vdi").toString(), "--diff", file("d1.vdi"));
        Files.move(dir.resolve("elsewhere/d2.vdi"), dir.resolve("gone.bin"));
        Run r = fails("medium", "merge", file("d1.vdi"));
        assertTrue(r.err.contains("d2.vdi") && r.err.contains("missing"), r.err);
        assertTrue(Files.exists(Path.of(file("d1.vdi"))), "nothing was merged or deleted");
    }

    // ---- modify and close while another process writes the image

    @Test
    void modifyAndCloseAreRefusedWhileAnotherProcessWritesTheImage() throws Exception {
        ok("medium", "create", "--filename", file("busy.vdi"), "--size", "1");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process other = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                HoldImage.class.getName(), file("busy.vdi")).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            assertEquals("LOCKED", new java.io.BufferedReader(new java.io.InputStreamReader(other.getInputStream()))
                    .readLine());
            Run r = fails("medium", "modify", file("busy.vdi"), "--type", "writethrough");
            assertTrue(r.err.contains("busy.vdi") && r.err.contains("in use by another Strata process"), r.err);
            r = fails("medium", "close", file("busy.vdi"));
            assertTrue(r.err.contains("in use by another Strata process"), r.err);
            fails("medium", "close", file("busy.vdi"), "--delete");
        } finally {
            other.getOutputStream().close();
            other.waitFor(30, TimeUnit.SECONDS);
        }
        assertEquals("normal", registry().findByPath(Path.of(file("busy.vdi"))).orElseThrow().type().cliName());
        assertTrue(Files.exists(Path.of(file("busy.vdi"))));
        ok("medium", "modify", file("busy.vdi"), "--type", "writethrough");
        ok("medium", "close", file("busy.vdi"));
    }

    @Test
    void modifyAndCloseStillWorkForAnImageInAFolderNobodyCanWrite() throws Exception {
        Path cd = Files.createDirectories(dir.resolve("cdrom"));
        ok("medium", "create", "--filename", cd.resolve("boot.iso").toString(), "--size", "1", "--format", "RAW");
        assumeTrue(chattr("+i", cd), "needs chattr +i (root, ext4) to make a folder nobody can write");
        try {
            ok("medium", "modify", cd.resolve("boot.iso").toString(), "--type", "readonly");
            ok("medium", "close", cd.resolve("boot.iso").toString());
        } finally {
            chattr("-i", cd);
        }
    }

    // ---- the registry and its home

    @Test
    void listExitsOneWhenTheRegistryHasProblems() throws Exception {
        ok("medium", "create", "--filename", file("a.vdi"), "--size", "1");
        ok("medium", "list");
        Files.delete(Path.of(file("a.vdi")));
        Run r = run("medium", "list");
        assertEquals(1, r.exit, r.out + r.err);
        assertTrue(r.out.contains("Problems in"), r.out);
    }

    @Test
    void aStrataHomeThatIsARegularFileIsAnErrorNamingIt() throws Exception {
        Path notAFolder = Files.writeString(dir.resolve("home-file"), "x");
        System.setProperty(StrataHome.PROPERTY, notAFolder.toString());
        Run r = fails("medium", "list");
        assertTrue(r.err.contains(notAFolder.toString()) && r.err.contains("not a folder"), r.err);
        assertFalse(r.out.contains("No media registered"), r.out);
    }

    @Test
    void anUnwritableStrataHomeSaysPermissionDeniedOnThatFolder() throws Exception {
        Path ro = Files.createDirectories(dir.resolve("ro-home"));
        assumeTrue(chattr("+i", ro), "needs chattr +i (root, ext4) to make a folder nobody can write");
        try {
            System.setProperty(StrataHome.PROPERTY, ro.toString());
            Run r = fails("medium", "create", "--filename", file("d.vdi"), "--size", "1");
            assertTrue(r.err.contains(ro.toString()) && r.err.contains("permission denied"), r.err);
        } finally {
            chattr("-i", ro);
        }
    }

    private static boolean chattr(String flag, Path p) throws Exception {
        try {
            Process c = new ProcessBuilder("chattr", flag, p.toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return c.waitFor(10, TimeUnit.SECONDS) && c.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void aMovedImageIsFoundByItsUuidAndTheRegistryFollowsIt() throws Exception {
        ok("medium", "create", "--filename", file("q.vdi"), "--size", "1");
        UUID uuid = registry().findByPath(Path.of(file("q.vdi"))).orElseThrow().uuid();
        Files.move(Path.of(file("q.vdi")), Path.of(file("r.vdi")));
        Run r = ok("medium", "info", file("r.vdi"));
        assertTrue(r.err.contains("q.vdi") && r.err.contains("r.vdi") && r.err.contains("moved"), r.err);
        assertEquals(Path.of(file("r.vdi")), registry().find(uuid).orElseThrow().path());
        assertEquals(1, registry().all().size());
    }

    @Test
    void aCopiedImageIsStillRefusedWhileTheOriginalExists() throws Exception {
        ok("medium", "create", "--filename", file("q.vdi"), "--size", "1");
        Files.copy(Path.of(file("q.vdi")), Path.of(file("copy.vdi")));
        Run r = fails("medium", "info", file("copy.vdi"));
        assertTrue(r.err.contains("a copied file?"), r.err);
    }

    @Test
    void commandsLeaveNoLockFilesBehind() throws Exception {
        ok("medium", "create", "--filename", file("base.vdi"), "--size", "1");
        ok("medium", "create", "--filename", file("child.vdi"), "--diff", file("base.vdi"));
        write(file("child.vdi"), 0, "x");
        cat(file("child.vdi"), 0, 1);
        ok("medium", "info", file("child.vdi"));
        ok("medium", "clone", file("child.vdi"), file("copy.vdi"));
        ok("medium", "check", file("copy.vdi"));
        ok("medium", "merge", file("child.vdi"));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(), files.filter(p -> p.getFileName().toString().endsWith(".lck")).toList());
        }
    }

    // ---- the command line itself

    @Test
    void strataAndStrataMediumWithoutASubcommandExitTwoWithUsage() {
        Run top = run();
        assertEquals(2, top.exit);
        assertTrue(top.err.contains("Usage: strata"), top.err);
        Run medium = run("medium");
        assertEquals(2, medium.exit);
        assertTrue(medium.err.contains("Usage: strata medium"), medium.err);
    }

    @Test
    void helpDescribesBenchInWholeSentences() {
        String help = ok("--help").out;
        String bench = help.lines().filter(l -> l.trim().startsWith("bench")).findFirst().orElseThrow();
        assertTrue(bench.trim().endsWith("."), bench);
    }
}
