package dev.strata.emulator.cpu.trace;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.memory.PhysicalMemory;

/**
 * Reads the bytes at a linear address for a trace, the way a debugger looks: through the page tables without
 * setting accessed bits or faulting, and never from the VGA window, where a read has side effects.
 */
final class CodeReader {

    private static final int WINDOW_START = PhysicalMemory.LEGACY_START;
    private static final int WINDOW_END = 0xC0000;

    private CodeReader() {
    }

    /** Fills the entry's code bytes from {@code linear}: up to 16, fewer where a page is missing. */
    static void read(Cpu c, int linear, TraceEntry e) {
        long p = physical(c, linear);
        if (p >= 0 && (p & 0xFFF) <= 0xFF0) {
            e.codeLow = c.mem.peek64((int) p);
            e.codeHigh = c.mem.peek64((int) p + 8);
            e.codeLength = TraceEntry.CODE_BYTES;
            return;
        }
        long low = 0;
        long high = 0;
        int n = 0;
        for (; n < TraceEntry.CODE_BYTES; n++) {
            if (n > 0) {
                p = ((linear + n) & 0xFFF) == 0 ? physical(c, linear + n) : p + 1;
            }
            if (p < 0) {
                break;
            }
            long b = c.mem.read8((int) p) & 0xFFL;
            if (n < 8) {
                low |= b << (8 * n);
            } else {
                high |= b << (8 * (n - 8));
            }
        }
        e.codeLow = low;
        e.codeHigh = high;
        e.codeLength = n;
    }

    /** The A20-gated physical address, or -1 when not present or inside the VGA window. */
    private static long physical(Cpu c, int linear) {
        long p = c.paging ? c.mmu.peek(linear) : linear & 0xFFFFFFFFL;
        if (p < 0) {
            return -1;
        }
        int a = c.mem.physical((int) p);
        return a >= WINDOW_START && a < WINDOW_END ? -1 : a & 0xFFFFFFFFL;
    }
}
