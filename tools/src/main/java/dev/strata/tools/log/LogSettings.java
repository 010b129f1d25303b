package dev.strata.tools.log;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which loggers log at which level: a level for all of Strata, and levels for single loggers or packages (the names
 * are the classes' and packages', e.g. {@code dev.strata.emulator.device.ata}).
 *
 * @param level the level of every logger not named in {@code loggers}
 * @param loggers levels of named loggers and their children
 */
public record LogSettings(LogLevel level, Map<String, LogLevel> loggers) {

    /** The environment variable for ad-hoc runs: {@code debug}, or {@code NAME=LEVEL}, comma-separated. */
    public static final String ENVIRONMENT = "STRATA_LOG";

    public LogSettings {
        loggers = Map.copyOf(loggers);
    }

    /**
     * The settings of one command: {@code option} ({@code --log-level}, or null when not given) wins over a bare level
     * in {@code env} ({@link #ENVIRONMENT}'s value, or null), which wins over {@code fallback}; the named loggers of
     * {@code env} apply in any case.
     */
    public static LogSettings of(LogLevel option, LogLevel fallback, String env) {
        LogLevel level = fallback;
        Map<String, LogLevel> loggers = new LinkedHashMap<>();
        if (env != null) {
            for (String item : env.split(",")) {
                if (item.isBlank()) {
                    continue;
                }
                int eq = item.indexOf('=');
                if (eq < 0) {
                    level = LogLevel.parse(item, ENVIRONMENT);
                } else if (item.substring(0, eq).isBlank()) {
                    throw new IllegalArgumentException(ENVIRONMENT + ": '" + item + "' names no logger; write"
                            + " NAME=LEVEL, e.g. dev.strata.emulator.device.ata=debug");
                } else {
                    loggers.put(item.substring(0, eq).strip(), LogLevel.parse(item.substring(eq + 1), ENVIRONMENT));
                }
            }
        }
        return new LogSettings(option != null ? option : level, loggers);
    }

    /** The settings of this process: {@code option} and the {@link #ENVIRONMENT} variable. */
    public static LogSettings fromEnvironment(LogLevel option, LogLevel fallback) {
        return of(option, fallback, System.getenv(ENVIRONMENT));
    }

    /** The JDK logging configuration these settings make, sending records to {@code handler}. */
    String properties(String handler) {
        StringBuilder b = new StringBuilder();
        b.append("handlers=").append(handler).append('\n');
        b.append(".level=").append(level.jul.getName()).append('\n');
        loggers.forEach((name, l) -> b.append(name).append(".level=").append(l.jul.getName()).append('\n'));
        return b.toString();
    }
}
