package dev.strata.tools.log;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.logging.LogManager;

/**
 * Sets up where Strata's log goes. The emulator and storage log through SLF4J, which Strata binds to the JDK's own
 * logging (slf4j-jdk14): it costs no jar of its own, configures in a few properties, and can be pointed at another
 * file while the process runs (one VM after another in a test). Each record becomes one line ({@link LineHandler}).
 */
public final class Logging {
    /** The JDK's hook for a class that configures its logging when a logger is first used. */
    private static final String CONFIG_CLASS = "java.util.logging.config.class";

    private static LogTarget.Opened opened;
    private static String pending;
    /** True once Strata configured the JDK's logging: changes then apply at once. */
    private static boolean configured;

    private Logging() {
    }

    /** Logs to {@code target} from now on, at the levels {@code settings} give (a machine is about to run). */
    public static synchronized void configure(LogSettings settings, LogTarget target) throws IOException {
        LogTarget.Opened previous = opened;
        opened = target.open();
        apply(settings.properties(LineHandler.class.getName()));
        closeUnused(previous);
    }

    /**
     * Logs to standard error at {@code settings}' levels, but leaves the JDK's logging alone until something logs:
     * most commands never do, and need not pay for it.
     */
    public static synchronized void configureLazily(LogSettings settings) {
        String properties = settings.properties(LineHandler.class.getName());
        LogTarget.Opened previous = opened;
        opened = LogTarget.STANDARD_ERROR.open();
        if (configured) {
            apply(properties);
            closeUnused(previous);
        } else {
            pending = properties;
            System.setProperty(CONFIG_CLASS, OnFirstUse.class.getName());
        }
    }

    /** The destination the next {@link LineHandler} writes to. */
    static synchronized LogTarget.Opened opened() {
        return opened != null ? opened : LogTarget.STANDARD_ERROR.open();
    }

    /** Closes a file no handler took (nothing was logged to it); closing it twice does no harm. */
    private static void closeUnused(LogTarget.Opened previous) {
        if (previous != null && previous.owned()) {
            try {
                previous.writer().close();
            } catch (IOException e) {
                // it was empty, and is no longer written
            }
        }
    }

    private static void apply(String properties) {
        try {
            // replaces every level and handler; the old handler closes its file
            LogManager.getLogManager().readConfiguration(
                    new ByteArrayInputStream(properties.getBytes(StandardCharsets.ISO_8859_1)));
            configured = true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Made by the JDK's logging when it starts, through {@value #CONFIG_CLASS}: applies the pending settings. */
    public static final class OnFirstUse {
        public OnFirstUse() {
            synchronized (Logging.class) {
                if (pending != null) {
                    apply(pending);
                    pending = null;
                }
            }
        }
    }
}
