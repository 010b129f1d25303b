package dev.strata.emulator.cpu.paging;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.memory.PhysicalMemory;
import java.util.Arrays;

/**
 * Reads guest memory by linear address as a debugger or monitor does: through the page tables with
 * {@link Mmu#peek} (no accessed or dirty bit set, no fault, no TLB fill) and the A20 gate, never as the guest's own
 * access. Used by the gdb stub and the monitor's {@code info mem}.
 */
public final class LinearPeek {

    private final Cpu cpu;
    private final PhysicalMemory mem;

    public LinearPeek(Cpu cpu, PhysicalMemory mem) {
        this.cpu = cpu;
        this.mem = mem;
    }

    /** The physical address {@code linear} maps to now, or -1 when its page is not present or it lies beyond 4 GiB. */
    public long physical(long linear) {
        if (linear < 0 || linear > 0xFFFFFFFFL) {
            return -1;
        }
        int l = (int) linear;
        long p = cpu.paging ? cpu.mmu.peek(l) : l & 0xFFFFFFFFL;
        return p < 0 ? -1 : mem.physical((int) p) & 0xFFFFFFFFL;
    }

    /** Up to {@code length} bytes from {@code linear}: fewer when a page on the way is not present. */
    public byte[] read(long linear, int length) {
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            long p = physical(linear + i);
            if (p < 0) {
                return Arrays.copyOf(out, i);
            }
            out[i] = (byte) mem.read8((int) p);
        }
        return out;
    }
}
