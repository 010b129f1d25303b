package dev.strata.emulator.cpu.conformance;

import dev.strata.emulator.cpu.conformance.ConformanceCpu.Reg;

/**
 * One SingleStepTests vector: an instruction, the machine state before it and the state after the HLT that ends it.
 *
 * <p>Register arrays are indexed by {@link Reg#ordinal()}; {@link #ABSENT} marks a register the file leaves out
 * (in {@code finalRegs} that means "unchanged"). RAM is two parallel arrays of physical addresses and byte values.
 *
 * @param index          position of the test in its file (0-based)
 * @param name           the disassembly the vector's authors recorded
 * @param bytes          the instruction bytes (ending with the HLT)
 * @param initialRegs    register values loaded before the run
 * @param initialRamAddr addresses of the bytes loaded before the run
 * @param initialRamVal  values of those bytes
 * @param finalRegs      register values after the run, {@link #ABSENT} for unchanged ones
 * @param finalRamAddr   addresses of the bytes checked after the run
 * @param finalRamVal    expected values of those bytes
 * @param exceptionFlagAddress physical address of the FLAGS word an exception pushed, or -1 when none was raised
 * @param exceptionNumber the interrupt vector of that exception, or -1
 * @param hash           the vector's identity, as used by the revocation list
 */
public record TestVector(int index, String name, byte[] bytes,
                         int[] initialRegs, int[] initialRamAddr, int[] initialRamVal,
                         int[] finalRegs, int[] finalRamAddr, int[] finalRamVal,
                         int exceptionNumber, int exceptionFlagAddress, String hash) {

    /** Marks a register the vector does not mention. */
    public static final int ABSENT = -1;

    /** True when the instruction raised an exception whose pushed FLAGS need masking. */
    public boolean raisedException() {
        return exceptionFlagAddress >= 0;
    }

    /** The expected value of {@code reg} after the run: the final value, or the initial one when unchanged. */
    public int expectedReg(Reg reg) {
        int v = finalRegs[reg.ordinal()];
        if (v != ABSENT) {
            return v;
        }
        int init = initialRegs[reg.ordinal()];
        return reg == Reg.FLAGS ? init & ConformanceRunner.REAL_MODE_FLAGS : init;
    }
}
