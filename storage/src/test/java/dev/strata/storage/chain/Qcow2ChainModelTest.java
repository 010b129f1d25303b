package dev.strata.storage.chain;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The chain model test on qcow2 files mixed with VDI: 64 KiB clusters over 1 MiB blocks and back, merges both ways. */
class Qcow2ChainModelTest {

    @TempDir
    Path folder;

    @ParameterizedTest
    @ValueSource(longs = {201, 202, 203, 204})
    void mixedQcow2AndVdiChainReadsWhatTheModelHolds(long seed) throws IOException {
        ChainModelRun run = new ChainModelRun(new Qcow2ImageFactory(folder), folder, seed, 8 << 20);
        run.run(300);
        assertTrue(run.merges > 0 && run.snapshots > 0, "the run exercised merges and snapshots");
    }
}
