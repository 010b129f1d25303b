package dev.strata.tools.medium;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/** Common ground of the {@code strata medium} verbs: a session around each run, output through picocli. */
abstract class MediumSubcommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public final Integer call() throws Exception {
        try (MediaSession session = MediaSession.open()) {
            session.noticesTo(spec.commandLine().getErr());
            return run(session);
        }
    }

    /** Does the work; returns the exit code. */
    abstract int run(MediaSession session) throws Exception;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
