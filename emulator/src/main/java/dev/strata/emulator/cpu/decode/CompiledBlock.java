package dev.strata.emulator.cpu.decode;

import dev.strata.emulator.cpu.Cpu;

/**
 * A block translated to JVM bytecode: runs all of the block's instructions (or up to the one that asks to leave
 * it) exactly as {@link Block#run} would, and returns how many ran.
 */
public abstract class CompiledBlock {
    public abstract int run(Cpu c);
}
