package dev.strata.bios;

import java.util.ArrayList;
import java.util.List;

/** Hand-assembled real-mode snippets for the service tests: a few instruction forms, ending in HLT. */
final class Code {

    private final List<Integer> bytes = new ArrayList<>();

    Code b(int... values) {
        for (int v : values) {
            bytes.add(v & 0xFF);
        }
        return this;
    }

    private Code imm16(int opcode, int v) {
        return b(opcode, v, v >> 8);
    }

    Code ax(int v) {
        return imm16(0xB8, v);
    }

    Code cx(int v) {
        return imm16(0xB9, v);
    }

    Code dx(int v) {
        return imm16(0xBA, v);
    }

    Code bx(int v) {
        return imm16(0xBB, v);
    }

    Code bp(int v) {
        return imm16(0xBD, v);
    }

    Code si(int v) {
        return imm16(0xBE, v);
    }

    Code di(int v) {
        return imm16(0xBF, v);
    }

    /** MOV ES,AX (load AX first). */
    Code esFromAx() {
        return b(0x8E, 0xC0);
    }

    /** MOV DS,AX (load AX first). */
    Code dsFromAx() {
        return b(0x8E, 0xD8);
    }

    Code intr(int vector) {
        return b(0xCD, vector);
    }

    Code sti() {
        return b(0xFB);
    }

    Code cli() {
        return b(0xFA);
    }

    Code hlt() {
        return b(0xF4);
    }

    int[] build() {
        return bytes.stream().mapToInt(Integer::intValue).toArray();
    }

    /** {@code INT vector} with AX and HLT: the most common test call. */
    static int[] call(int vector, int ax) {
        return new Code().ax(ax).intr(vector).hlt().build();
    }
}
