package dev.strata.emulator.cpu.exception;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.cpu.TestMachine;
import org.junit.jupiter.api.Test;

/** Opcodes the CPU does not know raise #UD and are reported once per bytes and address. */
class UndefinedOpcodeLogTest {

    @Test
    void sameBytesAtSameAddressAreReportedOnce() {
        UndefinedOpcodeLog log = new UndefinedOpcodeLog();
        assertTrue(log.report(0x10, 0x100, 0x1100, new byte[] {0x0f, 0x04}));
        assertFalse(log.report(0x10, 0x100, 0x1100, new byte[] {0x0f, 0x04}));
        assertTrue(log.report(0x10, 0x200, 0x1200, new byte[] {0x0f, 0x04}), "another address");
        assertTrue(log.report(0x10, 0x100, 0x1100, new byte[] {0x0f, 0x0f}), "other bytes there (new code)");
    }

    @Test
    void reportsStopAfterTheLimit() {
        UndefinedOpcodeLog log = new UndefinedOpcodeLog();
        for (int k = 0; k < UndefinedOpcodeLog.LIMIT; k++) {
            assertTrue(log.report(0, k, k, new byte[] {0x0f, 0x04}));
        }
        assertFalse(log.report(0, -1, -1, new byte[] {0x0f, 0x04}));
        assertFalse(log.report(0, -2, -2, new byte[] {0x0f, 0x04}));
    }

    @Test
    void undefinedOpcodeRaisesInvalidOpcodeAndIsReportedWithItsBytes() {
        TestMachine m = new TestMachine();
        m.code(0x0f, 0x04, 0xf4).run(); // 0F 04: no instruction
        assertEquals(6, m.vector());
        assertEquals(TestMachine.CODE, m.pushedIp(), "the fault points at the undefined opcode");
        assertFalse(m.cpu.undefinedOpcodes.report(TestMachine.CODE_SEGMENT, TestMachine.CODE,
                TestMachine.CODE_PHYSICAL, new byte[] {0x0f, 0x04}), "already reported by the CPU");
    }
}
