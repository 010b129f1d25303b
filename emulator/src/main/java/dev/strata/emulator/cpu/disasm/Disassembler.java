package dev.strata.emulator.cpu.disasm;

/** Turns x86 machine code into Intel-syntax text (placeholder until the full decoder lands). */
public final class Disassembler {
    private Disassembler() {
    }

    /** Disassembles one instruction at {@code offset}; {@code ip} is its address, for relative branch targets. */
    public static Instruction disassemble(byte[] code, int offset, boolean is32, long ip) {
        return new Instruction(1, "(bad)");
    }
}
