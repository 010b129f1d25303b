package dev.strata.tools.display;

import java.util.Locale;

/**
 * The window's title: the machine's name, whether it is running, paused or powered off, whether the window holds
 * the mouse, and the guest's speed in MIPS over the time since the title was last worked out (0 while it does not
 * run). The window asks twice a second and sets the title only when the text changed.
 */
final class WindowTitle {

    /** What the machine is doing, as the title says it. */
    enum State {
        RUNNING("running"), PAUSED("paused"), POWERED_OFF("powered off");

        private final String text;

        State(String text) {
            this.text = text;
        }
    }

    private final String name;
    private boolean sampled;
    private long sampleAt;
    private long sampleInstructions;
    private String shown = "";

    WindowTitle(String name) {
        this.name = name;
    }

    /** The title before the machine has run: no speed yet. */
    String initial(State state, boolean mouseCaptured) {
        return base(state, mouseCaptured);
    }

    /**
     * The title at host time {@code nowNanos}, when the guest has run {@code instructions} in all: its MIPS since the
     * previous call ({@code runMips}, the whole run's, on the first); null when the text is the one returned last.
     */
    String next(long nowNanos, long instructions, double runMips, State state, boolean mouseCaptured) {
        double mips = sampled && nowNanos > sampleAt
                ? (instructions - sampleInstructions) / ((nowNanos - sampleAt) / 1e3) : runMips;
        sampled = true;
        sampleAt = nowNanos;
        sampleInstructions = instructions;
        String title = base(state, mouseCaptured)
                + String.format(Locale.ROOT, " - %.1f MIPS", state == State.RUNNING ? mips : 0.0);
        if (title.equals(shown)) {
            return null;
        }
        shown = title;
        return title;
    }

    private String base(State state, boolean mouseCaptured) {
        return name + " [" + state.text + "]" + (mouseCaptured ? " - mouse captured, Right Ctrl releases" : "")
                + " - Strata";
    }
}
