package dev.strata.emulator.cpu;

import dev.strata.emulator.io.IoBus;
import dev.strata.emulator.memory.PhysicalMemory;

/**
 * A small real-mode machine for CPU tests: code at 0700:0100 (physical 7100), DS = ES = SS = 0, stack at
 * 0000:8000, and every interrupt vector v
 * pointing at a HLT at 0000:(4000 + 2v), so {@link #vector()} tells which exception or interrupt was taken.
 */
public final class TestMachine {

    public static final int CODE = 0x100;
    public static final int CODE_SEGMENT = 0x700;
    /** Physical address of the first code byte. */
    public static final int CODE_PHYSICAL = (CODE_SEGMENT << 4) + CODE;
    public static final int STACK = 0x8000;
    private static final int TRAPS = 0x4000;

    public final PhysicalMemory mem = new PhysicalMemory(2 << 20);
    public final IoBus io = new IoBus();
    public final Cpu cpu;

    public TestMachine() {
        mem.setA20(true);
        cpu = new Cpu(mem, io);
        for (int s = 0; s < 6; s++) {
            cpu.loadSegment(s, 0);
        }
        cpu.loadSegment(Cpu.CS, CODE_SEGMENT);
        cpu.eip = CODE;
        cpu.r[Cpu.ESP] = STACK;
        for (int v = 0; v < 256; v++) {
            mem.write16(v * 4, TRAPS + 2 * v);
            mem.write16(v * 4 + 2, 0);
            mem.write8(TRAPS + 2 * v, 0xF4);
            mem.write8(TRAPS + 2 * v + 1, 0xF4);
        }
    }

    public static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int k = 0; k < v.length; k++) {
            b[k] = (byte) v[k];
        }
        return b;
    }

    /** Loads code at 0700:0100. */
    public TestMachine code(int... code) {
        mem.load(CODE_PHYSICAL, bytes(code));
        return this;
    }

    /** Loads bytes at a physical address. */
    public TestMachine data(int address, int... data) {
        mem.load(address, bytes(data));
        return this;
    }

    /** Points interrupt vector {@code v} at 0000:{@code offset}. */
    public TestMachine vectorTo(int v, int offset) {
        mem.write16(v * 4, offset);
        mem.write16(v * 4 + 2, 0);
        return this;
    }

    public TestMachine run() {
        cpu.run(100_000);
        return this;
    }

    public int reg(int r) {
        return cpu.r[r];
    }

    public int flags() {
        return Flags.get(cpu);
    }

    public boolean flag(int bit) {
        return (Flags.get(cpu) & bit) != 0;
    }

    /** The vector whose HLT stub stopped the CPU, or -1 when it halted elsewhere. */
    public int vector() {
        int eip = cpu.eip;
        if (cpu.seg[Cpu.CS].selector != 0 || eip < TRAPS + 1 || eip > TRAPS + 512) {
            return -1;
        }
        return (eip - TRAPS - 1) / 2;
    }

    /** The return IP the last interrupt pushed (top of stack). */
    public int pushedIp() {
        return mem.read16(cpu.seg[Cpu.SS].base + (cpu.r[Cpu.ESP] & 0xFFFF));
    }
}
