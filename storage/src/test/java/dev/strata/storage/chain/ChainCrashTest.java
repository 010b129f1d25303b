package dev.strata.storage.chain;

import dev.strata.storage.Progress;
import dev.strata.storage.image.DiskImage;
import dev.strata.storage.image.DiskImages;
import dev.strata.storage.image.ImageChecker;
import dev.strata.storage.image.ImageDrivers;
import dev.strata.storage.image.ImageFinding;
import dev.strata.storage.image.ImageFormat;
import dev.strata.storage.image.ImageVariant;
import dev.strata.storage.image.vhd.HandMadeVhd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Kills a child JVM (SIGKILL) while it writes to a chain or merges one (VDI, VHD, VMDK, qcow2, or VDI over
 * Parallels), compacts an image (VDI, qcow2, VHD, Parallels, VMDK), resizes one (VDI, VHD, Parallels, qcow2) or
 * clones a chain, then checks the files, reopens the chain and compares it with what was flushed; interrupted work
 * must read as before and finish when rerun.
 */
class ChainCrashTest {

    private static final int MIB = 1 << 20;

    @TempDir
    Path folder;

    private final Random random = new Random(20261121);

    /**
     * The formats of base and children: VDI alone, VHD alone, VDI children on a Parallels base (the format has no
     * children of its own), qcow2 alone (whose writes also allocate L2 tables and refcount blocks) and VMDK alone
     * (grain tables, the redundant grain directory and a new CID on the first write); and VHD alone with the top's
     * blocks turned into blocks held in part (sector bitmaps written at flush, after the data).
     */
    static Stream<Arguments> formatChains() {
        return Stream.of(Arguments.of(ImageFormat.VDI, ImageFormat.VDI, false),
                Arguments.of(ImageFormat.VHD, ImageFormat.VHD, false),
                Arguments.of(ImageFormat.HDD, ImageFormat.VDI, false),
                Arguments.of(ImageFormat.QCOW2, ImageFormat.QCOW2, false),
                Arguments.of(ImageFormat.VMDK, ImageFormat.VMDK, false),
                Arguments.of(ImageFormat.VHD, ImageFormat.VHD, true));
    }

    @ParameterizedTest(name = "{1} over {0}, partial blocks {2}")
    @MethodSource("formatChains")
    void killedWriterLosesNothingItFlushed(ImageFormat baseFormat, ImageFormat diffFormat, boolean partial)
            throws Exception {
        for (int round = 0; round < 3; round++) {
            Path dir = Files.createDirectory(folder.resolve("w" + round));
            Path top = makeChain(dir, 16 * MIB, baseFormat, diffFormat);
            if (partial) {
                try (DiskChain below = FileChains.opener().open(dir.resolve("mid" + extension(diffFormat)), true)) {
                    assertTrue(HandMadeVhd.thinOut(top, below, random) > 0, "the top holds blocks in part");
                }
            }
            byte[] initial = readChain(top);
            long seed = random.nextLong();
            Worker worker = Worker.start(dir, "write", top.toString(), Long.toString(seed));
            int killAt = 1 + random.nextInt(5);
            worker.awaitLine("flushed " + killAt);
            Thread.sleep(random.nextInt(20));
            List<String> lines = worker.kill();
            int flushed = lastFlushed(lines);
            assertTrue(flushed >= killAt, "the worker reported batch " + killAt);

            checkFiles(dir);
            WriteBatches batches = new WriteBatches(seed, initial.length);
            byte[] durable = batches.after(flushed, initial);
            byte[] maybe = batches.after(flushed + 1, initial);
            byte[] got = readChain(top);
            for (int i = 0; i < got.length; i++) {
                if (got[i] != durable[i] && got[i] != maybe[i]) {
                    fail("round " + round + ": byte " + i + " is " + got[i] + " but batch " + flushed
                            + " was flushed with " + durable[i] + " (next batch: " + maybe[i] + ")");
                }
            }
        }
    }

    /**
     * 64 MiB: 48 MiB written in pieces of 1 MiB (2 MiB for a VHD's blocks), every third of those then zeroed; a VDI's
     * or Parallels disk's 1 MiB blocks, a VHD's 2 MiB ones, a VMDK's 64 KiB grains or a qcow2's 64 KiB clusters. Half
     * the rounds kill while zero blocks are dropped, the others while blocks move down. The rerun ends where a compact
     * of an untouched copy ends. A differencing VMDK sits on a base full of random data, which its zero grains (turned
     * into zero-grain entries) must keep hiding.
     */
    @ParameterizedTest(name = "{0}, differencing {1}")
    @MethodSource("compactable")
    void killedCompactLeavesAValidImageShowingTheSameDiskAndARerunFinishes(ImageFormat format, boolean differencing)
            throws Exception {
        for (int round = 0; round < 4; round++) {
            Path dir = Files.createDirectory(folder.resolve("c" + round));
            Path img = dir.resolve("c" + extension(format));
            Path base = dir.resolve("base" + extension(format));
            if (differencing) {
                try (DiskImage b = DiskImages.create(base, format, ImageVariant.STANDARD, 64 * MIB)) {
                    byte[] data = new byte[MIB];
                    for (int m = 0; m < 64; m++) {
                        random.nextBytes(data);
                        b.write((long) m * MIB, data, 0, MIB);
                    }
                }
            }
            try (DiskImage d = differencing ? diffOf(base, img) : DiskImages.create(img, format, ImageVariant.STANDARD,
                    DiskImages.userSize(format, 64 * MIB))) {
                int piece = Math.max(MIB, d.blockSize());
                byte[] data = new byte[piece];
                for (int b = 0; b < 48 * MIB / piece; b++) {
                    random.nextBytes(data);
                    d.write((long) b * piece, data, 0, piece);
                }
                for (int b = 0; b < 48 * MIB / piece; b += 3) {
                    d.write((long) b * piece, new byte[piece], 0, piece);
                }
            }
            byte[] before = readChain(img);
            long fullLength = Files.size(img);
            Path copyDir = Files.createDirectory(folder.resolve("clean" + round));
            Path copy = copyDir.resolve(img.getFileName());
            Files.copy(img, copy);
            if (differencing) {
                Files.copy(base, copyDir.resolve(base.getFileName()));
            }
            DiskImages.compact(copy, format, Progress.NONE);
            Worker worker = Worker.start(dir, "compact", img.toString(), format.name());
            worker.awaitProgress(round < 2 ? 0.01 + 0.45 * random.nextDouble() : 0.501);
            Thread.sleep(random.nextInt(30));
            worker.kill();

            checkFiles(dir);
            assertArrayEquals(before, readChain(img), "round " + round + ": the disk reads the same after the kill");
            DiskImages.compact(img, format, Progress.NONE);
            checkFiles(dir);
            assertArrayEquals(before, readChain(img), "round " + round + ": the disk reads the same after the rerun");
            assertEquals(Files.size(copy), Files.size(img), "round " + round + ": every zero block given back");
            assertTrue(Files.size(img) <= fullLength - 16L * MIB, "round " + round + ": 16 MiB of zeros given back");
        }
    }

    static Stream<Arguments> compactable() {
        return Stream.of(Arguments.of(ImageFormat.VDI, false), Arguments.of(ImageFormat.QCOW2, false),
                Arguments.of(ImageFormat.VHD, false), Arguments.of(ImageFormat.HDD, false),
                Arguments.of(ImageFormat.VMDK, false), Arguments.of(ImageFormat.VMDK, true));
    }

    private static DiskImage diffOf(Path base, Path child) throws IOException {
        try (DiskImage parent = DiskImages.open(base, true)) {
            return DiskImages.createDiff(child, parent);
        }
    }

    /**
     * A resize killed at a random point of one of four steps (two small ones, one past 256 GiB, where a VDI's map and
     * a Parallels catalog outgrow their room and move the first blocks, and a VHD's table moves the blocks after it,
     * then one more): the image is the size before or after that step, checks clean, keeps its data and reads zeros
     * past it, and a rerun (after {@code check --repair}, which a VHD that lost its end footer asks for) finishes.
     */
    @ParameterizedTest
    @EnumSource(value = ImageFormat.class, names = {"VDI", "VHD", "HDD", "QCOW2"})
    void killedResizeLeavesTheOldOrTheNewSize(ImageFormat format) throws Exception {
        long old = DiskImages.userSize(format, 5L * MIB);
        long[] sizes = {DiskImages.userSize(format, 6L * MIB), DiskImages.userSize(format, 7L * MIB),
                DiskImages.userSize(format, 300L << 30), DiskImages.userSize(format, 301L << 30)};
        String[] args = new String[3 + sizes.length];
        args[0] = "resize";
        args[2] = format.name();
        for (int i = 0; i < sizes.length; i++) {
            args[3 + i] = Long.toString(sizes[i]);
        }
        // a first run, not killed, times each step, so that the kills below land anywhere inside one
        Path calibration = Files.createDirectory(folder.resolve("calibration"));
        args[1] = resizeImage(calibration, format, old).toString();
        long[] nanos = new long[sizes.length + 1];
        Worker timed = Worker.start(calibration, args);
        for (int k = 1; k <= sizes.length; k++) {
            timed.awaitLine("start " + k);
            long t0 = System.nanoTime();
            timed.awaitLine("resized " + k);
            nanos[k] = System.nanoTime() - t0;
        }
        timed.awaitLine("done");
        for (int round = 0; round < 8; round++) {
            Path dir = Files.createDirectory(folder.resolve("r" + round));
            Path img = resizeImage(dir, format, old);
            byte[] before = readRange(img, 0, (int) old);
            // every other round the step past 256 GiB, which moves blocks; the worker numbers the steps from 1
            int step = round % 2 == 0 ? 3 : 1 + (round / 2) % 4;
            args[1] = img.toString();
            Worker worker = Worker.start(dir, args);
            worker.awaitLine("start " + step);
            long delay = (long) (random.nextDouble() * nanos[step]);
            Thread.sleep(delay / 1_000_000, (int) (delay % 1_000_000));
            // the kill lands in the last step the worker started (a fast one may have finished more than planned)
            for (String line : worker.kill()) {
                if (line.startsWith("start ")) {
                    step = Integer.parseInt(line.substring(6));
                }
            }

            checkFiles(dir);
            long from = step == 1 ? old : sizes[step - 2];
            long to = sizes[step - 1];
            long size;
            try (DiskImage d = DiskImages.open(img, true)) {
                size = d.size();
            }
            assertTrue(size == from || size == to,
                    "round " + round + ": " + size + " bytes, neither " + from + " nor " + to);
            assertArrayEquals(before, readRange(img, 0, (int) old), "round " + round + ": the data stays");
            byte[] past = readRange(img, old, (int) (size - old < 4 * MIB ? size - old : 4 * MIB));
            assertTrue(past.length == 0 || java.util.Arrays.equals(past, new byte[past.length]),
                    "round " + round + ": zeros past the old end");
            // a VHD whose blocks were moving may have lost the footer at its end: repair first, as the refusal says
            ImageChecker.repair(img);
            DiskImages.resize(img, format, null, sizes[sizes.length - 1]);
            checkFiles(dir);
            assertArrayEquals(before, readRange(img, 0, (int) old), "round " + round + ": the data after the rerun");
        }
    }

    /** A dynamic image of {@code size} bytes in {@code dir} holding random data in some places. */
    private Path resizeImage(Path dir, ImageFormat format, long size) throws IOException {
        Path img = dir.resolve("r" + extension(format));
        try (DiskImage d = DiskImages.create(img, format, ImageVariant.STANDARD, size)) {
            scribble(d, 12);
        }
        return img;
    }

    private static byte[] readRange(Path img, long offset, int len) throws IOException {
        try (DiskImage d = DiskImages.open(img, true)) {
            byte[] b = new byte[len];
            d.read(offset, b, 0, len);
            return b;
        }
    }

    @ParameterizedTest(name = "{1} over {0}")
    @MethodSource("formatChains")
    void killedForwardMergeReadsTheSameAndFinishesWhenRerun(ImageFormat baseFormat, ImageFormat diffFormat)
            throws Exception {
        for (int round = 0; round < 2; round++) {
            Path dir = Files.createDirectory(folder.resolve("f" + round));
            Path top = makeChain(dir, 32 * MIB, baseFormat, diffFormat);
            Path mid = dir.resolve("mid" + extension(diffFormat));
            byte[] before = readChain(top);
            byte[] midBefore = readChain(mid);
            Worker worker = Worker.start(dir, "forward", mid.toString());
            worker.awaitProgress(0.03 + 0.85 * random.nextDouble());
            worker.kill();

            checkFiles(dir);
            assertArrayEquals(before, readChain(top), "round " + round + ": the chain reads the same after the kill");
            assertArrayEquals(midBefore, readChain(mid));
            MediumMerger merger = FileChains.merger();
            MergeResult result = merger.mergeIntoParent(mid, Progress.NONE);
            merger.reparent(top, result.obsoleteUuid(), result.survivorUuid());
            Files.delete(mid);
            checkFiles(dir);
            assertArrayEquals(midBefore, readChain(dir.resolve("base" + extension(baseFormat))));
            assertArrayEquals(before, readChain(top), "round " + round + ": the chain reads the same after the merge");
            assertEquals(2, depth(top));
        }
    }

    @Test
    void killedCloneLeavesNoTargetThatLooksWholeAndARerunSucceeds() throws Exception {
        Path dir = Files.createDirectory(folder.resolve("c"));
        Path top = makeChain(dir, 16 * MIB);
        Path target = dir.resolve("copy.vdi");
        Worker worker = Worker.start(dir, "clone", top.toString(), target.toString());
        worker.awaitLine("progress " + MIB + " " + 16 * MIB);
        worker.kill();

        assertFalse(Files.exists(target), "a killed clone leaves no file under the target's name");
        Path partial = dev.strata.storage.image.ImageStaging.partialPath(target);
        assertTrue(Files.exists(partial), "the kill landed after the copy began");
        checkFiles(dir); // the partial file is not taken for an image: no .vdi name
        FileChains.clone(FileChains.opener(), top, target, ImageFormat.VDI, ImageVariant.STANDARD, Progress.NONE);
        assertFalse(Files.exists(partial));
        assertArrayEquals(readChain(top), readChain(target));
        checkFiles(dir);
    }

    @ParameterizedTest(name = "{1} over {0}")
    @MethodSource("formatChains")
    void killedBackwardMergeReadsTheSameAndFinishesWhenRerun(ImageFormat baseFormat, ImageFormat diffFormat)
            throws Exception {
        for (int round = 0; round < 2; round++) {
            Path dir = Files.createDirectory(folder.resolve("b" + round));
            Path top = makeChain(dir, 32 * MIB, baseFormat, diffFormat);
            Path mid = dir.resolve("mid" + extension(diffFormat));
            byte[] before = readChain(top);
            Worker worker = Worker.start(dir, "backward", mid.toString(), top.toString());
            worker.awaitProgress(0.03 + 0.85 * random.nextDouble());
            worker.kill();

            checkFiles(dir);
            assertArrayEquals(before, readChain(top), "round " + round + ": the chain reads the same after the kill");
            FileChains.merger().mergeParentIntoChild(mid, top, Progress.NONE);
            Files.delete(mid);
            checkFiles(dir);
            assertArrayEquals(before, readChain(top), "round " + round + ": the chain reads the same after the merge");
            assertEquals(2, depth(top));
        }
    }

    /** base.vdi (dynamic) ← mid.vdi ← top.vdi, each holding random data in some blocks; returns top. */
    private Path makeChain(Path dir, int size) throws IOException {
        return makeChain(dir, size, ImageFormat.VDI, ImageFormat.VDI);
    }

    /** The same with a base of {@code baseFormat} and children of {@code diffFormat}, named with their extensions. */
    private Path makeChain(Path dir, int size, ImageFormat baseFormat, ImageFormat diffFormat) throws IOException {
        String ext = extension(diffFormat);
        Path base = dir.resolve("base" + extension(baseFormat));
        try (DiskImage image = DiskImages.create(base, baseFormat, ImageVariant.STANDARD, size)) {
            scribble(image, 6);
        }
        Path mid = dir.resolve("mid" + ext);
        Path top = dir.resolve("top" + ext);
        try (DiskImage parent = DiskImages.open(base, true);
             DiskImage image = DiskImages.createDiff(mid, parent, diffFormat)) {
            scribble(image, 20);
        }
        try (DiskImage parent = DiskImages.open(mid, true);
             DiskImage image = DiskImages.createDiff(top, parent, diffFormat)) {
            scribble(image, 4);
        }
        return top;
    }

    private static String extension(ImageFormat format) {
        return "." + format.name().toLowerCase(Locale.ROOT);
    }

    private void scribble(DiskImage image, int writes) throws IOException {
        byte[] data = new byte[64 * 1024];
        for (int i = 0; i < writes; i++) {
            random.nextBytes(data);
            int len = 1 + random.nextInt(data.length);
            image.write(random.nextInt((int) image.size() - len), data, 0, len);
        }
    }

    private static byte[] readChain(Path top) throws IOException {
        try (DiskChain chain = FileChains.opener().open(top, true)) {
            byte[] all = new byte[(int) chain.size()];
            chain.read(0, all, 0, all.length);
            return all;
        }
    }

    private static int depth(Path top) throws IOException {
        try (DiskChain chain = FileChains.opener().open(top, true)) {
            return chain.depth();
        }
    }

    private static void checkFiles(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files.filter(ChainCrashTest::isImage)::iterator) {
                List<ImageFinding> findings = ImageChecker.check(p);
                assertFalse(ImageChecker.hasErrors(findings), p + ": " + findings);
            }
        }
    }

    private static boolean isImage(Path f) {
        String name = f.getFileName().toString();
        return ImageDrivers.extensions().contains(name.substring(name.lastIndexOf('.') + 1));
    }

    private static int lastFlushed(List<String> lines) {
        int last = 0;
        for (String line : lines) {
            if (line.startsWith("flushed ")) {
                last = Integer.parseInt(line.substring(8));
            }
        }
        return last;
    }

    /** A {@link CrashWorker} in its own JVM, with its stdout read line by line. */
    private static final class Worker {
        private final Process process;
        private final BufferedReader out;
        private final List<String> lines = new ArrayList<>();
        private final Path errors;

        private Worker(Process process, Path errors) {
            this.process = process;
            this.errors = errors;
            this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        }

        static Worker start(Path dir, String... args) throws IOException {
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"),
                    "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                    CrashWorker.class.getName()));
            command.addAll(List.of(args));
            Path errors = dir.resolve("worker.err");
            Process p = new ProcessBuilder(command).redirectError(errors.toFile()).start();
            return new Worker(p, errors);
        }

        /** Reads stdout until {@code wanted} (or "done", or the end); fails if the worker died early. */
        void awaitLine(String wanted) throws IOException {
            String line;
            while ((line = out.readLine()) != null) {
                lines.add(line);
                if (line.equals(wanted) || line.equals("done")) {
                    return;
                }
            }
            fail("the worker ended before printing '" + wanted + "': " + Files.readString(errors));
        }

        /** Reads stdout until the work reported is at least {@code fraction} of its total. */
        void awaitProgress(double fraction) throws IOException {
            String line;
            while ((line = out.readLine()) != null) {
                lines.add(line);
                String[] words = line.split(" ");
                if (line.equals("done") || words[0].equals("progress")
                        && Long.parseLong(words[1]) >= fraction * Long.parseLong(words[2])) {
                    return;
                }
            }
            fail("the worker ended before reaching " + fraction + " of its work: " + Files.readString(errors));
        }

        /** SIGKILLs the worker and returns every line it printed. */
        List<String> kill() throws IOException, InterruptedException {
            // Through the handle: Process.destroyForcibly would also close our end of stdout, losing its lines.
            process.toHandle().destroyForcibly();
            assertTrue(process.waitFor(10, TimeUnit.SECONDS), "the worker died");
            String line;
            while ((line = out.readLine()) != null) {
                lines.add(line);
            }
            return lines;
        }
    }
}
