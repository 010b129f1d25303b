package dev.strata.tools.medium;

import dev.strata.storage.Progress;
import java.io.PrintStream;

/**
 * A one-line progress bar on standard error for people at a terminal; scripts, and anything that sends
 * standard error elsewhere, get {@link Progress#NONE} and stay quiet.
 */
public final class TerminalProgress implements Progress {
    private static final int WIDTH = 40;

    private final String label;
    private final PrintStream err;
    private int shownPercent = -1;

    private TerminalProgress(String label, PrintStream err) {
        this.label = label;
        this.err = err;
    }

    /** A bar labelled {@code label} when standard error is a terminal, else a sink that ignores updates. */
    public static Progress forTask(String label) {
        return StandardError.isTerminal() ? new TerminalProgress(label, System.err) : Progress.NONE;
    }

    @Override
    public void update(long done, long total) {
        int percent = total <= 0 ? 100 : (int) Math.min(100, done * 100 / total);
        if (percent == shownPercent) {
            return;
        }
        shownPercent = percent;
        int filled = percent * WIDTH / 100;
        err.print("\r" + label + " [" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] " + percent + "%");
        if (percent == 100) {
            err.println();
        }
        err.flush();
    }
}
