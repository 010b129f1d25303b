package dev.strata.storage.media;

import java.nio.file.Path;

/**
 * Where Strata keeps its per-user files (the media registry, VMs): the system property {@code strata.home}
 * (so tests and embedders never touch the user's own), else the {@code STRATA_HOME} environment variable,
 * else {@code ~/.strata}.
 */
public final class StrataHome {
    /** The system property that beats the environment variable. */
    public static final String PROPERTY = "strata.home";
    /** The environment variable users set. */
    public static final String ENV = "STRATA_HOME";

    private StrataHome() {
    }

    /** The Strata home folder (not created here). */
    public static Path resolve() {
        String p = System.getProperty(PROPERTY);
        if (p == null || p.isBlank()) {
            p = System.getenv(ENV);
        }
        if (p == null || p.isBlank()) {
            return Path.of(System.getProperty("user.home"), ".strata").toAbsolutePath().normalize();
        }
        return Path.of(p).toAbsolutePath().normalize();
    }
}
