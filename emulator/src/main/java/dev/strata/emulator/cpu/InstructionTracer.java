package dev.strata.emulator.cpu;

/**
 * Sees every instruction before it runs (for {@code --trace}). While a tracer is set the CPU runs one instruction
 * per step, so tracing is slow by design; without one the run loop pays a single field check per block.
 */
@FunctionalInterface
public interface InstructionTracer {

    /** Called with CS:EIP at the next instruction; the tracer may read (not change) the CPU state. */
    void beforeInstruction(Cpu cpu);
}
