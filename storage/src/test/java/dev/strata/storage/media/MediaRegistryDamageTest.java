package dev.strata.storage.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.strata.storage.StorageException;
import dev.strata.storage.image.ImageFormat;
import dev.strata.storage.image.ImageVariant;
import dev.strata.storage.testing.JsonDamage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A media registry damaged the ways hand edits and broken disks damage it: it loads, or is refused with a
 * {@link StorageException} naming the file; nothing else escapes, and the file is left exactly as it was.
 */
class MediaRegistryDamageTest {

    @TempDir
    Path dir;

    @Test
    void aDamagedRegistryLoadsOrIsRefusedByNameAndIsLeftAsItWas() throws Exception {
        Path good = dir.resolve("good");
        Files.createDirectories(good);
        UUID base = UUID.randomUUID();
        Path baseFile = Files.write(good.resolve("base.vdi"), new byte[512]);
        Path childFile = Files.write(good.resolve("child.vdi"), new byte[512]);
        Path cdFile = Files.write(good.resolve("cd.iso"), new byte[512]);
        MediaRegistry reg = MediaRegistry.load(good).update(r -> {
            r.register(Medium.of(base, baseFile, ImageFormat.VDI, ImageVariant.STANDARD, null, 1 << 20)
                    .withType(MediumType.IMMUTABLE));
            r.register(Medium.of(UUID.randomUUID(), childFile, ImageFormat.VDI, ImageVariant.DIFF, base, 1 << 20));
            r.register(Medium.of(UUID.randomUUID(), cdFile, ImageFormat.RAW, ImageVariant.FIXED, null, 512)
                    .withType(MediumType.READONLY));
        });
        byte[] original = Files.readAllBytes(reg.file());
        Random r = new Random(20261204);
        int refused = 0;
        for (int k = 0; k < 1500; k++) {
            Path home = Files.createDirectories(dir.resolve("home-" + k));
            Path file = home.resolve(reg.file().getFileName());
            byte[] bad = JsonDamage.damaged(original, r);
            Files.write(file, bad);
            try {
                MediaRegistry.load(home).all();
            } catch (StorageException e) {
                refused++;
                assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
            } catch (RuntimeException e) {
                fail("registry " + k + " (" + new String(bad, StandardCharsets.UTF_8).replaceAll("\\s+", " ")
                        + ") escaped as " + e, e);
            }
            assertArrayEquals(bad, Files.readAllBytes(file), "the file was left as it was");
        }
        assertTrue(refused > 500, "most damage is caught: " + refused + " of 1500 refused");
    }
}
