package dev.strata.emulator.cpu.fpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.cpu.TestMachine;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** The common x87 instructions (loads, stores, add, multiply, integer conversions) allocate nothing. */
class FpuAllocationTest {

    @Test
    void commonInstructionsDoNotAllocate() {
        TestMachine m = new TestMachine();
        m.cpu.fpu.init();
        long one = Double.doubleToRawLongBits(1.25);
        for (int k = 0; k < 8; k++) {
            m.mem.write8(0x500 + k, (int) (one >>> (8 * k)));
        }
        m.mem.write16(0x510, 7);
        m.code(0xB9, 0x10, 0x27, // mov cx, 10000
                0xDD, 0x06, 0x00, 0x05, // fld qword [500]
                0xD8, 0xC0, // fadd st0, st0
                0xDC, 0x0E, 0x00, 0x05, // fmul qword [500]
                0xDD, 0x1E, 0x08, 0x05, // fstp qword [508]
                0xDF, 0x06, 0x10, 0x05, // fild word [510]
                0xDF, 0x1E, 0x12, 0x05, // fistp word [512]
                0xE2, 0xE8, // loop
                0xF4);
        m.run(); // decodes the blocks once
        assertEquals(7, m.mem.read16(0x512));
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        m.cpu.eip = TestMachine.CODE;
        m.cpu.halted = false;
        long before = threads.getThreadAllocatedBytes(id);
        long ran = m.cpu.run(1_000_000);
        long allocated = threads.getThreadAllocatedBytes(id) - before;
        assertTrue(ran > 60_000, "ran " + ran);
        assertTrue(allocated < ran, allocated + " bytes allocated for " + ran + " instructions");
        assertEquals(Double.doubleToRawLongBits(2 * 1.25 * 1.25), m.mem.read32(0x508) & 0xFFFFFFFFL
                | (long) m.mem.read32(0x50C) << 32);
    }
}
