package dev.strata.tools.log;

import java.util.Locale;
import java.util.logging.Level;

/** The levels users name ({@code --log-level}, {@code STRATA_LOG}), SLF4J's, with the JDK logging level each is. */
public enum LogLevel {
    ERROR(Level.SEVERE), WARN(Level.WARNING), INFO(Level.INFO), DEBUG(Level.FINE), TRACE(Level.FINEST);

    final Level jul;

    LogLevel(Level jul) {
        this.jul = jul;
    }

    /** Parses a user's spelling, case-insensitively; the error lists the levels. */
    public static LogLevel parse(String text, String where) {
        for (LogLevel l : values()) {
            if (l.name().equalsIgnoreCase(text.strip())) {
                return l;
            }
        }
        throw new IllegalArgumentException(where + ": '" + text + "' is not a log level; use error, warn, info, debug"
                + " or trace");
    }

    /** The name shown in a log line: SLF4J's, for the JDK level a record carries. */
    static String label(Level level) {
        int v = level.intValue();
        LogLevel l = v >= Level.SEVERE.intValue() ? ERROR : v >= Level.WARNING.intValue() ? WARN
                : v >= Level.INFO.intValue() ? INFO : v >= Level.FINE.intValue() ? DEBUG : TRACE;
        return l.name();
    }

    /** The lower-case name users type. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
