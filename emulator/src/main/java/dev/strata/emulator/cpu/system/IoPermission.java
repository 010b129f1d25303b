package dev.strata.emulator.cpu.system;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.exception.CpuFault;

/**
 * I/O privilege for IN, OUT, INS and OUTS: free when CPL &lt;= IOPL (always in real mode, where CPL is 0);
 * otherwise every port the access touches must be cleared in the 32-bit TSS's I/O permission bitmap.
 */
public final class IoPermission {

    private IoPermission() {
    }

    /** Throws #GP(0) unless the current level may access {@code bytes} ports from {@code port}. */
    public static void check(Cpu c, int port, int bytes) {
        if (c.cpl > ((c.eflags >>> 12) & 3)) {
            checkBitmap(c, port, bytes);
        }
    }

    private static void checkBitmap(Cpu c, int port, int bytes) {
        if ((c.task.selector & 0xFFFC) == 0 || (c.task.attributes & 8) == 0 || c.task.limit < 0x67) {
            throw CpuFault.general(0); // no 32-bit TSS, so no bitmap
        }
        int off = c.readLinear16(c.task.base + 0x66) + (port >>> 3);
        if (Integer.compareUnsigned(off + 1, c.task.limit) > 0) {
            throw CpuFault.general(0);
        }
        int bits = c.readLinear16(c.task.base + off) >>> (port & 7);
        if ((bits & ((1 << bytes) - 1)) != 0) {
            throw CpuFault.general(0);
        }
    }
}
