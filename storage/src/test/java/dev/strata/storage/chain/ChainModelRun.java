package dev.strata.storage.chain;

import dev.strata.storage.Progress;
import dev.strata.storage.image.DiskImage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One model-based run: random reads, writes, snapshots (new diff on top), zero marks and merges in both
 * directions on a chain of files, each step checked against a plain byte array holding what the disk must show.
 */
final class ChainModelRun {

    private final ImageFactory factory;
    private final Random random;
    private final ChainOpener opener;
    private final MediumMerger merger;
    private final List<Path> layers = new ArrayList<>();
    private final byte[] model;
    private DiskChain chain;
    private int names;
    int merges;
    int snapshots;
    /** Blocks of differencing images turned into blocks held in part. */
    int thinned;

    ChainModelRun(ImageFactory factory, Path folder, long seed, int maxSize) throws IOException {
        this.factory = factory;
        this.random = new Random(seed);
        this.opener = new ChainOpener(factory, new FolderParentResolver(factory, Set.of(factory.extension())));
        this.merger = new MediumMerger(opener);
        int g = factory.sizeGranularity();
        int size = Math.max(g, (maxSize / 2 + random.nextInt(maxSize / 2)) / g * g);
        this.model = new byte[size];
        layers.add(factory.createBase(nextName(), size, random));
        int depth = 1 + random.nextInt(8);
        chain = opener.open(top(), false);
        for (int i = 1; i < depth; i++) {
            for (int w = random.nextInt(6); w > 0; w--) {
                randomWrite();
            }
            snapshot();
        }
    }

    private String nextName() {
        return "layer" + (names++) + "." + factory.extension();
    }

    private Path top() {
        return layers.get(layers.size() - 1);
    }

    void run(int ops) throws IOException {
        try {
            for (int i = 0; i < ops; i++) {
                int op = random.nextInt(100);
                if (op < 40) {
                    randomWrite();
                } else if (op < 80) {
                    randomRead();
                } else if (op < 85) {
                    snapshot();
                } else if (op < 88) {
                    markZero();
                } else if (op < 94) {
                    mergeForward();
                } else {
                    mergeBackward();
                }
            }
            verifyAll();
        } finally {
            chain.close();
        }
    }

    private int[] randomRange() {
        int len;
        int r = random.nextInt(10);
        if (r < 4) {
            len = 1 + random.nextInt(600);
        } else if (r < 8) {
            len = 1 + random.nextInt(20000);
        } else {
            len = 1 + random.nextInt(model.length);
        }
        len = Math.min(len, model.length);
        int offset = random.nextInt(model.length - len + 1);
        return new int[] {offset, len};
    }

    void randomWrite() throws IOException {
        int[] r = randomRange();
        byte[] data = new byte[r[1] + 3];
        random.nextBytes(data);
        chain.write(r[0], data, 3, r[1]);
        System.arraycopy(data, 3, model, r[0], r[1]);
        if (random.nextInt(4) == 0) {
            chain.flush();
        }
    }

    void randomRead() throws IOException {
        int[] r = randomRange();
        byte[] got = new byte[r[1] + 5];
        chain.read(r[0], got, 5, r[1]);
        assertArrayEquals(Arrays.copyOfRange(model, r[0], r[0] + r[1]), Arrays.copyOfRange(got, 5, 5 + r[1]),
                "read of " + r[1] + " bytes at " + r[0] + " through depth " + chain.depth());
    }

    void verifyAll() throws IOException {
        byte[] got = new byte[model.length];
        chain.read(0, got, 0, got.length);
        assertArrayEquals(model, got, "whole disk through depth " + chain.depth());
    }

    private void reopen() throws IOException {
        chain = opener.open(top(), false);
        assertEquals(layers.size(), chain.depth(), "chain depth after reopening");
        verifyAll();
    }

    void snapshot() throws IOException {
        if (layers.size() >= 12) {
            return;
        }
        chain.close();
        layers.add(factory.createDiff(nextName(), top(), random));
        snapshots++;
        reopen();
    }

    /**
     * Marks a block of the top as zero (a discard), when the top is a memory image that can do it; else leaves sectors
     * of the top's blocks to its parent where they hold the same bytes, when the format can.
     */
    void markZero() throws IOException {
        if (!(chain.top() instanceof MemoryImage top)) {
            thinOutTop();
            return;
        }
        long block = random.nextInt((int) top.blockCount());
        top.markZero(block);
        chain.refreshAllocation();
        long from = block * top.blockSize();
        Arrays.fill(model, (int) from, (int) Math.min(model.length, from + top.blockSize()), (byte) 0);
        verifyAll();
    }

    private void thinOutTop() throws IOException {
        if (layers.size() < 2) {
            return;
        }
        chain.close();
        try (DiskChain below = opener.open(layers.get(layers.size() - 2), true)) {
            thinned += factory.thinOut(top(), below, random);
        }
        reopen();
    }

    void mergeForward() throws IOException {
        if (layers.size() < 2) {
            return;
        }
        int i = 1 + random.nextInt(layers.size() - 1);
        chain.close();
        MergeResult result = merger.mergeIntoParent(layers.get(i), Progress.NONE);
        assertEquals(layers.get(i), result.obsolete());
        assertEquals(layers.get(i - 1), result.survivor());
        if (i + 1 < layers.size()) {
            merger.reparent(layers.get(i + 1), result.obsoleteUuid(), result.survivorUuid());
        }
        factory.delete(layers.remove(i));
        merges++;
        reopen();
    }

    void mergeBackward() throws IOException {
        // A base is never merged into its child (MediumMerger refuses); pick a parent that has a parent.
        if (layers.size() < 3) {
            return;
        }
        int i = 2 + random.nextInt(layers.size() - 2);
        chain.close();
        MergeResult result = merger.mergeParentIntoChild(layers.get(i - 1), layers.get(i), Progress.NONE);
        assertEquals(layers.get(i - 1), result.obsolete());
        factory.delete(layers.remove(i - 1));
        merges++;
        reopen();
    }

    DiskImage chain() {
        return chain;
    }
}
