package dev.strata.tools;

import dev.strata.emulator.vm.VirtualMachines;
import dev.strata.storage.media.StrataHome;
import dev.strata.tools.log.LogLevel;
import dev.strata.tools.log.LogSettings;
import dev.strata.tools.log.Logging;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * Common ground of every {@code strata} command: output and error text through picocli (so tests can capture them),
 * the Strata home with its VMs, and the exit codes. Failures are thrown and turned into one line by
 * {@link CliErrorHandler}; command-line mistakes are {@link #usageError}s.
 */
public abstract class StrataCommand implements Callable<Integer> {
    /** Exit code for success. */
    public static final int OK = 0;
    /** Exit code for a failed operation (bad input, I/O error, an unmet expectation). */
    public static final int FAILED = 1;
    /** Exit code for a command-line mistake. */
    public static final int USAGE = 2;

    @Spec
    protected CommandSpec spec;

    @Override
    public final Integer call() throws Exception {
        try {
            configureLogging();
            return execute();
        } finally {
            out().flush();
            err().flush();
        }
    }

    /**
     * Sends the log to standard error, warnings and errors only unless {@code STRATA_LOG} says otherwise; a command
     * that runs a machine sends it where it cannot disturb the guest's screen.
     */
    protected void configureLogging() throws IOException {
        Logging.configureLazily(LogSettings.fromEnvironment(null, LogLevel.WARN));
    }

    /** Does the command's work; returns the exit code. */
    protected abstract int execute() throws Exception;

    /** Where the command's results go: standard output, or what a test set. */
    protected PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** Where notices and errors go: standard error, or what a test set. */
    protected PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** The Strata home: {@code $STRATA_HOME}, else {@code ~/.strata}. */
    protected Path home() {
        return StrataHome.resolve();
    }

    /** The VMs of the Strata home. */
    protected VirtualMachines vms() {
        return new VirtualMachines(home());
    }

    /** A command-line mistake: one line on standard error and exit code 2. */
    protected CommandLine.ParameterException usageError(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
