package dev.strata.bios;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;

/**
 * Finds shared test data ({@code ../shared} beside the project root, from the {@code strata.root} property the build
 * sets) the way the guests module's SharedData does: required when CI=true, skipped loudly otherwise.
 */
final class SharedFiles {
    private SharedFiles() {
    }

    static Optional<Path> find(String relative) {
        String root = System.getProperty("strata.root");
        Path base = root != null ? Paths.get(root) : Paths.get("").toAbsolutePath();
        for (Path q = base.toAbsolutePath(); q != null; q = q.getParent()) {
            if (Files.exists(q.resolve("strata")) && Files.exists(q.resolve("pom.xml"))) {
                base = q;
                break;
            }
        }
        String env = System.getenv("STRATA_SHARED");
        Path shared = env != null && !env.isEmpty() ? Paths.get(env) : base.resolveSibling("shared").normalize();
        Path p = shared.resolve(relative);
        if (Files.exists(p)) {
            return Optional.of(p);
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException("required shared data is missing: " + p
                    + " (CI=true needs ../shared beside the project root, or STRATA_SHARED)");
        }
        System.err.println("*** SKIPPING: shared data not found: " + p + " (set STRATA_SHARED or place ../shared)");
        return Optional.empty();
    }
}
