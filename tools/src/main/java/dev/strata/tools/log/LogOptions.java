package dev.strata.tools.log;

import picocli.CommandLine.Option;

/** {@code --log-level} of the commands that run a machine. */
public final class LogOptions {
    @Option(names = "--log-level", paramLabel = "LEVEL", description = "log from this level up: error, warn, info,"
            + " debug or trace (default: info to a log file, warn to stderr; STRATA_LOG=NAME=LEVEL,... sets single"
            + " loggers)")
    LogLevel level;

    /** The settings for a log whose level is {@code fallback} unless the user said otherwise. */
    public LogSettings settings(LogLevel fallback) {
        return LogSettings.fromEnvironment(level, fallback);
    }
}
