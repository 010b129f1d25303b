package dev.strata.storage.image.vhd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.storage.Progress;
import dev.strata.storage.chain.ChainExplanation;
import dev.strata.storage.chain.DiskChain;
import dev.strata.storage.chain.FileChains;
import dev.strata.storage.image.BlockState;
import dev.strata.storage.image.DiskImage;
import dev.strata.storage.image.DiskImages;
import dev.strata.storage.image.ImageChecker;
import dev.strata.storage.image.ImageFormat;
import dev.strata.storage.image.ImageVariant;
import dev.strata.storage.image.TestFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.BitSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Differencing VHDs whose blocks hold only some sectors, the others being the parent's (as VirtualBox and Virtual PC
 * write them), made byte by byte: chains read each sector from where the bitmap says, writes mark the sectors
 * written, and merges both ways and clone keep what the chain shows.
 */
class VhdPartialBlocksTest {
    private static final int BLOCK = HandMadeVhd.BLOCK;

    @TempDir
    Path dir;
    private Path base;
    private Path child;
    /** What the chain base -> child must show. */
    private byte[] expected;

    /** A 3-block base full of one pattern; a child holding sectors 0-7, 100 and 4000-4095 of block 0, and block 2. */
    @BeforeEach
    void makeChain() throws IOException {
        base = dir.resolve("base.vhd");
        child = dir.resolve("child.vhd");
        long size;
        try (DiskImage b = DiskImages.create(base, ImageFormat.VHD, ImageVariant.STANDARD,
                DiskImages.userSize(ImageFormat.VHD, 5L << 20))) {
            size = b.size();
            b.write(0, TestFiles.pattern((int) size, 1), 0, (int) size);
        }
        expected = TestFiles.pattern((int) size, 1);
        byte[] block0 = TestFiles.pattern(BLOCK, 2);
        BitSet held0 = new BitSet();
        held0.set(0, 8);
        held0.set(100);
        held0.set(4000, 4096);
        // bytes of sectors the bitmap leaves to the parent, which must never be read
        for (int s = held0.nextClearBit(0); s < 4096; s = held0.nextClearBit(s + 1)) {
            Arrays.fill(block0, s * 512, s * 512 + 512, (byte) 0xEE);
        }
        for (int s = held0.nextSetBit(0); s >= 0; s = held0.nextSetBit(s + 1)) {
            System.arraycopy(block0, s * 512, expected, s * 512, 512);
        }
        int lastSectors = (int) (size - 2L * BLOCK) / 512;
        byte[] block2 = TestFiles.pattern(BLOCK, 3);
        BitSet held2 = new BitSet();
        held2.set(1, lastSectors, true);
        held2.clear(7);
        held2.set(lastSectors, 4096);
        for (int s = held2.nextSetBit(0); s >= 0 && s < lastSectors; s = held2.nextSetBit(s + 1)) {
            System.arraycopy(block2, s * 512, expected, 2 * BLOCK + s * 512, 512);
        }
        new HandMadeVhd().block(0, held0, block0).block(2, held2, block2).writeChild(child, base);
    }

    private byte[] readAll(DiskImage d) throws IOException {
        byte[] got = new byte[(int) d.size()];
        d.read(0, got, 0, got.length);
        return got;
    }

    @Test
    void theChainReadsEachSectorFromTheChildOrTheParentAsTheBitmapSays() throws IOException {
        assertTrue(ImageChecker.check(child).stream().noneMatch(f -> f.severity() == dev.strata.storage.image
                .ImageFinding.Severity.ERROR), "check finds nothing wrong");
        try (DiskChain chain = FileChains.opener().open(child, true)) {
            assertArrayEquals(expected, readAll(chain));
            DiskImage top = chain.top();
            assertEquals(BlockState.PARTIAL, top.blockState(0));
            assertEquals(BlockState.UNALLOCATED, top.blockState(1));
            assertEquals(BlockState.PARTIAL, top.blockState(2));
            assertEquals(1, chain.servingLayer(7 * 512 + 511));
            assertEquals(0, chain.servingLayer(8 * 512));
            assertEquals(1, chain.servingLayer(100 * 512));
            assertEquals(0, chain.servingLayer(2L * BLOCK + 7 * 512));
            // reads that start and end inside sectors, across runs from both images
            int[][] ranges = {{3000, 2000}, {7 * 512 + 300, 700}, {99 * 512 + 1, 1022}, {BLOCK - 5000, 9000}};
            for (int[] r : ranges) {
                byte[] got = new byte[r[1]];
                chain.read(r[0], got, 0, r[1]);
                assertArrayEquals(Arrays.copyOfRange(expected, r[0], r[0] + r[1]), got, "read at " + r[0]);
            }
            ChainExplanation held = ChainExplanation.of(chain, 100 * 512);
            assertEquals(0, held.serving(), "the child (listed first) serves sector 100");
            ChainExplanation parents = ChainExplanation.of(chain, 101 * 512);
            assertEquals(1, parents.serving(), "the base serves sector 101");
            assertTrue(top.describeBlock(0).contains("marks 105 of its 4096 sectors present"), top.describeBlock(0));
        }
    }

    @Test
    void writesMarkTheSectorsWrittenAndCopyNothingUp() throws IOException {
        try (DiskChain chain = FileChains.opener().open(child, false)) {
            write(chain, 8 * 512 + 100, TestFiles.filled(3, 0x55));
            write(chain, 20 * 512, TestFiles.filled(1024, 0x66));
            write(chain, 99 * 512 + 500, TestFiles.filled(30, 0x77));
            assertArrayEquals(expected, readAll(chain), "before the bitmaps are written");
        }
        BitSet bits = HandMadeVhd.bitmap(child, 0);
        BitSet want = new BitSet();
        want.set(0, 9);
        want.set(20, 22);
        want.set(99, 101);
        want.set(4000, 4096);
        assertEquals(want, bits, "the bitmap marks exactly the sectors written");
        try (DiskChain chain = FileChains.opener().open(child, false)) {
            assertArrayEquals(expected, readAll(chain), "after reopening");
            // a whole-block write makes the block whole
            byte[] all = TestFiles.pattern(BLOCK, 9);
            write(chain, 0, all);
            assertEquals(BlockState.ALLOCATED, chain.top().blockState(0));
        }
        assertEquals(4096, HandMadeVhd.bitmap(child, 0).cardinality());
        try (DiskChain chain = FileChains.opener().open(child, true)) {
            assertArrayEquals(expected, readAll(chain));
        }
    }

    private void write(DiskImage d, long offset, byte[] data) throws IOException {
        d.write(offset, data, 0, data.length);
        System.arraycopy(data, 0, expected, (int) offset, data.length);
    }

    @Test
    void forwardMergeCopiesTheSectorsTheChildHolds() throws IOException {
        FileChains.merger().mergeIntoParent(child, Progress.NONE);
        try (DiskImage b = DiskImages.open(base, true)) {
            assertArrayEquals(expected, readAll(b));
        }
    }

    @Test
    void backwardMergeFillsTheSectorsTheChildLeftToItsParent() throws IOException {
        // base <- mid (Strata's diff, some data) <- partial child over mid
        Path mid = dir.resolve("mid.vhd");
        try (DiskImage b = DiskImages.open(base, true)) {
            expected = readAll(b);
            DiskImages.createDiff(mid, b).close();
        }
        try (DiskChain m = FileChains.opener().open(mid, false)) {
            write(m, 8 * 512, TestFiles.filled(4 * 512, 0x44));
            write(m, 3L * BLOCK / 2, TestFiles.filled(512, 0x45));
        }
        byte[] chainBelow = expected.clone();
        Path top = dir.resolve("top.vhd");
        BitSet held = new BitSet();
        held.set(10);
        byte[] data = TestFiles.pattern(BLOCK, 4);
        new HandMadeVhd().block(0, held, data).writeChild(top, mid);
        System.arraycopy(data, 10 * 512, expected, 10 * 512, 512);
        try (DiskChain chain = FileChains.opener().open(top, true)) {
            assertEquals(3, chain.depth());
            assertArrayEquals(expected, readAll(chain));
        }
        FileChains.merger().mergeParentIntoChild(mid, top, Progress.NONE);
        Files.delete(mid);
        try (DiskChain chain = FileChains.opener().open(top, true)) {
            assertEquals(2, chain.depth(), "the child now sits on the base");
            assertArrayEquals(expected, readAll(chain));
        }
        assertFalse(Arrays.equals(chainBelow, expected));
    }

    @Test
    void backwardMergeOfAPartialParentIntoItsChild() throws IOException {
        Path top = dir.resolve("top.vhd");
        try (DiskImage c = DiskImages.open(child, true)) {
            DiskImages.createDiff(top, c).close();
        }
        try (DiskChain t = FileChains.opener().open(top, false)) {
            write(t, 2L * BLOCK + 512, TestFiles.filled(512, 0x31));
        }
        FileChains.merger().mergeParentIntoChild(child, top, Progress.NONE);
        Files.delete(child);
        try (DiskChain chain = FileChains.opener().open(top, true)) {
            assertEquals(2, chain.depth());
            assertArrayEquals(expected, readAll(chain));
        }
    }

    @Test
    void cloneCopiesWhatTheChainShows() throws IOException {
        Path copy = dir.resolve("copy.vdi");
        FileChains.clone(FileChains.opener(), child, copy, ImageFormat.VDI, ImageVariant.STANDARD, Progress.NONE);
        try (DiskImage c = DiskImages.open(copy, true)) {
            assertArrayEquals(expected, readAll(c));
        }
    }
}
