package dev.strata.emulator.cpu.decode;

import dev.strata.emulator.cpu.Cpu;

/** Executes one pre-decoded instruction; EIP already points past it when called. */
@FunctionalInterface
public interface Exec {
    void run(Cpu c, Insn i);
}
