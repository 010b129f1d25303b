package dev.strata.storage.chain;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Random reads, writes, snapshots and merges on in-memory chains match a plain byte array. */
class DiskChainModelTest {

    @TempDir
    Path folder;

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
    void chainReadsWhatTheModelHolds(long seed) throws IOException {
        ChainModelRun run = new ChainModelRun(new MemoryImageFactory(folder), folder, seed, 256 * 1024);
        run.run(500);
        assertTrue(run.merges > 0 && run.snapshots > 0, "the run exercised merges and snapshots");
    }
}
