package dev.strata.bios;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.state.StateClass;
import dev.strata.emulator.state.StateField;
import java.util.ArrayList;
import java.util.List;

/** A ring of the most recent BIOS service calls (vector and registers), kept without allocating per call. */
@StateClass("dev.strata.bios.CallLog")
final class CallLog {

    @StateField("vectors") private final int[] vectors;
    @StateField("ax") private final int[] ax;
    @StateField("bx") private final int[] bx;
    @StateField("cx") private final int[] cx;
    @StateField("dx") private final int[] dx;
    @StateField("count") private long count;

    /** {@code capacity} must be a power of two: the hot path indexes the ring with a mask, not a division. */
    CallLog(int capacity) {
        if (Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("call log capacity must be a power of two, got " + capacity);
        }
        vectors = new int[capacity];
        ax = new int[capacity];
        bx = new int[capacity];
        cx = new int[capacity];
        dx = new int[capacity];
    }

    void record(int vector, Cpu cpu) {
        int i = (int) count++ & (vectors.length - 1);
        vectors[i] = vector;
        ax[i] = cpu.r[Cpu.EAX] & 0xFFFF;
        bx[i] = cpu.r[Cpu.EBX] & 0xFFFF;
        cx[i] = cpu.r[Cpu.ECX] & 0xFFFF;
        dx[i] = cpu.r[Cpu.EDX] & 0xFFFF;
    }

    List<String> lines() {
        List<String> out = new ArrayList<>();
        long first = Math.max(0, count - vectors.length);
        for (long n = first; n < count; n++) {
            int i = (int) (n % vectors.length);
            String name = vectors[i] < 0 ? "POST   " : String.format("INT %02Xh", vectors[i]);
            out.add(String.format("%s AX=%04X BX=%04X CX=%04X DX=%04X", name, ax[i], bx[i], cx[i], dx[i]));
        }
        return out;
    }
}
