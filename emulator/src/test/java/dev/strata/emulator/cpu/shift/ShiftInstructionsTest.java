package dev.strata.emulator.cpu.shift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.Flags;
import dev.strata.emulator.cpu.TestMachine;
import org.junit.jupiter.api.Test;

class ShiftInstructionsTest {

    @Test
    void rclRotatesThroughCarry() {
        TestMachine m = new TestMachine().code(0xF9, 0xB0, 0x80, 0xD0, 0xD0, 0xF4).run(); // stc; mov al,80h; rcl al,1
        assertEquals(0x01, m.reg(Cpu.EAX) & 0xFF);
        assertTrue(m.flag(Flags.CF));
        assertTrue(m.flag(Flags.OF), "OF = new MSB xor CF");
    }

    @Test
    void rcrByteCountIsModuloNine() {
        // clc; mov al,1; mov cl,9; rcr al,cl -> nine steps through a 9-bit ring = unchanged
        TestMachine m = new TestMachine().code(0xF8, 0xB0, 0x01, 0xB1, 0x09, 0xD2, 0xD8, 0xF4).run();
        assertEquals(0x01, m.reg(Cpu.EAX) & 0xFF);
        assertFalse(m.flag(Flags.CF));
    }

    @Test
    void shiftCountIsMaskedToFiveBits() {
        // mov ax,1; mov cl,33; shl ax,cl -> shifts by 1
        TestMachine m = new TestMachine().code(0xB8, 1, 0, 0xB1, 33, 0xD3, 0xE0, 0xF4).run();
        assertEquals(2, m.reg(Cpu.EAX));
    }

    @Test
    void zeroCountLeavesFlagsAlone() {
        // stc; mov cl,0; shr ax,cl -> CF stays
        TestMachine m = new TestMachine().code(0xF9, 0xB1, 0x00, 0xD3, 0xE8, 0xF4).run();
        assertTrue(m.flag(Flags.CF));
    }

    @Test
    void sarKeepsTheSignAndShiftsTheLastBitIntoCarry() {
        TestMachine m = new TestMachine().code(0xB0, 0x81, 0xD0, 0xF8, 0xF4).run(); // mov al,81h; sar al,1
        assertEquals(0xC0, m.reg(Cpu.EAX) & 0xFF);
        assertTrue(m.flag(Flags.CF));
        assertTrue(m.flag(Flags.SF));
        assertFalse(m.flag(Flags.OF));
    }

    @Test
    void dwordRotateWithImmediate() {
        TestMachine m = new TestMachine();
        m.cpu.r[Cpu.EDX] = 0x80000001;
        m.code(0x66, 0xC1, 0xC2, 0x04, 0xF4).run(); // rol edx,4
        assertEquals(0x00000018, m.reg(Cpu.EDX));
    }
}
