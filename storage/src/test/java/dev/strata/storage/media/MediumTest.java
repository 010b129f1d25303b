package dev.strata.storage.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.strata.storage.image.DiskImage;
import dev.strata.storage.image.DiskImages;
import dev.strata.storage.image.ImageFormat;
import dev.strata.storage.image.ImageVariant;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A medium's identity as an image file records it, for registering files met for the first time. */
class MediumTest {
    @TempDir
    Path dir;

    @Test
    void identifyTakesTheFilesOwnIdentityAndCallsADifferencingImageDiff() throws Exception {
        try (DiskImage base = DiskImages.create(dir.resolve("base.vdi"), ImageFormat.VDI, ImageVariant.STANDARD,
                4L << 20);
             DiskImage child = DiskImages.createDiff(dir.resolve("child.vdi"), base)) {
            Medium b = Medium.identify(dir.resolve("base.vdi"), base);
            assertEquals(base.uuid(), b.uuid());
            assertEquals(ImageVariant.STANDARD, b.variant());
            assertNull(b.parentUuid());
            assertEquals(4L << 20, b.logicalSize());
            assertEquals(MediumType.NORMAL, b.type());

            Medium c = Medium.identify(dir.resolve("child.vdi"), child);
            assertEquals(ImageVariant.DIFF, c.variant());
            assertEquals(base.uuid(), c.parentUuid());
            assertEquals(ImageFormat.VDI, c.format());
        }
    }
}
