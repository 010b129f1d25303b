package dev.strata.tools.log;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The log of a running VM, as VirtualBox keeps VBox.log: {@code Logs/strata.log} in the VM's folder, begun anew at
 * every start with the three before it kept as {@code strata.log.1} (the newest) to {@code strata.log.3}. Closing it
 * sends the log back to standard error.
 */
public final class VmLog implements AutoCloseable {
    /** The log file, relative to the VM's folder. */
    public static final String FILE = "Logs/strata.log";
    /** How many earlier logs stay beside it. */
    public static final int KEPT = 3;

    private VmLog() {
    }

    /** Starts the log of the VM in {@code folder}; call it once the VM is locked for this process. */
    public static VmLog open(Path folder, LogSettings settings) throws IOException {
        Logging.configure(settings, LogTarget.rotated(folder.resolve(FILE), KEPT));
        return new VmLog();
    }

    @Override
    public void close() {
        Logging.configureLazily(LogSettings.fromEnvironment(null, LogLevel.WARN));
    }
}
