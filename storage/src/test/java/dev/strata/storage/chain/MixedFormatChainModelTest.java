package dev.strata.storage.chain;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.storage.image.ImageFormat;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The chain model test over VHD, VMDK and Parallels files and over chains that mix formats (VHD children on VDI
 * bases, VDI children on VHD and Parallels bases, VMDK children on qcow2, VDI and VHD bases, qcow2 children on VMDK
 * and Parallels bases), with merges both ways. VHD children's blocks are now and then turned into blocks held in
 * part (sectors equal to the parent's left to it in the sector bitmap, as VirtualBox and Virtual PC leave them).
 */
class MixedFormatChainModelTest {

    @TempDir
    Path folder;

    static Stream<Arguments> kinds() {
        return Stream.of(
                Arguments.of("VHD over VHD", List.of(ImageFormat.VHD), ImageFormat.VHD, 201L),
                Arguments.of("VHD over VHD", List.of(ImageFormat.VHD), ImageFormat.VHD, 202L),
                Arguments.of("VHD over VDI", List.of(ImageFormat.VDI), ImageFormat.VHD, 203L),
                Arguments.of("VDI over VHD", List.of(ImageFormat.VHD), ImageFormat.VDI, 204L),
                Arguments.of("VDI over Parallels", List.of(ImageFormat.HDD), ImageFormat.VDI, 205L),
                Arguments.of("VHD over Parallels, VMDK or raw",
                        List.of(ImageFormat.HDD, ImageFormat.VMDK, ImageFormat.RAW), ImageFormat.VHD, 206L),
                Arguments.of("VMDK over VMDK", List.of(ImageFormat.VMDK), ImageFormat.VMDK, 207L),
                Arguments.of("VMDK over VMDK", List.of(ImageFormat.VMDK), ImageFormat.VMDK, 208L),
                Arguments.of("VMDK over qcow2, VDI or VHD",
                        List.of(ImageFormat.QCOW2, ImageFormat.VDI, ImageFormat.VHD), ImageFormat.VMDK, 209L),
                Arguments.of("qcow2 over VMDK or Parallels", List.of(ImageFormat.VMDK, ImageFormat.HDD),
                        ImageFormat.QCOW2, 210L));
    }

    @ParameterizedTest(name = "{0}, seed {3}")
    @MethodSource("kinds")
    void chainReadsWhatTheModelHolds(String name, List<ImageFormat> bases, ImageFormat diff, long seed)
            throws IOException {
        ChainModelRun run = new ChainModelRun(new FormatImageFactory(folder, bases, List.of(diff)), folder, seed, 8 << 20);
        run.run(250);
        assertTrue(run.merges > 0 && run.snapshots > 0, "the run exercised merges and snapshots");
        if (diff == ImageFormat.VHD) {
            assertTrue(run.thinned > 0, "the run left sectors of VHD blocks to their parents");
        }
    }
}
