package dev.strata.emulator.cpu.trace;

import dev.strata.emulator.cpu.disasm.Disassembler;
import dev.strata.emulator.cpu.disasm.Instruction;

/**
 * Remembers the disassembly of recently traced instructions, keyed by address, mode and bytes: a trace is mostly
 * loops, and writing ten million lines would otherwise spend its time disassembling the same few hundred
 * instructions again and again.
 */
final class DisassemblyCache {

    private static final int SLOTS = 1 << 13;

    private final int[] eips = new int[SLOTS];
    private final long[] lows = new long[SLOTS];
    private final long[] highs = new long[SLOTS];
    private final int[] shapes = new int[SLOTS];
    private final Instruction[] texts = new Instruction[SLOTS];

    /** The instruction's disassembly (its bytes must be there: {@code codeLength > 0}). */
    Instruction disassemble(TraceEntry e) {
        int shape = e.codeLength << 1 | (e.code32() ? 1 : 0);
        long h = e.eip * 0x9E3779B97F4A7C15L ^ e.codeLow;
        int slot = (int) (h ^ h >>> 29) & (SLOTS - 1);
        Instruction text = texts[slot];
        if (text != null && eips[slot] == e.eip && lows[slot] == e.codeLow && highs[slot] == e.codeHigh
                && shapes[slot] == shape) {
            return text;
        }
        text = Disassembler.disassemble(e.code(), 0, e.code32(), e.eip & 0xFFFFFFFFL);
        texts[slot] = text;
        eips[slot] = e.eip;
        lows[slot] = e.codeLow;
        highs[slot] = e.codeHigh;
        shapes[slot] = shape;
        return text;
    }
}
