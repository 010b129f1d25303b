package dev.strata.emulator.cpu.decode;

import dev.strata.emulator.cpu.Cpu;

/**
 * A block translated to JVM bytecode: runs all of the block's instructions (or up to the one that asks to leave
 * it) exactly as {@link Block#run} would, and returns how many ran.
 */
public abstract class CompiledBlock {
    /**
     * A {@code max} that runs nothing: {@link #run} returns 0 at once, touching neither the CPU (which may be null)
     * nor the block. The translator calls a new translation so before installing it, to have the JVM compile it
     * sooner (see {@code BlockTranslator}).
     */
    public static final int NOTHING = -1;

    /**
     * Runs the block once, or again and again while it branches back to its own start and the run loop would go
     * straight back into it (see {@link Cpu#continuesIntoBlock}), within {@code max} instructions. Each completed
     * pass but the last is added to the CPU's instruction counts here, as the run loop would add it; returns the
     * instructions of the last pass, or -1 without running anything when a segment it was made to take as flat
     * no longer is ({@link Cpu#flatSegments}: the block is then interpreted). A negative {@code max}
     * ({@link #NOTHING}) returns 0 without running anything.
     */
    public abstract int run(Cpu c, int max);
}
