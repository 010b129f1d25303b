package dev.strata.tools.medium;

import dev.strata.storage.Progress;

/** Prints whether a progress bar would be drawn, for {@link StandardErrorTest} to run under a pseudo-terminal. */
public final class ProgressProbe {
    private ProgressProbe() {
    }

    public static void main(String[] args) {
        System.out.println(TerminalProgress.forTask("probe") == Progress.NONE ? "quiet" : "bar");
    }
}
