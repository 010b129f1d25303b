package dev.strata.emulator.cpu;

/**
 * Where a debugger wants the CPU to stop before an instruction runs. Set on the {@link Cpu} only while a debugger
 * has a breakpoint or a step pending: without one the run loop pays a single field check per block. Addresses are
 * linear (CS base + EIP), so a breakpoint holds across CR3 loads as gdb expects.
 */
public interface CodeBreakpoints {

    /**
     * True when the CPU must stop before the instruction at {@code linear}; the implementation records why and
     * arranges for the run to pause (the CPU only ends its {@link Cpu#run}).
     */
    boolean stopsBefore(int linear);

    /** True when some breakpoint lies at a linear address in [{@code linear}, {@code linear + length}). */
    boolean anyIn(int linear, int length);
}
