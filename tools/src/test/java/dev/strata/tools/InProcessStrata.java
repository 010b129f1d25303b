package dev.strata.tools;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs {@code strata} commands in the test's JVM and keeps what they print on standard output and error. */
public final class InProcessStrata {
    /** Everything the commands printed on standard output so far. */
    public final StringWriter out = new StringWriter();
    /** Everything the commands printed on standard error so far. */
    public final StringWriter err = new StringWriter();

    /** Runs one command line; returns its exit code. */
    public int run(String... args) {
        CommandLine cl = StrataCli.commandLine();
        cl.setErr(new PrintWriter(err, true));
        cl.setOut(new PrintWriter(out, true));
        return cl.execute(args);
    }
}
