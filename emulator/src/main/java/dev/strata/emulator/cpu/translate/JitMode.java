package dev.strata.emulator.cpu.translate;

import java.util.Locale;

/** Whether the CPU translates hot blocks to JVM bytecode ({@code --jit}; a machine's default is {@link #ON}). */
public enum JitMode {
    /** Every block interpreted. */
    OFF,
    /**
     * After the first {@link #WARM_UP_INSTRUCTIONS}, a block is translated once it has run {@link #HOT_RUNS} times;
     * cold code stays interpreted.
     */
    ON,
    /** Every block translated before its first run: conformance runs of the translated code. */
    ALL;

    /**
     * Runs of a block in the interpreter before {@link #ON} translates it. A new translation starts in the JVM's
     * own interpreter and waits for the JIT compiler, so translating code that runs a few thousand times costs more
     * than it gives: at 1,000 the FreeDOS boot made 90 translations and took about 0.1 s longer, at 5,000 and
     * 20,000 it made 40 and 12 and the difference was within the noise (the Linux boot: the same at 2,000 and
     * 20,000).
     */
    public static final int HOT_RUNS = 5000;

    /**
     * Instructions a machine runs before {@link #ON} starts counting block runs at all. Translating while the JVM
     * is still compiling the interpreter itself slowed a FreeDOS boot (4 M instructions) by a tenth; guests that
     * run long enough to gain from translation start it soon after. 20 M made the DOS compute loop of
     * {@code strata bench guests} (85 M) interpret a quarter of its instructions: 5 M took it from 0.92-0.98 s to
     * 0.84-0.86 s, with the FreeDOS boot and the Linux boot unchanged.
     */
    public static final long WARM_UP_INSTRUCTIONS = 5_000_000L;

    /**
     * How many interpreted runs a block gets before it is translated, once the warm-up is over; negative when it
     * never is.
     */
    public int interpretedRuns() {
        switch (this) {
            case ON: return HOT_RUNS;
            case ALL: return 0;
            default: return -1;
        }
    }

    /** {@code off}, {@code on} or {@code all}, as the command line spells them. */
    public static JitMode parse(String text) {
        for (JitMode m : values()) {
            if (m.name().equalsIgnoreCase(text.trim())) {
                return m;
            }
        }
        throw new IllegalArgumentException("--jit takes off, on or all, not '" + text + "'");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
