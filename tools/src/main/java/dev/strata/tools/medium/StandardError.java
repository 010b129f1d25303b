package dev.strata.tools.medium;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether standard error reaches a person at a terminal. {@link System#console()} only says that standard input
 * and output are a terminal: {@code strata medium merge 2> err.txt} run from a terminal has a console but must
 * not fill the file with progress frames.
 */
public final class StandardError {
    private StandardError() {
    }

    /**
     * True when file descriptor 2 is a terminal: on Linux, when /proc says it is a tty or pseudo-terminal device;
     * elsewhere the console test is the best the JDK offers.
     */
    public static boolean isTerminal() {
        Path fd2 = Path.of("/proc/self/fd/2");
        if (Files.isSymbolicLink(fd2)) {
            try {
                return isTerminalDevice(Files.readSymbolicLink(fd2).toString());
            } catch (IOException | UnsupportedOperationException e) {
                // fall through to the console test
            }
        }
        return System.console() != null;
    }

    /** True for the names Linux gives terminal devices (pseudo-terminals, virtual consoles, serial lines). */
    static boolean isTerminalDevice(String target) {
        return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
    }
}
