package dev.strata.emulator.cpu.conformance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;

/**
 * Finds {@code ../shared/cpu-tests/80286-real} for emulator tests with the semantics of
 * {@code dev.strata.guests.SharedData} (which this module cannot see): required when {@code CI=true}, skipped
 * loudly otherwise.
 */
public final class SharedVectors {
    private SharedVectors() {
    }

    /** The 80286 real-mode vector folder, if present. */
    public static Optional<Path> find() {
        String env = System.getenv("STRATA_SHARED");
        Path shared;
        if (env != null && !env.isEmpty()) {
            shared = Paths.get(env);
        } else {
            String root = System.getProperty("strata.root");
            Path p = (root != null ? Paths.get(root) : Paths.get("")).toAbsolutePath();
            for (Path q = p; q != null; q = q.getParent()) {
                if (Files.exists(q.resolve("strata")) && Files.exists(q.resolve("pom.xml"))) {
                    p = q;
                    break;
                }
            }
            shared = p.resolveSibling("shared");
        }
        Path dir = shared.resolve("cpu-tests/80286-real").normalize();
        if (Files.isDirectory(dir)) {
            return Optional.of(dir);
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException("required shared data is missing: " + dir
                    + " (CI=true needs ../shared beside the project root, or STRATA_SHARED)");
        }
        System.err.println("*** SKIPPING: shared data not found: " + dir + " (set STRATA_SHARED or place ../shared)");
        return Optional.empty();
    }
}
