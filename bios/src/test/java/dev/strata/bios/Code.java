package dev.strata.bios;

import java.util.Arrays;

/**
 * Real-mode snippets for the service tests, ending in HLT: the ROM's own {@link RomWriter} assembles them, plus
 * the register loads a test needs to set up a call, which the ROM has no use for.
 */
final class Code {

    private static final int AX = 0;
    private static final int CX = 1;
    private static final int DX = 2;
    private static final int BX = 3;
    private static final int BP = 5;
    private static final int SI = 6;
    private static final int DI = 7;
    private static final int ES = 0;
    private static final int DS = 3;

    private final byte[] buffer = new byte[1024];
    private final RomWriter out = new RomWriter(buffer);

    /** Raw machine code, for the forms no method covers. */
    Code b(int... values) {
        out.bytes(values);
        return this;
    }

    /** MOV r16,imm16. */
    private Code load(int register, int value) {
        out.bytes(0xB8 + register).word(value);
        return this;
    }

    /** MOV sreg,AX (load AX first). */
    private Code segmentFromAx(int segment) {
        out.bytes(0x8E, 0xC0 | segment << 3);
        return this;
    }

    Code ax(int v) {
        return load(AX, v);
    }

    Code cx(int v) {
        return load(CX, v);
    }

    Code dx(int v) {
        return load(DX, v);
    }

    Code bx(int v) {
        return load(BX, v);
    }

    Code bp(int v) {
        return load(BP, v);
    }

    Code si(int v) {
        return load(SI, v);
    }

    Code di(int v) {
        return load(DI, v);
    }

    Code esFromAx() {
        return segmentFromAx(ES);
    }

    Code dsFromAx() {
        return segmentFromAx(DS);
    }

    Code intr(int vector) {
        out.intN(vector);
        return this;
    }

    Code sti() {
        out.sti();
        return this;
    }

    Code cli() {
        out.cli();
        return this;
    }

    Code hlt() {
        out.hlt();
        return this;
    }

    int[] build() {
        int[] code = new int[out.here()];
        Arrays.setAll(code, i -> buffer[i] & 0xFF);
        return code;
    }

    /** {@code INT vector} with AX and HLT: the most common test call. */
    static int[] call(int vector, int ax) {
        return new Code().ax(ax).intr(vector).hlt().build();
    }
}
