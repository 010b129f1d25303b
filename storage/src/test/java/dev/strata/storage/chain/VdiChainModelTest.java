package dev.strata.storage.chain;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.strata.storage.image.ImageFormat;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The chain model test on real VDI files: dynamic and fixed VDI (or raw) bases, differencing layers, 1 MiB blocks. */
class VdiChainModelTest {

    @TempDir
    Path folder;

    @ParameterizedTest
    @ValueSource(longs = {101, 102, 103, 104})
    void vdiChainReadsWhatTheModelHolds(long seed) throws IOException {
        ChainModelRun run = new ChainModelRun(new FormatImageFactory(folder, List.of(ImageFormat.VDI, ImageFormat.VDI,
                ImageFormat.RAW), List.of(ImageFormat.VDI)), folder, seed, 8 << 20);
        run.run(300);
        assertTrue(run.merges > 0 && run.snapshots > 0, "the run exercised merges and snapshots");
    }
}
