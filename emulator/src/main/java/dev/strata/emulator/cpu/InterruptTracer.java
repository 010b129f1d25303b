package dev.strata.emulator.cpu;

/**
 * Hears every interrupt and exception the CPU delivers, and triple faults (for {@code --trace-events} and the
 * interrupt lines of {@code --trace}). Unlike an {@link InstructionTracer} it does not slow the run loop: it is
 * called only on the rare delivery paths.
 */
public interface InterruptTracer {

    /**
     * Called before the CPU delivers {@code vector}, with CS:EIP at the address the delivery will push (the
     * faulting instruction for a fault, the next one for a trap or interrupt).
     *
     * @param errorCode the error code pushed, or -1 when the vector has none
     * @param count     instructions executed before the one that raised it (a fault, INT n), or before the next
     *                  one (a trap, an external interrupt)
     */
    void interrupt(Cpu cpu, InterruptKind kind, int vector, int errorCode, long count);

    /** Called when a fault while delivering a double fault shuts the processor down, before it is reset. */
    void tripleFault(Cpu cpu);
}
