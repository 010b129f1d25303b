package dev.strata.emulator.cpu.decode;

import dev.strata.emulator.cpu.Cpu;

/**
 * Executes one pre-decoded instruction; EIP already points past it when called. An abstract class rather than
 * a functional interface on purpose: the run loop's call site sees dozens of handler classes, and HotSpot
 * dispatches a megamorphic virtual call through the vtable, cheaper than the itable walk of an interface call.
 */
public abstract class Exec {
    public abstract void run(Cpu c, Insn i);
}
