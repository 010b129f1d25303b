package dev.strata.tools.medium;

import dev.strata.tools.StrataCommand;

/** Common ground of the {@code strata medium} verbs: a media session of the Strata home around each run. */
abstract class MediumSubcommand extends StrataCommand {
    @Override
    protected final int execute() throws Exception {
        try (MediaSession session = MediaSession.open(home())) {
            session.noticesTo(err());
            return run(session);
        }
    }

    /** Does the work; returns the exit code. */
    abstract int run(MediaSession session) throws Exception;
}
