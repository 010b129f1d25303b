package dev.strata.emulator.cpu.disasm;

/**
 * One disassembled instruction.
 *
 * @param length its exact length in bytes, prefixes included
 * @param text   Intel syntax, lower case, e.g. {@code add byte [bx+0x0e],bl}
 */
public record Instruction(int length, String text) {
    @Override
    public String toString() {
        return text;
    }
}
