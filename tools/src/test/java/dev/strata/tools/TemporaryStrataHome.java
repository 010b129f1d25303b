package dev.strata.tools;

import dev.strata.storage.media.StrataHome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gives each test a fresh, empty Strata home (through {@link StrataHome#PROPERTY}), so commands run in-process find
 * their media registry and VMs there, and puts the previous setting back afterwards. Register it with
 * {@code @RegisterExtension}; it runs before the test class's own {@code @BeforeEach} methods.
 */
public final class TemporaryStrataHome implements BeforeEachCallback, AfterEachCallback {
    private String previous;
    private Path home;

    /** The running test's home folder. */
    public Path path() {
        return home;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        previous = System.getProperty(StrataHome.PROPERTY);
        home = Files.createTempDirectory("strata-home-");
        System.setProperty(StrataHome.PROPERTY, home.toString());
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        if (previous == null) {
            System.clearProperty(StrataHome.PROPERTY);
        } else {
            System.setProperty(StrataHome.PROPERTY, previous);
        }
        try (Stream<Path> all = Files.walk(home)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
