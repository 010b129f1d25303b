package dev.strata.emulator.cpu.disasm;

/**
 * Turns i686 machine code into Intel-syntax text, one instruction at a time: 16- and 32-bit code, every prefix,
 * ModRM/SIB addressing, the 0F map, and the x87 escapes; undefined encodings read {@code (bad)}.
 */
public final class Disassembler {
    private Disassembler() {
    }

    /**
     * Disassembles the instruction at {@code code[offset]}.
     *
     * @param is32 true for 32-bit code (the D bit of CS), false for real mode and 16-bit segments
     * @param ip   the instruction's offset in its code segment, used to print branch targets
     * @return its exact length (prefixes included) and text; code that ends early gives {@code (bad)}
     */
    public static Instruction disassemble(byte[] code, int offset, boolean is32, long ip) {
        if (offset < 0 || offset >= code.length) {
            throw new IllegalArgumentException("offset " + offset + " is outside the " + code.length
                    + " bytes of code");
        }
        return new Decoder(code, offset, is32, ip).decode();
    }
}
