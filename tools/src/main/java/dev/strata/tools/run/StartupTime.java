package dev.strata.tools.run;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * The start-up figure of {@code --stats}: wall time from the JVM's start to the guest's first instruction, which
 * is most of what a user waits for before a guest runs (the launcher script and the JVM's own creation add a few
 * tens of milliseconds before it).
 */
final class StartupTime {

    private StartupTime() {
    }

    /**
     * ", start-up S s to the first instruction", or "" before a first instruction. Read once, at the end of a run
     * with {@code --stats}: the management classes it loads would cost start-up time themselves.
     */
    static String describe(long firstInstructionEpochMillis) {
        if (firstInstructionEpochMillis == 0) {
            return "";
        }
        double seconds = (firstInstructionEpochMillis - ManagementFactory.getRuntimeMXBean().getStartTime()) / 1000.0;
        return String.format(Locale.ROOT, ", start-up %.3f s to the first instruction", seconds);
    }
}
