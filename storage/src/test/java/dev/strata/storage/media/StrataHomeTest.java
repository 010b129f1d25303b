package dev.strata.storage.media;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class StrataHomeTest {
    @Test
    void systemPropertyBeatsEnvironmentAndDefault() {
        String old = System.getProperty(StrataHome.PROPERTY);
        try {
            System.setProperty(StrataHome.PROPERTY, "/tmp/strata-home-test/../elsewhere");
            assertEquals(Path.of("/tmp/elsewhere"), StrataHome.resolve());
            System.clearProperty(StrataHome.PROPERTY);
            Path expected = System.getenv(StrataHome.ENV) != null ? Path.of(System.getenv(StrataHome.ENV))
                    : Path.of(System.getProperty("user.home"), ".strata");
            assertEquals(expected.toAbsolutePath().normalize(), StrataHome.resolve());
        } finally {
            if (old != null) {
                System.setProperty(StrataHome.PROPERTY, old);
            }
        }
    }
}
