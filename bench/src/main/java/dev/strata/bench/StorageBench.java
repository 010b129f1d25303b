package dev.strata.bench;

import dev.strata.storage.Progress;
import dev.strata.storage.chain.ChainMerge;
import dev.strata.storage.chain.DiskChain;
import dev.strata.storage.chain.FileChains;
import dev.strata.storage.image.DiskImage;
import dev.strata.storage.image.DiskImages;
import dev.strata.storage.image.ImageFormat;
import dev.strata.storage.image.ImageVariant;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Disk I/O through differencing chains of 1 GiB dynamic images of depth 1, 8 and 32 in VDI, VMDK (monolithic sparse),
 * VHD (dynamic) and qcow2, and a Parallels expanding image alone (it has no differencing images), against a raw file:
 * 4 KiB random and 1 MiB sequential reads and writes, and merge throughput. A chain read must cost the same at
 * any depth. Run: {@code strata bench StorageBench}. Work files go to
 * the temporary folder and are deleted at the end of each trial.
 */
public class StorageBench {

    static final long DISK = 1L << 30;
    static final int MIB = 1 << 20;
    /** Blocks holding data (the working set): 256 MiB, spread over the layers. */
    static final int DATA_BLOCKS = 256;

    /** One disk (raw file or VDI chain) with its working set written. */
    @State(Scope.Benchmark)
    public static class Disk {
        @Param({"raw", "vdi-image", "vdi-1", "vdi-8", "vdi-32", "vmdk-image", "vmdk-1", "vmdk-8", "vmdk-32",
            "vhd-image", "vhd-1", "vhd-8", "vhd-32", "hdd-image", "hdd-1", "qcow2-image", "qcow2-1", "qcow2-8",
            "qcow2-32"})
        public String layout;

        DiskImage disk;
        Path dir;
        final byte[] page = new byte[4096];
        final byte[] chunk = new byte[MIB];
        final long[] offsets = new long[1 << 14];
        int next;
        long sequential;

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            dir = Files.createTempDirectory("strata-bench");
            Random random = new Random(1);
            random.nextBytes(page);
            random.nextBytes(chunk);
            for (int i = 0; i < offsets.length; i++) {
                offsets[i] = (long) random.nextInt(DATA_BLOCKS * (MIB / 4096)) * 4096;
            }
            if (layout.equals("raw")) {
                disk = DiskImages.create(dir.resolve("disk.raw"), ImageFormat.RAW, ImageVariant.FIXED, DISK);
                for (int b = 0; b < DATA_BLOCKS; b++) {
                    disk.write((long) b * MIB, chunk, 0, MIB);
                }
                disk.flush();
            } else {
                String[] formatAndDepth = layout.split("-");
                ImageFormat format = ImageFormat.valueOf(formatAndDepth[0].toUpperCase(Locale.ROOT));
                if (formatAndDepth[1].equals("image")) {
                    // The driver alone, without a chain in front: separates driver cost from chain cost.
                    disk = chain(dir, format, 1, chunk).top();
                } else {
                    disk = chain(dir, format, Integer.parseInt(formatAndDepth[1]), chunk);
                }
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            disk.close();
            deleteTree(dir);
        }
    }

    /**
     * Builds a chain of {@code depth} dynamic images; block b of the working set lives in layer b % depth. Each
     * layer is written through the chain it tops, as a guest writes it: a format whose blocks are larger than the
     * 1 MiB pieces (VHD's 2 MiB) then holds the pieces' sectors only and leaves the rest to its parent, where
     * writing into the image alone would make its unwritten half zeros that hide the parent.
     */
    static DiskChain chain(Path dir, ImageFormat format, int depth, byte[] chunk) throws IOException {
        Path previous = null;
        for (int layer = 0; layer < depth; layer++) {
            Path p = dir.resolve("layer" + layer + "." + format.name().toLowerCase(Locale.ROOT));
            if (previous == null) {
                DiskImages.create(p, format, ImageVariant.STANDARD, DISK).close();
            } else {
                try (DiskImage parent = DiskImages.open(previous, true)) {
                    DiskImages.createDiff(p, parent).close();
                }
            }
            try (DiskChain top = FileChains.opener().open(p, false)) {
                for (int b = layer; b < DATA_BLOCKS; b += depth) {
                    top.write((long) b * MIB, chunk, 0, MIB);
                }
            }
            previous = p;
        }
        return FileChains.opener().open(previous, false);
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public byte randomRead4k(Disk d) throws IOException {
        long offset = d.offsets[d.next++ & (d.offsets.length - 1)];
        d.disk.read(offset, d.page, 0, 4096);
        return d.page[17];
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public void randomWrite4k(Disk d) throws IOException {
        long offset = d.offsets[d.next++ & (d.offsets.length - 1)];
        d.disk.write(offset, d.page, 0, 4096);
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public byte sequentialRead1m(Disk d) throws IOException {
        long offset = d.sequential;
        d.sequential = (offset + MIB) % ((long) DATA_BLOCKS * MIB);
        d.disk.read(offset, d.chunk, 0, MIB);
        return d.chunk[17];
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public void sequentialWrite1m(Disk d) throws IOException {
        long offset = d.sequential;
        d.sequential = (offset + MIB) % ((long) DATA_BLOCKS * MIB);
        d.disk.write(offset, d.chunk, 0, MIB);
    }

    /** A chain of heap images (the working set spread over the layers as on disk): the chain's own cost. */
    @State(Scope.Benchmark)
    public static class Heap {
        @Param({"1", "8", "32"})
        public int depth;

        DiskChain chain;
        final byte[] page = new byte[4096];
        final long[] offsets = new long[1 << 14];
        int next;

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            Random random = new Random(3);
            byte[] chunk = new byte[MIB];
            random.nextBytes(chunk);
            for (int i = 0; i < offsets.length; i++) {
                offsets[i] = (long) random.nextInt(DATA_BLOCKS * (MIB / 4096)) * 4096;
            }
            List<HeapImage> layers = new ArrayList<>();
            for (int layer = 0; layer < depth; layer++) {
                HeapImage image = new HeapImage("heap" + layer, DISK, MIB,
                        layer == 0 ? null : layers.get(layer - 1).uuid());
                for (int b = layer; b < DATA_BLOCKS; b += depth) {
                    image.write((long) b * MIB, chunk, 0, MIB);
                }
                layers.add(image);
            }
            chain = DiskChain.of(layers);
        }
    }

    /** 4 KiB random reads through a heap chain: what the layer lookup costs, free of file-system noise. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public byte heapChainRandomRead4k(Heap h) throws IOException {
        long offset = h.offsets[h.next++ & (h.offsets.length - 1)];
        h.chain.read(offset, h.page, 0, 4096);
        return h.page[17];
    }

    /** A fresh child holding {@link #BLOCKS} MiB over an empty parent (dynamic VDI, VMDK or qcow2, or raw), for one merge. */
    @State(Scope.Thread)
    public static class Merge {
        static final int BLOCKS = 64;

        @Param({"vdi", "vmdk", "qcow2", "raw"})
        public String parentFormat;

        Path dir;
        DiskImage child;
        DiskChain parent;

        @Setup(Level.Invocation)
        public void setUp() throws IOException {
            dir = Files.createTempDirectory("strata-bench-merge");
            byte[] chunk = new byte[MIB];
            new Random(2).nextBytes(chunk);
            Path parentPath = dir.resolve("parent." + parentFormat);
            ImageFormat format = ImageFormat.valueOf(parentFormat.toUpperCase(Locale.ROOT));
            ImageVariant variant = format == ImageFormat.RAW ? ImageVariant.FIXED : ImageVariant.STANDARD;
            DiskImage parentImage = DiskImages.create(parentPath, format, variant, DISK);
            // the child takes the parent's format where it has children (VMDK over VMDK, qcow2 over qcow2), else VDI
            child = DiskImages.createDiff(dir.resolve("child." + (format == ImageFormat.RAW ? "vdi" : parentFormat)),
                    parentImage);
            for (int b = 0; b < BLOCKS; b++) {
                child.write((long) b * 3 * MIB, chunk, 0, MIB);
            }
            child.flush();
            parent = DiskChain.single(parentImage);
        }

        @TearDown(Level.Invocation)
        public void tearDown() throws IOException {
            child.close();
            parent.close();
            deleteTree(dir);
        }
    }

    /** Time to merge {@link Merge#BLOCKS} MiB into the parent; MB/s = 64 / seconds. */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public void mergeIntoParent64m(Merge m) throws IOException {
        ChainMerge.mergeIntoParent(m.child, m.parent, Progress.NONE);
    }
}
