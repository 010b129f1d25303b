package dev.strata.tools.medium;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.storage.image.RawImage;
import dev.strata.storage.media.MediaRegistry;
import dev.strata.storage.media.Medium;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The {@code strata medium} verbs end to end, in process, with the Strata home in a temporary folder. */
class MediumCommandTest extends MediumCommandHarness {
    /** Where a VDI header keeps the extra bytes per block (must be 0 or a power of two). */
    private static final long VDI_BLOCK_EXTRA_OFFSET = 0x17C;
    void write(String f, long offset, byte[] data) throws Exception {
        Path in = Files.write(dir.resolve("input-" + System.nanoTime()), data);
        ok("medium", "write", f, "--offset", String.valueOf(offset), "--input", in.toString());
    }

    byte[] cat(String f, long offset, int length) throws Exception {
        Path out = dir.resolve("output-" + System.nanoTime());
        ok("medium", "cat", f, "--offset", String.valueOf(offset), "--length", String.valueOf(length), "--output",
                out.toString());
        return Files.readAllBytes(out);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    MediaRegistry registry() throws Exception {
        return MediaRegistry.load(home);
    }

    @Test
    void createRegistersTheImageAndInfoDescribesIt() throws Exception {
        Run r = ok("medium", "create", "--filename", file("base.vdi"), "--size", "1");
        assertTrue(r.out.contains("Created VDI Standard image"), r.out);
        Medium m = registry().findByPath(Path.of(file("base.vdi"))).orElseThrow();
        assertEquals(1 << 20, m.logicalSize());

        Run info = ok("medium", "info", file("base.vdi"));
        assertTrue(info.out.contains("UUID:           " + m.uuid()), info.out);
        assertTrue(info.out.contains("Logical size:   1 MB (1048576 bytes)"), info.out);
        assertTrue(info.out.contains("Type:           normal"), info.out);
        assertTrue(info.out.contains("Parent UUID:    base"), info.out);
    }

    @Test
    void sizesAcceptUnits() throws Exception {
        ok("medium", "create", "--filename", file("g.vdi"), "--size", "64K", "--format", "raw", "--variant", "fixed");
        Medium m = registry().findByPath(Path.of(file("g.vdi"))).orElseThrow();
        assertEquals(64 << 10, m.logicalSize());
        assertTrue(fails("medium", "create", "--filename", file("h.vdi"), "--size", "lots").err.contains("invalid size"));
    }

    @Test
    void writesGoToTheChildAndReadsComeThroughTheChain() throws Exception {
        ok("medium", "create", "--filename", file("base.vdi"), "--size", "1");
        write(file("base.vdi"), 0, bytes("base data"));
        ok("medium", "create", "--filename", file("child.vdi"), "--diff", file("base.vdi"));
        write(file("child.vdi"), 5, bytes("CHILD"));
        write(file("child.vdi"), 100_000, bytes("far away"));

        assertArrayEquals(bytes("base CHILD"), Arrays.copyOf(cat(file("child.vdi"), 0, 10), 10));
        assertArrayEquals(bytes("far away"), cat(file("child.vdi"), 100_000, 8));
        assertArrayEquals(bytes("base data\0"), cat(file("base.vdi"), 0, 10), "the parent is untouched");

        Run info = ok("medium", "info", file("child.vdi"));
        Medium base = registry().findByPath(Path.of(file("base.vdi"))).orElseThrow();
        assertTrue(info.out.contains("Parent UUID:    " + base.uuid()), info.out);
        assertTrue(info.out.contains("Chain:          2 images"), info.out);
    }

    @Test
    void vmdkImagesAreCreatedCheckedAndChainedLikeVdi() throws Exception {
        Run created = ok("medium", "create", "--filename", file("base.vmdk"), "--size", "2M", "--format", "VMDK");
        assertTrue(created.out.contains("Created VMDK Standard image"), created.out);
        ok("medium", "create", "--filename", file("fixed.vmdk"), "--size", "1M", "--format", "vmdk", "--variant",
                "fixed");
        assertEquals(1 << 20, Files.size(dir.resolve("fixed-flat.vmdk")));
        write(file("base.vmdk"), 0, bytes("base data"));
        Run child = ok("medium", "create", "--filename", file("child.vmdk"), "--diff", file("base.vmdk"));
        assertTrue(child.out.contains("Created VMDK Diff image"), child.out);
        write(file("child.vmdk"), 5, bytes("CHILD"));
        assertArrayEquals(bytes("base CHILD"), Arrays.copyOf(cat(file("child.vmdk"), 0, 10), 10));
        assertArrayEquals(bytes("base data\0"), cat(file("base.vmdk"), 0, 10), "the parent is untouched");

        Run info = ok("medium", "info", file("child.vmdk"));
        assertTrue(info.out.contains("VMDK") && info.out.contains("Chain:          2 images"), info.out);
        assertTrue(info.out.contains("Create type:    monolithicSparse") && info.out.contains("Parent CID:"), info.out);
        Run check = ok("medium", "check", file("child.vmdk"));
        assertTrue(check.out.contains("VMDK monolithicSparse"), check.out);
        assertTrue(ok("medium", "check", file("fixed.vmdk")).out.contains("VMDK monolithicFlat"));
        Run vdi = ok("medium", "create", "--filename", file("c2.vdi"), "--diff", file("base.vmdk"), "--format", "VDI");
        assertTrue(vdi.out.contains("Created VDI Diff image"), vdi.out);
        Run raw = run("medium", "create", "--filename", file("c3.img"), "--diff", file("base.vmdk"), "--format", "RAW");
        assertEquals(2, raw.exit, raw.err);
        assertTrue(raw.err.contains("RAW has no differencing images; use one of VDI, VMDK, VHD"), raw.err);
        ok("medium", "close", file("fixed.vmdk"), "--delete");
        assertFalse(Files.exists(dir.resolve("fixed.vmdk")));
        assertFalse(Files.exists(dir.resolve("fixed-flat.vmdk")), "the extent goes with its descriptor");
    }

    /**
     * The parent of a differencing VMDK written after the child was made (as a forward merge into it leaves it when
     * killed): check warns, naming both files, the field and both CIDs, exits 0, and the chain still opens.
     */
    @Test
    void checkWarnsOfAVmdkParentCidThatIsNotItsParentsCid() throws Exception {
        ok("medium", "create", "--filename", file("base.vmdk"), "--size", "2M", "--format", "VMDK");
        ok("medium", "create", "--filename", file("child.vmdk"), "--diff", file("base.vmdk"));
        assertFalse(ok("medium", "check", file("child.vmdk")).out.contains("WARNING"));
        String recorded;
        try (dev.strata.storage.image.vmdk.VmdkImage c = (dev.strata.storage.image.vmdk.VmdkImage)
                dev.strata.storage.image.DiskImages.open(dir.resolve("child.vmdk"), true)) {
            recorded = c.descriptorValue("parentCID");
        }
        String now;
        try (dev.strata.storage.image.vmdk.VmdkImage b = (dev.strata.storage.image.vmdk.VmdkImage)
                dev.strata.storage.image.DiskImages.open(dir.resolve("base.vmdk"), false)) {
            b.write(0, bytes("written under the child"), 0, 23);
            now = b.descriptorValue("CID");
        }
        Run check = ok("medium", "check", file("child.vmdk"));
        String line = Arrays.stream(check.out.split("\n")).filter(l -> l.contains("parentCID")).findFirst()
                .orElseThrow(() -> new AssertionError(check.out));
        assertTrue(line.startsWith(file("child.vmdk") + ": WARNING: parentCID: child.vmdk records parentCID="
                + recorded + " but its parent " + file("base.vmdk") + " has CID=" + now), line);
        assertTrue(check.out.contains("no errors found"), check.out);
        assertArrayEquals(bytes("written"), cat(file("child.vmdk"), 0, 7), "the chain still opens");
    }

    @Test
    void vmdkSplitAndStreamVariantsAreMadeAndOtherFormatsRefuseThem() throws Exception {
        Run split = ok("medium", "create", "--filename", file("split.vmdk"), "--size", "3G", "--format", "VMDK",
                "--variant", "Split2G");
        assertTrue(split.out.contains("Created VMDK Split2G image"), split.out);
        assertTrue(Files.exists(dir.resolve("split-s001.vmdk")) && Files.exists(dir.resolve("split-s002.vmdk")));
        Run flat = ok("medium", "create", "--filename", file("flat.vmdk"), "--size", "1M", "--format", "VMDK",
                "--variant", "split2g,FIXED");
        assertTrue(flat.out.contains("Created VMDK Fixed,Split2G image"), flat.out);
        assertEquals(1 << 20, Files.size(dir.resolve("flat-f001.vmdk")));
        write(file("split.vmdk"), (2L << 30) - 4, bytes("across"));
        assertArrayEquals(bytes("across"), cat(file("split.vmdk"), (2L << 30) - 4, 6));
        assertTrue(ok("medium", "info", file("split.vmdk")).out.contains("Create type:    twoGbMaxExtentSparse"));

        Run stream = ok("medium", "clone", file("split.vmdk"), file("stream.vmdk"), "--format", "VMDK", "--variant",
                "Stream");
        assertTrue(stream.out.contains("VMDK Stream"), stream.out);
        assertArrayEquals(bytes("across"), cat(file("stream.vmdk"), (2L << 30) - 4, 6));
        Run refused = fails("medium", "write", file("stream.vmdk"), "--offset", "0", "--input",
                Files.write(dir.resolve("in"), bytes("x")).toString());
        assertTrue(refused.err.contains("stream-optimized") && refused.err.contains("stream.vmdk"), refused.err);
        ok("medium", "create", "--filename", file("over-stream.vmdk"), "--diff", file("stream.vmdk"));
        write(file("over-stream.vmdk"), 0, bytes("top"));
        assertArrayEquals(bytes("across"), cat(file("over-stream.vmdk"), (2L << 30) - 4, 6), "the stream base reads");
        assertArrayEquals(bytes("top"), cat(file("over-stream.vmdk"), 0, 3));

        Run vdi = fails("medium", "create", "--filename", file("s.vdi"), "--size", "1M", "--variant", "Split2G");
        assertTrue(vdi.err.contains("VDI has no Split2G variant") && vdi.err.contains("--format VMDK"), vdi.err);
        Run vhd = fails("medium", "clone", file("split.vmdk"), file("s.vhd"), "--format", "VHD", "--variant",
                "Stream");
        assertTrue(vhd.err.contains("VHD has no Stream variant"), vhd.err);
        Run bogus = run("medium", "create", "--filename", file("b.vmdk"), "--size", "1M", "--format", "VMDK",
                "--variant", "Stream,Fixed");
        assertEquals(2, bogus.exit, bogus.err);
        assertTrue(bogus.err.contains("use Standard, Fixed, Split2G, Fixed,Split2G or Stream"), bogus.err);

        ok("medium", "close", file("split.vmdk"), "--delete");
        assertFalse(Files.exists(dir.resolve("split-s002.vmdk")), "the extents go with their descriptor");
    }

    @Test
    void vhdAndParallelsImagesAreCreatedShownClonedAndChainedAcrossFormats() throws Exception {
        Run created = ok("medium", "create", "--filename", file("base.vhd"), "--size", "5M", "--format", "VHD");
        assertTrue(created.out.contains("Created VHD Standard image"), created.out);
        Run info = ok("medium", "info", file("base.vhd"));
        assertTrue(info.out.contains("Logical size:   5.01 MiB") || info.out.contains("5257216"), info.out);
        assertTrue(info.out.contains("VHD type:       dynamic"), info.out);
        assertTrue(info.out.contains("Geometry:       151/4/17 (cylinders/heads/sectors)"), info.out);
        ok("medium", "create", "--filename", file("fixed.vhd"), "--size", "1M", "--format", "vhd", "--variant",
                "fixed");
        write(file("base.vhd"), 0, bytes("base data"));
        Run child = ok("medium", "create", "--filename", file("child.vhd"), "--diff", file("base.vhd"));
        assertTrue(child.out.contains("Created VHD Diff image"), child.out);
        assertTrue(ok("medium", "info", file("child.vhd")).out.contains("Parent name:    base.vhd"));
        Run vdiChild = ok("medium", "create", "--filename", file("vdi-over-vhd.vdi"), "--diff", file("base.vhd"));
        assertEquals(0, vdiChild.exit);
        write(file("child.vhd"), 5, bytes("CHILD"));
        assertArrayEquals(bytes("base CHILD"), Arrays.copyOf(cat(file("child.vhd"), 0, 10), 10));

        ok("medium", "create", "--filename", file("v.vdi"), "--size", "2M");
        write(file("v.vdi"), 0, bytes("vdi base"));
        ok("medium", "create", "--filename", file("vhd-over-vdi.vhd"), "--diff", file("v.vdi"), "--format", "VHD");
        write(file("vhd-over-vdi.vhd"), 0, bytes("VHD"));
        assertArrayEquals(bytes("VHD base"), Arrays.copyOf(cat(file("vhd-over-vdi.vhd"), 0, 8), 8));
        ok("medium", "merge", file("vhd-over-vdi.vhd"));
        assertArrayEquals(bytes("VHD base"), Arrays.copyOf(cat(file("v.vdi"), 0, 8), 8));

        Run hdd = ok("medium", "clone", file("child.vhd"), file("copy.hdd"), "--format", "HDD");
        assertTrue(hdd.out.contains("HDD Standard"), hdd.out);
        Run copyInfo = ok("medium", "info", file("copy.hdd"));
        assertTrue(copyInfo.out.contains("Signature:      WithouFreSpacExt"), copyInfo.out);
        assertTrue(copyInfo.out.contains("UUID:           " + RawImage.pathUuid(dir.resolve("copy.hdd"))),
                "a Parallels copy has the UUID of its final name, as a raw one: " + copyInfo.out);
        assertArrayEquals(bytes("base CHILD"), Arrays.copyOf(cat(file("copy.hdd"), 0, 10), 10));
        ok("medium", "clone", file("copy.hdd"), file("back.vhd"), "--format", "VHD", "--variant", "Fixed");
        assertArrayEquals(bytes("base CHILD"), Arrays.copyOf(cat(file("back.vhd"), 0, 10), 10));
        assertTrue(ok("medium", "check", file("back.vhd")).out.contains("VHD fixed"));
        assertTrue(ok("medium", "check", file("copy.hdd")).out.contains("Parallels HDD"));
    }

    @Test
    void qcow2ImagesAreCreatedShownClonedAndChained() throws Exception {
        Run created = ok("medium", "create", "--filename", file("base.qcow2"), "--size", "2M", "--format", "QCOW2");
        assertTrue(created.out.contains("Created QCOW2 Standard image"), created.out);
        write(file("base.qcow2"), 0, bytes("base data"));
        Run child = ok("medium", "create", "--filename", file("child.qcow2"), "--diff", file("base.qcow2"));
        assertTrue(child.out.contains("Created QCOW2 Diff image"), child.out);
        write(file("child.qcow2"), 5, bytes("CHILD"));
        assertArrayEquals(bytes("base CHILD"), Arrays.copyOf(cat(file("child.qcow2"), 0, 10), 10));
        Run info = ok("medium", "info", file("child.qcow2"));
        assertTrue(info.out.contains("qcow2 version:  3 (compat 1.1)"), info.out);
        assertTrue(info.out.contains("Cluster size:   65536 bytes"), info.out);
        assertTrue(info.out.contains("Backing file:   base.qcow2 (format qcow2)"), info.out);
        assertTrue(info.out.contains("Chain:          2 images"), info.out);
        assertTrue(ok("medium", "check", file("child.qcow2")).out.contains("QCOW2 version 3"));

        ok("medium", "create", "--filename", file("v.vdi"), "--size", "1M");
        write(file("v.vdi"), 100, bytes("vdi"));
        Run over = ok("medium", "create", "--filename", file("over.qcow2"), "--diff", file("v.vdi"), "--format",
                "QCOW2");
        assertTrue(over.out.contains("Created QCOW2 Diff image"), over.out);
        assertTrue(ok("medium", "info", file("over.qcow2")).out.contains("Backing file:   v.vdi (format vdi)"));

        Run toVdi = ok("medium", "clone", file("child.qcow2"), file("copy.vdi"), "--format", "VDI");
        assertTrue(toVdi.out.contains("VDI Standard"), toVdi.out);
        Run toQcow2 = ok("medium", "clone", file("copy.vdi"), file("copy.qcow2"), "--format", "QCOW2", "--variant",
                "Fixed");
        assertTrue(toQcow2.out.contains("QCOW2 Fixed"), toQcow2.out);
        assertArrayEquals(cat(file("child.qcow2"), 0, 2 << 20), cat(file("copy.qcow2"), 0, 2 << 20));
    }

    @Test
    void writeAndCatUseStandardInputAndOutput() throws Exception {
        ok("medium", "create", "--filename", file("d.vdi"), "--size", "1");
        InputStream oldIn = System.in;
        PrintStream oldOut = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setIn(new ByteArrayInputStream(bytes("from stdin")));
            ok("medium", "write", file("d.vdi"), "--offset", "512");
            System.setOut(new PrintStream(captured, true));
            ok("medium", "cat", file("d.vdi"), "--offset", "512", "--length", "10");
        } finally {
            System.setIn(oldIn);
            System.setOut(oldOut);
        }
        assertArrayEquals(bytes("from stdin"), captured.toByteArray());
    }

    @Test
    void explainNamesTheImageThatServesASectorAndWhyForEachLayer() throws Exception {
        ok("medium", "create", "--filename", file("base.vdi"), "--size", "4");
        Path data = Files.write(dir.resolve("data"), new byte[] {1, 2, 3});
        ok("medium", "write", file("base.vdi"), "--offset", "0", "--input", data.toString());
        ok("medium", "write", file("base.vdi"), "--offset", String.valueOf(2 << 20), "--input", data.toString());
        ok("medium", "create", "--filename", file("mid.vdi"), "--diff", file("base.vdi"));
        ok("medium", "write", file("mid.vdi"), "--offset", String.valueOf(2 << 20), "--input", data.toString());
        ok("medium", "create", "--filename", file("top.vdi"), "--diff", file("mid.vdi"));

        String sector0 = ok("medium", "explain", file("top.vdi"), "--sector", "0").out;
        assertTrue(sector0.startsWith(file("top.vdi") + ", sector 0 (byte 0): a chain of 3 images"), sector0);
        assertTrue(sector0.contains("block 0 holds nothing: block map entry 0 at file offset 0x"), sector0);
        assertTrue(sector0.contains(" = FFFFFFFFh (free); so the read goes on to its parent"), sector0);
        assertTrue(sector0.contains("block 0 holds data: block map entry 0 at file offset 0x"), sector0);
        assertTrue(sector0.endsWith("Served by image 0: " + file("base.vdi") + "\n"), sector0);

        String twoMiB = ok("medium", "explain", file("top.vdi"), "--offset", String.valueOf((2 << 20) + 100)).out;
        assertTrue(twoMiB.contains("sector 4096 (byte 2097252)"), twoMiB);
        assertTrue(twoMiB.contains("block 2 holds data: block map entry 2 at file offset 0x"), twoMiB);
        assertTrue(twoMiB.contains("so this image serves the read"), twoMiB);
        assertTrue(twoMiB.contains("not asked: image 1 above decided"), twoMiB);
        assertTrue(twoMiB.endsWith("Served by image 1: " + file("mid.vdi") + "\n"), twoMiB);

        String nowhere = ok("medium", "explain", file("top.vdi"), "--sector", "3000").out;
        assertTrue(nowhere.contains("so the disk reads zeros there"), nowhere);
        assertTrue(nowhere.endsWith("Reads as zeros.\n"), nowhere);

        assertTrue(fails("medium", "explain", file("top.vdi"), "--sector", "8192").err
                .contains("--sector 8192 is outside the disk (8192 sectors, 4194304 bytes)"));
        assertEquals(2, run("medium", "explain", file("top.vdi")).exit, "--sector or --offset is required");
    }

    @Test
    void writingPastTheEndIsRefusedBeforeAnythingIsWritten() throws Exception {
        ok("medium", "create", "--filename", file("d.vdi"), "--size", "64K");
        Path in = Files.write(dir.resolve("big"), new byte[100]);
        Run r = fails("medium", "write", file("d.vdi"), "--offset", String.valueOf(64 * 1024 - 50), "--input",
                in.toString());
        assertTrue(r.err.contains("past the end of the disk"), r.err);
    }

    @Test
    void readonlyMediaRefuseWrites() throws Exception {
        ok("medium", "create", "--filename", file("cd.iso"), "--size", "1", "--format", "RAW");
        ok("medium", "modify", file("cd.iso"), "--type", "readonly");
        Run r = fails("medium", "write", file("cd.iso"), "--offset", "0", "--input",
                Files.write(dir.resolve("x"), bytes("x")).toString());
        assertTrue(r.err.contains("readonly") && r.err.contains("cd.iso"), r.err);
    }

    @Test
    void shareableNeedsAFixedImage() throws Exception {
        ok("medium", "create", "--filename", file("dyn.vdi"), "--size", "1");
        Run r = fails("medium", "modify", file("dyn.vdi"), "--type", "shareable");
        assertTrue(r.err.contains("--variant Fixed"), r.err);
        ok("medium", "create", "--filename", file("fix.vdi"), "--size", "1", "--variant", "Fixed");
        ok("medium", "modify", file("fix.vdi"), "--type", "shareable");
        assertEquals("shareable", registry().findByPath(Path.of(file("fix.vdi"))).orElseThrow().type().cliName());
    }

    @Test
    void autoresetIsOnlyForImmutable() throws Exception {
        ok("medium", "create", "--filename", file("i.vdi"), "--size", "1");
        assertTrue(fails("medium", "modify", file("i.vdi"), "--autoreset", "off").err.contains("immutable"));
        ok("medium", "modify", file("i.vdi"), "--type", "immutable", "--autoreset", "off");
        Medium m = registry().findByPath(Path.of(file("i.vdi"))).orElseThrow();
        assertFalse(m.autoreset());
        assertTrue(ok("medium", "info", file("i.vdi")).out.contains("Autoreset:      off"));
    }

    @Test
    void writingAParentWithChildrenIsRefused() throws Exception {
        ok("medium", "create", "--filename", file("base.vdi"), "--size", "1");
        ok("medium", "create", "--filename", file("child.vdi"), "--diff", file("base.vdi"));
        Run r = fails("medium", "write", file("base.vdi"), "--offset", "0", "--input",
                Files.write(dir.resolve("x"), bytes("x")).toString());
        assertTrue(r.err.contains("child.vdi"), r.err);
    }

    @Test
    void cloneToRawCopiesWhatTheChainShows() throws Exception {
        ok("medium", "create", "--filename", file("base.vdi"), "--size", "1");
        write(file("base.vdi"), 0, bytes("base"));
        ok("medium", "create", "--filename", file("child.vdi"), "--diff", file("base.vdi"));
        write(file("child.vdi"), 70_000, bytes("child"));
        Run r = ok("medium", "clone", file("child.vdi"), file("copy.raw"), "--format", "RAW");
        assertTrue(r.out.contains("RAW Fixed"), r.out);

        Medium copy = registry().findByPath(Path.of(file("copy.raw"))).orElseThrow();
        assertEquals(null, copy.parentUuid());
        assertArrayEquals(cat(file("child.vdi"), 0, 1 << 20), cat(file("copy.raw"), 0, 1 << 20));
    }

    @Test
    void mergeFoldsTheChildIntoItsParentAndRepointsGrandchildren() throws Exception {
        ok("medium", "create", "--filename", file("base.vdi"), "--size", "1");
        write(file("base.vdi"), 0, bytes("AAAA"));
        ok("medium", "create", "--filename", file("mid.vdi"), "--diff", file("base.vdi"));
        write(file("mid.vdi"), 4096, bytes("BBBB"));
        ok("medium", "create", "--filename", file("top.vdi"), "--diff", file("mid.vdi"));
        write(file("top.vdi"), 8192, bytes("CCCC"));
        byte[] before = cat(file("top.vdi"), 0, 12288);

        Run r = ok("medium", "merge", file("mid.vdi"));
        assertTrue(r.out.contains("re-pointed 1"), r.out);
        assertFalse(Files.exists(Path.of(file("mid.vdi"))), "merged file deleted");
        Medium base = registry().findByPath(Path.of(file("base.vdi"))).orElseThrow();
        assertEquals(base.uuid(), registry().findByPath(Path.of(file("top.vdi"))).orElseThrow().parentUuid());
        assertEquals(2, registry().all().size());
        assertArrayEquals(before, cat(file("top.vdi"), 0, 12288));
        assertArrayEquals(bytes("BBBB"), cat(file("base.vdi"), 4096, 4));
    }

    @Test
    void mergeRefusesAParentWithOtherChildren() throws Exception {
        ok("medium", "create", "--filename", file("base.vdi"), "--size", "1");
        ok("medium", "create", "--filename", file("a.vdi"), "--diff", file("base.vdi"));
        ok("medium", "create", "--filename", file("b.vdi"), "--diff", file("base.vdi"));
        Run r = fails("medium", "merge", file("a.vdi"));
        assertTrue(r.err.contains("b.vdi"), r.err);
        assertTrue(Files.exists(Path.of(file("a.vdi"))));
    }

    @Test
    void checkOnACorruptedFileFailsNamingFieldAndOffset() throws Exception {
        ok("medium", "create", "--filename", file("bad.vdi"), "--size", "1");
        assertTrue(ok("medium", "check", file("bad.vdi")).out.contains("no errors"));
        try (FileChannel ch = FileChannel.open(Path.of(file("bad.vdi")), StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {0x39, 0x30, 0, 0}), VDI_BLOCK_EXTRA_OFFSET); // 12345
        }
        Run r = fails("medium", "check", file("bad.vdi"));
        assertTrue(r.err.contains("bad.vdi") && r.err.contains("blockExtra") && r.err.contains("0x17C"), r.err);
        assertTrue(r.out.contains("ERROR"), r.out);
    }

    @Test
    void listAndTreeShowRegisteredMediaAndTheirChildren() throws Exception {
        ok("medium", "create", "--filename", file("base.vdi"), "--size", "1");
        ok("medium", "create", "--filename", file("a.vdi"), "--diff", file("base.vdi"));
        ok("medium", "create", "--filename", file("b.vdi"), "--diff", file("base.vdi"));
        ok("medium", "create", "--filename", file("c.vdi"), "--diff", file("a.vdi"));
        Run list = ok("medium", "list");
        assertEquals(4, list.out.strip().split("\n").length, list.out);
        String tree = ok("medium", "tree").out;
        assertTrue(tree.startsWith(file("base.vdi")), tree);
        assertTrue(tree.contains("├── " + file("a.vdi")), tree);
        assertTrue(tree.contains("│   └── " + file("c.vdi")), tree);
        assertTrue(tree.contains("└── " + file("b.vdi")), tree);

        Files.delete(Path.of(file("b.vdi")));
        Run problems = run("medium", "list");
        assertEquals(1, problems.exit, "a registry with problems fails the listing");
        assertTrue(problems.out.contains("missing"), problems.out);
    }

    @Test
    void treeDrawsOneMediumsTreeAsDotOrSvg() throws Exception {
        ok("medium", "create", "--filename", file("base.vdi"), "--size", "1");
        ok("medium", "create", "--filename", file("a.vdi"), "--diff", file("base.vdi"));
        ok("medium", "create", "--filename", file("b.vdi"), "--diff", file("base.vdi"));
        ok("medium", "create", "--filename", file("c.vdi"), "--diff", file("a.vdi"));
        ok("medium", "create", "--filename", file("other.vdi"), "--size", "1");
        UUID base = registry().findByPath(dir.resolve("base.vdi")).orElseThrow()
                .uuid();
        UUID c = registry().findByPath(dir.resolve("c.vdi")).orElseThrow().uuid();

        String text = ok("medium", "tree", file("c.vdi")).out;
        assertTrue(text.startsWith(file("base.vdi")), "the tree c.vdi belongs to, from its base: " + text);
        assertFalse(text.contains("other.vdi"), text);

        String dot = ok("medium", "tree", file("a.vdi"), "--format", "dot").out;
        assertTrue(dot.startsWith("digraph media {"), dot);
        assertEquals(3, dot.split("->").length - 1, "three parent-child edges: " + dot);
        assertTrue(dot.contains("\"" + base + "\" -> \""), dot);
        assertTrue(dot.contains("-> \"" + c + "\""), dot);
        assertTrue(dot.contains("label=\"c.vdi\\nVDI diff\\n"), dot);

        ok("medium", "tree", "--format", "svg", "--output", file("media.svg"));
        org.w3c.dom.Document svg = javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(dir.resolve("media.svg").toFile());
        assertEquals("svg", svg.getDocumentElement().getTagName());
        assertEquals(5 + 1, svg.getElementsByTagName("rect").getLength(), "a box per medium and the background");
        assertEquals(3, svg.getElementsByTagName("line").getLength(), "a line per child");
        assertTrue(Files.readString(dir.resolve("media.svg")).contains(">other.vdi</text>"));

        assertTrue(fails("medium", "tree", "--format", "dot", "--output", file("a.vdi")).err
                .contains("is a registered medium"));
    }

    @Test
    void treeOfAVmMarksTheImageEachSnapshotFrozeAndTheOneItWritesNow() throws Exception {
        ok("medium", "create", "--filename", file("c.vdi"), "--size", "1");
        ok("medium", "create", "--filename", file("other.vdi"), "--size", "1");
        ok("vm", "create", "dos");
        ok("vm", "attach", "dos", "--controller", "ide", "--port", "0", "--device", "0", "--type", "hdd", "--medium",
                file("c.vdi"));
        ok("snapshot", "dos", "take", "clean");
        ok("snapshot", "dos", "take", "later");
        List<String> text = ok("medium", "tree", "--vm", "dos").out.lines().toList();
        assertEquals(3, text.size(), text.toString());
        assertTrue(text.get(0).startsWith(file("c.vdi")) && text.get(0).endsWith("  <- snapshot 'clean'"), text.get(0));
        assertTrue(text.get(1).startsWith("└── ") && text.get(1).endsWith(" VDI diff)  <- snapshot 'later'"),
                text.get(1));
        assertTrue(text.get(2).startsWith("    └── ") && text.get(2).endsWith(" VDI diff)  <- current state"),
                text.get(2));

        String dot = ok("medium", "tree", "--vm", "dos", "--format", "dot").out;
        assertTrue(dot.contains("on the host\\nsnapshot 'clean'\""), dot);
        assertFalse(dot.contains("other.vdi"), "only the VM's disks: " + dot);
        ok("medium", "tree", "--vm", "dos", "--format", "svg", "--output", file("dos.svg"));
        String svg = Files.readString(dir.resolve("dos.svg"));
        assertTrue(svg.contains(">current state</text>") && svg.contains("height=\"74\""), svg);

        Run both = run("medium", "tree", file("c.vdi"), "--vm", "dos");
        assertEquals(2, both.exit);
        assertTrue(both.err.contains("give a medium F or --vm NAME, not both"), both.err);
    }

    @Test
    void closeDeleteRefusesAParentAndDeletesALeaf() throws Exception {
        ok("medium", "create", "--filename", file("base.vdi"), "--size", "1");
        ok("medium", "create", "--filename", file("leaf.vdi"), "--diff", file("base.vdi"));
        Run r = fails("medium", "close", file("base.vdi"), "--delete");
        assertTrue(r.err.contains("leaf.vdi"), r.err);
        assertTrue(Files.exists(Path.of(file("base.vdi"))));

        UUID leaf = registry().findByPath(Path.of(file("leaf.vdi"))).orElseThrow().uuid();
        ok("medium", "close", leaf.toString(), "--delete");
        assertFalse(Files.exists(Path.of(file("leaf.vdi"))));
        ok("medium", "close", file("base.vdi"));
        assertTrue(Files.exists(Path.of(file("base.vdi"))), "close without --delete keeps the file");
        assertEquals(0, registry().all().size());
    }

    @Test
    void anImageAnotherProcessWritesIsRefusedNamingThatProcess() throws Exception {
        ok("medium", "create", "--filename", file("busy.vdi"), "--size", "1");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process other = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                HoldImage.class.getName(), file("busy.vdi")).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            assertEquals("LOCKED", new java.io.BufferedReader(new java.io.InputStreamReader(other.getInputStream()))
                    .readLine());
            Path in = Files.write(dir.resolve("x"), bytes("x"));
            Run r = fails("medium", "write", file("busy.vdi"), "--offset", "0", "--input", in.toString());
            assertTrue(r.err.contains("busy.vdi") && r.err.contains("in use by another Strata process"), r.err);
            if (Files.exists(Path.of("/proc/locks"))) {
                assertTrue(r.err.contains("pid " + other.pid()), r.err);
            }
            assertTrue(fails("medium", "cat", file("busy.vdi"), "--length", "1", "--output",
                    dir.resolve("o").toString()).err.contains("in use"), "a reader is refused during a write");
        } finally {
            other.getOutputStream().close();
            other.waitFor();
        }
        ok("medium", "write", file("busy.vdi"), "--offset", "0", "--input", dir.resolve("x").toString());
    }

    @Test
    void anUnregisteredChainIsRegisteredOnFirstUseParentsFirst() throws Exception {
        ok("medium", "create", "--filename", file("base.vdi"), "--size", "1");
        write(file("base.vdi"), 0, bytes("base"));
        ok("medium", "create", "--filename", file("child.vdi"), "--diff", file("base.vdi"));
        write(file("child.vdi"), 2, bytes("XY"));
        Files.delete(home.resolve(MediaRegistry.FILE_NAME));

        assertArrayEquals(bytes("baXY"), cat(file("child.vdi"), 0, 4));
        assertEquals(2, registry().all().size());
        assertEquals(registry().findByPath(Path.of(file("base.vdi"))).orElseThrow().uuid(),
                registry().findByPath(Path.of(file("child.vdi"))).orElseThrow().parentUuid());
    }

    @Test
    void checkOfAMissingFileSaysSo() {
        Run r = fails("medium", "check", file("nothing.vdi"));
        assertTrue(r.err.contains("nothing.vdi") && r.err.contains("no such"), r.err);
        assertFalse(Files.exists(Path.of(file("nothing.vdi.lck"))));
    }

    @Test
    void checkRepairRemovesSpaceAnInterruptedWriteLeftBehind() throws Exception {
        ok("medium", "create", "--filename", file("r.vdi"), "--size", "4");
        write(file("r.vdi"), 0, bytes("data"));
        long size = Files.size(Path.of(file("r.vdi")));
        Files.write(Path.of(file("r.vdi")), new byte[4096], StandardOpenOption.APPEND);

        Run r = ok("medium", "check", file("r.vdi"), "--repair");
        assertTrue(r.out.contains("repaired") && r.out.contains("4096 bytes"), r.out);
        assertEquals(size, Files.size(Path.of(file("r.vdi"))));
        assertTrue(ok("medium", "check", file("r.vdi"), "--repair").out.contains("nothing to repair"));
        assertArrayEquals(bytes("data"), cat(file("r.vdi"), 0, 4));
    }

    @Test
    void aFileThatIsNoImageIsRefusedAndLeftAlone() throws Exception {
        Path text = Files.writeString(dir.resolve("notes.txt"), "not a disk");
        Run r = fails("medium", "info", text.toString());
        assertTrue(r.err.contains("notes.txt"), r.err);
        assertEquals("not a disk", Files.readString(text));
        assertFalse(Files.exists(dir.resolve("notes.txt.lck")));
        assertEquals(0, registry().all().size());
    }

    @Test
    void everyVerbExplainsItselfWithHelp() {
        for (String verb : new String[] {"create", "modify", "info", "write", "cat", "clone", "merge", "check", "list",
            "tree", "close"}) {
            Run r = ok("medium", verb, "--help");
            assertTrue(r.out.startsWith("Usage: strata medium " + verb), r.out);
        }
    }
}
