package dev.strata.emulator.cpu.segment;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.exception.CpuFault;

/**
 * Reads segment and gate descriptors from the GDT or LDT a selector names, and decodes their fields. A
 * descriptor travels as a long: low dword in bits 0-31, high dword in bits 32-63.
 */
public final class Descriptors {

    /** Type field values of system descriptors (S = 0). */
    public static final int TSS16_AVAILABLE = 1, LDT = 2, TSS16_BUSY = 3, CALL_GATE16 = 4, TASK_GATE = 5,
            INT_GATE16 = 6, TRAP_GATE16 = 7, TSS32_AVAILABLE = 9, TSS32_BUSY = 11, CALL_GATE32 = 12,
            INT_GATE32 = 14, TRAP_GATE32 = 15;

    private Descriptors() {
    }

    /** Linear address of the descriptor, #GP(selector) when it lies outside its table (or the LDT is null). */
    public static int address(Cpu c, int sel) {
        int index = sel & 0xFFF8;
        int base;
        int limit;
        if ((sel & 4) != 0) {
            if ((c.ldt.selector & 0xFFFC) == 0) {
                throw CpuFault.general(sel & 0xFFFC);
            }
            base = c.ldt.base;
            limit = c.ldt.limit;
        } else {
            base = c.gdtBase;
            limit = c.gdtLimit;
        }
        if (Integer.compareUnsigned(index + 7, limit) > 0) {
            throw CpuFault.general(sel & 0xFFFC);
        }
        return base + index;
    }

    /** Reads the descriptor a (non-null) selector names. */
    public static long read(Cpu c, int sel) {
        int a = address(c, sel);
        return (c.readLinear32(a) & 0xFFFFFFFFL) | ((long) c.readLinear32(a + 4) << 32);
    }

    /** Like {@link #read} but returns 0 (an invalid descriptor) instead of faulting: LAR, LSL, VERR, VERW. */
    public static long probe(Cpu c, int sel) {
        try {
            return read(c, sel);
        } catch (CpuFault f) {
            return 0;
        }
    }

    public static int low(long d) {
        return (int) d;
    }

    public static int high(long d) {
        return (int) (d >>> 32);
    }

    /** Type with the S bit: 0x10-0x1F code/data, 0x00-0x0F system. */
    public static int type(long d) {
        return (high(d) >>> 8) & 0x1F;
    }

    public static int dpl(long d) {
        return (high(d) >>> 13) & 3;
    }

    public static boolean present(long d) {
        return (high(d) & 0x8000) != 0;
    }

    public static boolean isCode(int type) {
        return (type & 0x18) == 0x18;
    }

    public static boolean isConforming(int type) {
        return (type & 0x1C) == 0x1C;
    }

    /** Segment limit in bytes (granularity applied). */
    public static int limit(long d) {
        int raw = (low(d) & 0xFFFF) | (high(d) & 0xF0000);
        return (high(d) & 0x800000) != 0 ? (raw << 12) | 0xFFF : raw;
    }

    public static int base(long d) {
        int h = high(d);
        return (low(d) >>> 16) | ((h & 0xFF) << 16) | (h & 0xFF000000);
    }

    /** Gate target offset (the high word only for 32-bit gates). */
    public static int gateOffset(long d) {
        int off = (low(d) & 0xFFFF) | (high(d) & 0xFFFF0000);
        return (type(d) & 8) != 0 ? off : off & 0xFFFF;
    }

    public static int gateSelector(long d) {
        return low(d) >>> 16;
    }

    /** Sets the accessed bit in the table (code and data descriptors) and returns the updated high dword. */
    public static int markAccessed(Cpu c, int sel, long d) {
        int h = high(d);
        if ((h & 0x100) == 0 && (h & 0x1000) != 0) {
            int a = address(c, sel) + 5;
            c.writeLinear8(a, c.readLinear8(a) | 1);
            h |= 0x100;
        }
        return h;
    }
}
