package dev.strata.tools.run;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.storage.image.ImageFormat;
import dev.strata.storage.image.ImageVariant;
import dev.strata.storage.media.MediaRegistry;
import dev.strata.storage.media.Medium;
import dev.strata.storage.media.MediumType;
import dev.strata.storage.media.StrataHome;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadOnlyMediaTest {

    @TempDir
    Path dir;
    private final String previous = System.getProperty(StrataHome.PROPERTY);

    @AfterEach
    void restoreHome() {
        if (previous == null) {
            System.clearProperty(StrataHome.PROPERTY);
        } else {
            System.setProperty(StrataHome.PROPERTY, previous);
        }
    }

    @Test
    void aReadonlyMediumInTheRegistryOpensReadOnlyAndOthersDoNot() throws Exception {
        Path home = Files.createDirectory(dir.resolve("home"));
        System.setProperty(StrataHome.PROPERTY, home.toString());
        Path locked = dir.resolve("locked.img");
        Path plain = dir.resolve("plain.img");
        Files.write(locked, new byte[1 << 20]);
        Files.write(plain, new byte[1 << 20]);
        MediaRegistry registry = MediaRegistry.load(home);
        registry.register(Medium.of(UUID.randomUUID(), locked, ImageFormat.RAW, ImageVariant.STANDARD, null, 1 << 20)
                .withType(MediumType.READONLY));
        registry.save();
        PrintWriter err = new PrintWriter(new StringWriter());
        assertTrue(ReadOnlyMedia.isReadOnly(locked, err));
        assertFalse(ReadOnlyMedia.isReadOnly(plain, err));
    }
}
