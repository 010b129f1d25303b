package dev.strata.tools.log;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

/**
 * Writes each log record as one line (time, level, logger, message; a stack trace below when there is one) to
 * where {@link Logging} points, flushed at once so a killed process loses nothing. The JDK's logging makes it by
 * name from the configuration {@link Logging} gives it.
 */
public final class LineHandler extends Handler {
    private final Writer out;
    private final boolean closeOut;

    /** Takes the destination {@link Logging} prepared. */
    public LineHandler() {
        LogTarget.Opened target = Logging.opened();
        this.out = target.writer();
        this.closeOut = target.owned();
    }

    @Override
    public synchronized void publish(LogRecord r) {
        if (!isLoggable(r)) {
            return;
        }
        StringBuilder line = new StringBuilder(128);
        line.append(String.format("%1$tF %1$tT.%1$tL ", r.getMillis()));
        String level = LogLevel.label(r.getLevel());
        line.append(level).append(" ".repeat(6 - level.length()));
        line.append(r.getLoggerName()).append(": ").append(r.getMessage()).append(System.lineSeparator());
        if (r.getThrown() != null) {
            StringWriter trace = new StringWriter();
            r.getThrown().printStackTrace(new PrintWriter(trace));
            line.append(trace);
        }
        try {
            out.write(line.toString());
            out.flush();
        } catch (java.io.IOException e) {
            reportError("the log could not be written", e, java.util.logging.ErrorManager.WRITE_FAILURE);
        }
    }

    @Override
    public synchronized void flush() {
        try {
            out.flush();
        } catch (java.io.IOException e) {
            reportError("the log could not be flushed", e, java.util.logging.ErrorManager.FLUSH_FAILURE);
        }
    }

    @Override
    public synchronized void close() {
        flush();
        if (closeOut) {
            try {
                out.close();
            } catch (java.io.IOException e) {
                reportError("the log could not be closed", e, java.util.logging.ErrorManager.CLOSE_FAILURE);
            }
        }
    }
}
