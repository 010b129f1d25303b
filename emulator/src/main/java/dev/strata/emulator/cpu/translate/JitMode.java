package dev.strata.emulator.cpu.translate;

import java.util.Locale;

/** Whether the CPU translates hot blocks to JVM bytecode ({@code --jit}; a machine's default is {@link #ON}). */
public enum JitMode {
    /** Every block interpreted. */
    OFF,
    /**
     * After the first {@link #WARM_UP_INSTRUCTIONS}, a block is translated once it has run {@link #HOT_RUNS} times, a
     * block of more than 8 instructions once it has run about {@code Block.HOT_INSTRUCTIONS} instructions; cold code
     * stays interpreted.
     */
    ON,
    /** Every block translated before its first run: conformance runs of the translated code. */
    ALL;

    /**
     * Runs of a block in the interpreter before {@link #ON} translates it. A new translation starts in the JVM's
     * own interpreter and waits for the JIT compiler, so translating code that runs a few thousand times costs more
     * than it gives: at 1,000 the FreeDOS boot made 90 translations and took about 0.1 s longer. On a two-core host
     * the JIT's compilers are what the Linux boot waits for (C1 and C2 kept the second core busy from start to
     * shell); at 15,000 it makes 660 translations instead of 1,613 (92.9 % of its instructions translated instead
     * of 96 %), its compilers take 8-10 s of CPU instead of 11-13 s and it reached the shell 3-8 % sooner than at
     * 5,000 (alternating runs; 20,000 to 60,000 were the same within the noise, 2,000 slower). The DOS loop of
     * {@code strata bench guests} was the same or a little faster.
     */
    public static final int HOT_RUNS = 15000;

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
