package dev.strata.emulator.cpu.conformance;

/**
 * What the conformance runner needs from a CPU: load a register and memory state, run until the guest
 * executes HLT, and read the state back. Real mode, 16 MiB of physical RAM, A20 enabled, IN reads all ones.
 */
public interface ConformanceCpu {

    /** The registers the 80286 vectors name; segment registers load real-mode bases (selector * 16). */
    enum Reg { AX, BX, CX, DX, SI, DI, BP, SP, IP, FLAGS, CS, DS, ES, SS }

    void setReg(Reg reg, int value);

    int getReg(Reg reg);

    void writeByte(int physicalAddress, int value);

    int readByte(int physicalAddress);

    /**
     * Runs until a HLT instruction has executed (IP then points past it) or {@code maxInstructions} have run.
     *
     * @return true when the CPU halted, false when the limit was reached first
     */
    boolean runUntilHalt(long maxInstructions);
}
