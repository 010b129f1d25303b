package dev.strata.emulator.cpu.segment;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.exception.CpuFault;

/** Reads the inner-level stack pointers (SS0:ESP0 .. SS2:ESP2) from the current task state segment. */
public final class TaskState {

    private TaskState() {
    }

    private static boolean tss32(Cpu c) {
        return (c.task.attributes & 8) != 0;
    }

    /** Linear address of the stack slot for level {@code pl}, #TS(TR) when the TSS is too short or missing. */
    private static int slot(Cpu c, int pl) {
        if ((c.task.selector & 0xFFFC) == 0) {
            throw CpuFault.invalidTss(0);
        }
        int off = tss32(c) ? 4 + 8 * pl : 2 + 4 * pl;
        int end = off + (tss32(c) ? 5 : 3);
        if (Integer.compareUnsigned(end, c.task.limit) > 0) {
            throw CpuFault.invalidTss(c.task.selector & 0xFFFC);
        }
        return c.task.base + off;
    }

    /** Stack selector for privilege level {@code pl}. */
    public static int stackSelector(Cpu c, int pl) {
        int a = slot(c, pl);
        return c.readLinear16(a + (tss32(c) ? 4 : 2));
    }

    /** Stack pointer for privilege level {@code pl} (16-bit TSSs give only SP). */
    public static int stackPointer(Cpu c, int pl) {
        int a = slot(c, pl);
        return tss32(c) ? c.readLinear32(a) : c.readLinear16(a);
    }
}
