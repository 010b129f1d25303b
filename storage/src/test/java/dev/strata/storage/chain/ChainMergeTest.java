package dev.strata.storage.chain;

import dev.strata.storage.Progress;
import dev.strata.storage.StorageException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Merges keep what the chain reads, report progress, and finish when run again after an interruption. */
class ChainMergeTest {

    private static final int BLOCK = 4096;
    private static final long SIZE = 32 * BLOCK;

    @TempDir
    Path folder;

    private MemoryStore store;
    private ChainOpener opener;
    private MediumMerger merger;

    /** Thrown by a progress callback to stop a merge half-way, standing in for a crash. */
    private static final class Interrupted extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    @BeforeEach
    void setUp() throws IOException {
        store = new MemoryStore(folder);
        opener = new ChainOpener(store, new FolderParentResolver(store, Set.of("vdi")));
        merger = new MediumMerger(opener);
        MemoryImage.Content base = store.create("base.vdi", SIZE, BLOCK, null);
        MemoryImage.Content mid = store.create("mid.vdi", SIZE, BLOCK, base.uuid);
        store.create("top.vdi", SIZE, BLOCK, mid.uuid);
        Random random = new Random(42);
        for (String name : new String[] {"base.vdi", "mid.vdi", "top.vdi"}) {
            try (MemoryImage image = store.open(store.path(name), false)) {
                for (int i = 0; i < 12; i++) {
                    byte[] data = new byte[1 + random.nextInt(2 * BLOCK)];
                    random.nextBytes(data);
                    image.write(random.nextInt((int) SIZE - data.length), data, 0, data.length);
                }
                image.markZero(random.nextInt(32));
            }
        }
    }

    private byte[] readChain(String top) throws IOException {
        try (DiskChain chain = opener.open(store.path(top), true)) {
            byte[] all = new byte[(int) SIZE];
            chain.read(0, all, 0, all.length);
            return all;
        }
    }

    private static Progress stopAfter(int blocks) {
        return (done, total) -> {
            if (done == blocks) {
                throw new Interrupted();
            }
        };
    }

    @Test
    void forwardMergeInterruptedThenRunAgainKeepsTheData() throws IOException {
        byte[] before = readChain("top.vdi");
        byte[] midBefore = readChain("mid.vdi");
        assertThrows(Interrupted.class, () -> merger.mergeIntoParent(store.path("mid.vdi"), stopAfter(13)));
        assertEquals(0, store.openHandles(), "an interrupted merge closes its images");
        assertArrayEquals(before, readChain("top.vdi"), "half-way, the chain still reads the same");
        assertArrayEquals(midBefore, readChain("mid.vdi"), "half-way, the merged child still reads the same");
        long[] last = new long[2];
        MergeResult result = merger.mergeIntoParent(store.path("mid.vdi"), (d, t) -> {
            assertTrue(d > last[0] && d <= t);
            last[0] = d;
            last[1] = t;
        });
        assertEquals(last[1], last[0], "progress ends at its total");
        assertEquals(store.path("mid.vdi"), result.obsolete());
        assertEquals(store.path("base.vdi"), result.survivor());
        assertArrayEquals(midBefore, readChain("base.vdi"), "the parent now holds what the child showed");
        merger.reparent(store.path("top.vdi"), result.obsoleteUuid(), result.survivorUuid());
        merger.reparent(store.path("top.vdi"), result.obsoleteUuid(), result.survivorUuid());
        store.files.remove(store.path("mid.vdi"));
        java.nio.file.Files.delete(store.path("mid.vdi"));
        try (DiskChain chain = opener.open(store.path("top.vdi"), true)) {
            assertEquals(2, chain.depth());
        }
        assertArrayEquals(before, readChain("top.vdi"));
    }

    @Test
    void backwardMergeInterruptedThenRunAgainKeepsTheData() throws IOException {
        byte[] before = readChain("top.vdi");
        assertThrows(Interrupted.class,
                () -> merger.mergeParentIntoChild(store.path("mid.vdi"), store.path("top.vdi"), stopAfter(20)));
        assertArrayEquals(before, readChain("top.vdi"), "half-way, the chain still reads the same");
        MergeResult result = merger.mergeParentIntoChild(store.path("mid.vdi"), store.path("top.vdi"), Progress.NONE);
        assertEquals(store.path("mid.vdi"), result.obsolete());
        assertEquals(store.files.get(store.path("base.vdi")).uuid,
                store.files.get(store.path("top.vdi")).parentUuid, "the child now names its grandparent");
        // A crash after the re-pointing: running it again only reports the result.
        int changes = store.changes();
        MergeResult again = merger.mergeParentIntoChild(store.path("mid.vdi"), store.path("top.vdi"), Progress.NONE);
        assertEquals(result, again);
        assertEquals(changes, store.changes(), "the repeated merge wrote nothing");
        store.files.remove(store.path("mid.vdi"));
        assertArrayEquals(before, readChain("top.vdi"));
    }

    @Test
    void backwardMergeOfTheBaseIsRefusedBeforeAnyChange() throws IOException {
        int changes = store.changes();
        StorageException e = assertThrows(StorageException.class,
                () -> merger.mergeParentIntoChild(store.path("base.vdi"), store.path("mid.vdi"), Progress.NONE));
        assertTrue(e.getMessage().contains("base.vdi") && e.getMessage().contains("merge the child into it"),
                e.getMessage());
        assertEquals(changes, store.changes());
        assertEquals(0, store.openHandles());
    }

    @Test
    void lowLevelBackwardMergeOfTheBaseLeavesAStandaloneImage() throws IOException {
        byte[] midView = readChain("mid.vdi");
        try (DiskChain base = opener.open(store.path("base.vdi"), true);
             MemoryImage mid = store.open(store.path("mid.vdi"), false)) {
            ChainMerge.mergeParentIntoChild(base, mid, Progress.NONE);
        }
        assertNull(store.files.get(store.path("mid.vdi")).parentUuid);
        store.files.remove(store.path("base.vdi"));
        assertArrayEquals(midView, readChain("mid.vdi"));
    }

    @Test
    void costCountsWhatEachDirectionCopies() throws IOException {
        MemoryImage.Content mid = store.files.get(store.path("mid.vdi"));
        MemoryImage.Content top = store.files.get(store.path("top.vdi"));
        long topHolds = 0;
        long midOnly = 0;
        for (long b = 0; b < SIZE / BLOCK; b++) {
            boolean inTop = top.blocks.containsKey(b) || top.zeroBlocks.contains(b);
            boolean inMid = mid.blocks.containsKey(b) || mid.zeroBlocks.contains(b);
            topHolds += inTop ? BLOCK : 0;
            midOnly += inMid && !inTop ? BLOCK : 0;
        }
        MergeCost cost = merger.cost(store.path("mid.vdi"), store.path("top.vdi"));
        assertEquals(new MergeCost(topHolds, midOnly), cost);
        assertTrue(topHolds > 0 && midOnly > 0);
        assertEquals(0, store.openHandles());
    }

    @Test
    void mergingAnImageWithoutParentIsRefused() {
        StorageException e = assertThrows(StorageException.class,
                () -> merger.mergeIntoParent(store.path("base.vdi"), Progress.NONE));
        assertTrue(e.getMessage().contains("no parent"), e.getMessage());
    }

    @Test
    void backwardMergeOfANonParentIsRefused() throws IOException {
        int changes = store.changes();
        StorageException e = assertThrows(StorageException.class,
                () -> merger.mergeParentIntoChild(store.path("base.vdi"), store.path("top.vdi"), Progress.NONE));
        assertTrue(e.getMessage().contains("top.vdi"), e.getMessage());
        assertEquals(changes, store.changes());
        assertEquals(0, store.openHandles());
    }

    @Test
    void reparentRefusesAnImageNamingAnotherParent() throws IOException {
        java.util.UUID other = java.util.UUID.randomUUID();
        StorageException e = assertThrows(StorageException.class,
                () -> merger.reparent(store.path("top.vdi"), other, java.util.UUID.randomUUID()));
        assertTrue(e.getMessage().contains(other.toString()), e.getMessage());
    }
}
