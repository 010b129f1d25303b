package dev.strata.storage.chain;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.storage.image.ImageFormat;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The chain model test on qcow2 files mixed with VDI (two in three of each kind qcow2, Standard or Fixed): 64 KiB
 * clusters over 1 MiB blocks and back, merges both ways.
 */
class Qcow2ChainModelTest {

    @TempDir
    Path folder;

    @ParameterizedTest
    @ValueSource(longs = {201, 202, 203, 204})
    void mixedQcow2AndVdiChainReadsWhatTheModelHolds(long seed) throws IOException {
        ChainModelRun run = new ChainModelRun(new FormatImageFactory(folder, List.of(ImageFormat.QCOW2, ImageFormat.QCOW2,
                ImageFormat.VDI), List.of(ImageFormat.QCOW2, ImageFormat.QCOW2, ImageFormat.VDI)), folder, seed, 8 << 20);
        run.run(300);
        assertTrue(run.merges > 0 && run.snapshots > 0, "the run exercised merges and snapshots");
    }
}
