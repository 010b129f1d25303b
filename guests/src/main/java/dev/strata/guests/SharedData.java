package dev.strata.guests;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;

/**
 * Finds the project's shared test data ({@code ../shared} beside the project root: CPU test vectors, guest
 * images). In CI ({@code CI=true}) a missing file is an error; on a developer's machine callers skip loudly.
 */
public final class SharedData {
    private SharedData() {
    }

    /** The project root: the {@code strata.root} system property (set by the build), else the working directory. */
    public static Path projectRoot() {
        String root = System.getProperty("strata.root");
        Path p = root != null ? Paths.get(root) : Paths.get("").toAbsolutePath();
        // Maven may run a module's tests from the module folder; climb to the folder with the launcher.
        for (Path q = p.toAbsolutePath(); q != null; q = q.getParent()) {
            if (Files.exists(q.resolve("strata")) && Files.exists(q.resolve("pom.xml"))) {
                return q;
            }
        }
        return p.toAbsolutePath();
    }

    /** The shared folder: {@code STRATA_SHARED} if set, else {@code ../shared} from the project root. */
    public static Path sharedDir() {
        String env = System.getenv("STRATA_SHARED");
        if (env != null && !env.isEmpty()) {
            return Paths.get(env);
        }
        return projectRoot().resolveSibling("shared").normalize();
    }

    /** True when running in CI, where shared data is required. */
    public static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /**
     * A file or folder under the shared folder, if present. In CI a missing one throws, naming the path,
     * so the build fails instead of silently testing less.
     */
    public static Optional<Path> find(String relative) {
        Path p = sharedDir().resolve(relative);
        if (Files.exists(p)) {
            return Optional.of(p);
        }
        if (inCi()) {
            throw new IllegalStateException("required shared data is missing: " + p
                    + " (CI=true needs ../shared beside the project root, or STRATA_SHARED)");
        }
        System.err.println("*** SKIPPING: shared data not found: " + p + " (set STRATA_SHARED or place ../shared)");
        return Optional.empty();
    }
}
