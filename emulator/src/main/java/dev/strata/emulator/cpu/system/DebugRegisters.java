package dev.strata.emulator.cpu.system;

import dev.strata.emulator.cpu.exception.CpuFault;
import dev.strata.emulator.state.StateClass;
import dev.strata.emulator.state.StateField;

/**
 * DR0-DR3, DR6 and DR7 as MOV DRn reads and writes them, with the P6's fixed bits, and DR4/DR5: aliases of DR6/DR7
 * while CR4.DE is clear, #UD while it is set (the debugging extensions CPUID reports). Breakpoints are stored, not
 * yet raised: the CPU does not compare addresses against them.
 */
@StateClass("dev.strata.emulator.cpu.system.DebugRegisters")
public final class DebugRegisters {

    /** DR6 bits that read as 1 on a P6 (4-11, 16-31), and those the processor keeps (B0-B3, BD, BS, BT). */
    private static final int DR6_ONES = 0xFFFF0FF0, DR6_BITS = 0xE00F;
    /** DR7: bit 10 reads as 1; bits 11, 12, 14 and 15 as 0. */
    private static final int DR7_ONE = 0x400, DR7_BITS = 0xFFFF23FF;

    @StateField("address") private final int[] address = new int[4];
    @StateField("dr6") private int dr6 = DR6_ONES;
    @StateField("dr7") private int dr7 = DR7_ONE;

    /** MOV r32, DRn. */
    public int read(int n, boolean debuggingExtensions) {
        switch (alias(n, debuggingExtensions)) {
            case 0: case 1: case 2: case 3: return address[n];
            case 6: return dr6;
            default: return dr7;
        }
    }

    /** MOV DRn, r32. */
    public void write(int n, int value, boolean debuggingExtensions) {
        switch (alias(n, debuggingExtensions)) {
            case 0: case 1: case 2: case 3: address[n] = value; break;
            case 6: dr6 = (value & DR6_BITS) | DR6_ONES; break;
            default: dr7 = (value & DR7_BITS) | DR7_ONE; break;
        }
    }

    private static int alias(int n, boolean debuggingExtensions) {
        if (n == 4 || n == 5) {
            if (debuggingExtensions) {
                throw CpuFault.undefined();
            }
            return n + 2;
        }
        return n;
    }

    /** Processor reset values. */
    public void reset() {
        java.util.Arrays.fill(address, 0);
        dr6 = DR6_ONES;
        dr7 = DR7_ONE;
    }
}
