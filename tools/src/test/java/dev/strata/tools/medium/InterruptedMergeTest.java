package dev.strata.tools.medium;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.storage.chain.ChainOpener;
import dev.strata.storage.chain.DiskChain;
import dev.strata.storage.chain.MediumMerger;
import dev.strata.storage.image.DiskImages;
import dev.strata.storage.media.MediaRegistry;
import dev.strata.tools.InProcessStrata;
import dev.strata.tools.TemporaryStrataHome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A merge killed after it re-pointed the merged image's children, or after it deleted the merged image, but before
 * the registry followed (found by the kill campaign): the chains read right, {@code medium list} says how to finish
 * without calling it a failure, and rerunning the merge finishes it.
 */
class InterruptedMergeTest {

    @RegisterExtension
    final TemporaryStrataHome home = new TemporaryStrataHome();

    private int strata(InProcessStrata s, String... args) {
        return s.run(args);
    }

    private Path base;
    private Path mid;
    private Path top;

    /** base <- mid <- top with data in mid and top; then what `medium merge mid` does up to {@code step}. */
    private byte[] mergeStoppedAfter(boolean deleted) throws Exception {
        base = home.path().resolve("base.vdi");
        mid = home.path().resolve("mid.vdi");
        top = home.path().resolve("top.vdi");
        Path data = Files.write(home.path().resolve("data.bin"), filled(65536, 0x5A));
        Path more = Files.write(home.path().resolve("more.bin"), filled(4096, 0xC3));
        InProcessStrata s = new InProcessStrata();
        assertEquals(0, strata(s, "medium", "create", "--filename", base.toString(), "--size", "4M"), s.err.toString());
        assertEquals(0, strata(s, "medium", "create", "--diff", base.toString(), "--filename", mid.toString()));
        assertEquals(0, strata(s, "medium", "write", mid.toString(), "--offset", "0", "--input", data.toString()));
        assertEquals(0, strata(s, "medium", "create", "--diff", mid.toString(), "--filename", top.toString()));
        assertEquals(0, strata(s, "medium", "write", top.toString(), "--offset", "8192", "--input", more.toString()));
        byte[] before = read(top);
        // the data into base and top re-pointed to it, as the merge does before the registry update
        MediaRegistry registry = MediaRegistry.load(home.path());
        MediumMerger merger = new MediumMerger(new ChainOpener((p, ro) -> DiskImages.open(p, ro), registry));
        merger.mergeIntoParent(mid, (done, total) -> { });
        merger.reparent(top, registry.findByPath(mid).orElseThrow().uuid(),
                registry.findByPath(base).orElseThrow().uuid());
        if (deleted) {
            Files.delete(mid);
        }
        return before;
    }

    @Test
    void aMergeStoppedAfterRepointingTheChildrenIsReportedAndFinishedByItsRerun() throws Exception {
        byte[] before = mergeStoppedAfter(false);
        InProcessStrata list = new InProcessStrata();
        assertEquals(0, strata(list, "medium", "list"), list.out.toString());
        assertTrue(list.out.toString().contains("interrupted merge: " + top) && list.out.toString().contains(
                "finish it with `strata medium merge " + mid + "`"), list.out.toString());
        assertArrayEquals(before, read(top), "the chain reads as before");
        finishedByTheRerun(before);
    }

    @Test
    void aMergeStoppedAfterDeletingTheMergedImageIsReportedAndFinishedByItsRerun() throws Exception {
        byte[] before = mergeStoppedAfter(true);
        InProcessStrata list = new InProcessStrata();
        assertEquals(0, strata(list, "medium", "list"), list.out.toString());
        assertTrue(list.out.toString().contains("interrupted merge: " + mid + " is gone and its children already"
                + " name its parent"), list.out.toString());
        assertFalse(list.out.toString().contains("missing file"), list.out.toString());
        assertArrayEquals(before, read(top), "the chain reads as before");
        finishedByTheRerun(before);
    }

    private void finishedByTheRerun(byte[] before) throws Exception {
        InProcessStrata rerun = new InProcessStrata();
        assertEquals(0, strata(rerun, "medium", "merge", mid.toString()), rerun.err.toString());
        InProcessStrata after = new InProcessStrata();
        assertEquals(0, strata(after, "medium", "list"), after.out.toString());
        assertFalse(after.out.toString().contains("Problems"), after.out.toString());
        assertFalse(Files.exists(mid));
        assertArrayEquals(before, read(top));
    }

    private static byte[] filled(int n, int value) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) value);
        return b;
    }

    private byte[] read(Path top) throws Exception {
        MediaRegistry registry = MediaRegistry.load(home.path());
        try (DiskChain chain = new ChainOpener((p, ro) -> DiskImages.open(p, ro), registry).open(top, true)) {
            byte[] b = new byte[16384];
            chain.read(0, b, 0, b.length);
            return b;
        }
    }
}
