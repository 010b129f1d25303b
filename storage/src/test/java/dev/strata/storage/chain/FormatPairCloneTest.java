package dev.strata.storage.chain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.strata.storage.Progress;
import dev.strata.storage.image.DiskImage;
import dev.strata.storage.image.DiskImages;
import dev.strata.storage.image.ImageChecker;
import dev.strata.storage.image.ImageDriver;
import dev.strata.storage.image.ImageDrivers;
import dev.strata.storage.image.ImageFormat;
import dev.strata.storage.image.ImageVariant;
import dev.strata.storage.image.TestFiles;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code medium clone} for every pair of formats and every base variant the target's driver makes: a two-image chain
 * of the source format (a VDI child over a format without children) is copied into a standalone image that reads
 * the same bytes and passes its own check.
 */
class FormatPairCloneTest {
    private static final int MIB = 1 << 20;
    private static final long SIZE = 6L * MIB;

    @TempDir
    Path dir;

    static Stream<Arguments> pairs() {
        Stream.Builder<Arguments> b = Stream.builder();
        for (ImageFormat from : ImageFormat.values()) {
            for (ImageFormat to : ImageFormat.values()) {
                ImageDriver driver = ImageDrivers.find(to).orElseThrow();
                for (ImageVariant v : driver.variants()) {
                    b.add(Arguments.of(from, to, v));
                }
            }
        }
        return b.build();
    }

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @MethodSource("pairs")
    void aChainOfOneFormatClonesIntoEveryOtherAndReadsTheSame(ImageFormat from, ImageFormat to, ImageVariant variant)
            throws Exception {
        Path base = dir.resolve("base." + ImageDrivers.find(from).orElseThrow().extensions().get(0));
        Path child;
        long size = DiskImages.userSize(from, SIZE);
        try (DiskImage b = DiskImages.create(base, from, from == ImageFormat.RAW ? ImageVariant.FIXED
                : ImageVariant.STANDARD, size)) {
            b.write(1000, TestFiles.pattern(200_000, 1), 0, 200_000);
            b.write(size - 512, TestFiles.filled(512, 0x55), 0, 512);
            child = dir.resolve("child." + ImageDrivers.childDriver(b).extensions().get(0));
            try (DiskImage c = DiskImages.createDiff(child, b)) {
                c.write(3L * MIB + 17, TestFiles.pattern(70_000, 2), 0, 70_000);
            }
        }
        Path target = dir.resolve("copy." + ImageDrivers.find(to).orElseThrow().extensions().get(0));
        FileChains.clone(FileChains.opener(), child, target, to, variant, Progress.NONE);
        try (DiskChain source = FileChains.opener().open(child, true);
             DiskImage copy = DiskImages.open(target, true, to, null)) {
            assertEquals(source.size(), copy.size());
            if (to != ImageFormat.RAW) { // a raw file has no variant of its own: sparse either way
                assertEquals(variant, copy.variant());
            }
            byte[] want = new byte[(int) source.size()];
            byte[] got = new byte[want.length];
            source.read(0, want, 0, want.length);
            copy.read(0, got, 0, got.length);
            assertArrayEquals(want, got);
        }
        assertFalse(ImageChecker.hasErrors(ImageChecker.check(target)), ImageChecker.check(target).toString());
    }
}
