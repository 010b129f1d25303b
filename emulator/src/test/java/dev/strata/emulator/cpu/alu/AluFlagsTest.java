package dev.strata.emulator.cpu.alu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.Flags;
import dev.strata.emulator.cpu.TestMachine;
import org.junit.jupiter.api.Test;

class AluFlagsTest {

    @Test
    void addSignedOverflowSetsOfSfAfAndClearsCf() {
        TestMachine m = new TestMachine().code(0xB0, 0x7F, 0x04, 0x01, 0xF4).run(); // mov al,7Fh; add al,1
        assertEquals(0x80, m.reg(Cpu.EAX) & 0xFF);
        assertTrue(m.flag(Flags.OF));
        assertTrue(m.flag(Flags.SF));
        assertTrue(m.flag(Flags.AF));
        assertFalse(m.flag(Flags.CF));
        assertFalse(m.flag(Flags.ZF));
        assertFalse(m.flag(Flags.PF));
    }

    @Test
    void subtractBelowZeroBorrows() {
        TestMachine m = new TestMachine().code(0xB8, 0, 0, 0x2D, 1, 0, 0xF4).run(); // mov ax,0; sub ax,1
        assertEquals(0xFFFF, m.reg(Cpu.EAX) & 0xFFFF);
        assertTrue(m.flag(Flags.CF));
        assertTrue(m.flag(Flags.SF));
        assertTrue(m.flag(Flags.PF));
        assertFalse(m.flag(Flags.OF));
    }

    @Test
    void incrementKeepsCarry() {
        TestMachine m = new TestMachine().code(0xF9, 0xB3, 0xFF, 0xFE, 0xC3, 0xF4).run(); // stc; mov bl,FFh; inc bl
        assertEquals(0, m.reg(Cpu.EBX) & 0xFF);
        assertTrue(m.flag(Flags.ZF));
        assertTrue(m.flag(Flags.CF));
        assertTrue(m.flag(Flags.AF));
    }

    @Test
    void addWithCarryPropagatesTheCarryIn() {
        TestMachine m = new TestMachine().code(0xF9, 0xB8, 0xFF, 0xFF, 0x15, 0, 0, 0xF4).run(); // stc; mov ax,FFFFh; adc ax,0
        assertEquals(0, m.reg(Cpu.EAX) & 0xFFFF);
        assertTrue(m.flag(Flags.CF));
        assertTrue(m.flag(Flags.ZF));
    }

    @Test
    void thirtyTwoBitAddOverflowsAtTheDwordSignBit() {
        // mov eax,7FFFFFFFh; add eax,1
        TestMachine m = new TestMachine().code(0x66, 0xB8, 0xFF, 0xFF, 0xFF, 0x7F, 0x66, 0x05, 1, 0, 0, 0, 0xF4).run();
        assertEquals(0x80000000, m.reg(Cpu.EAX));
        assertTrue(m.flag(Flags.OF));
        assertTrue(m.flag(Flags.SF));
        assertFalse(m.flag(Flags.CF));
    }

    @Test
    void thirtyTwoBitSubtractWithBorrowWraps() {
        // stc; mov eax,0; sbb eax,0
        TestMachine m = new TestMachine().code(0xF9, 0x66, 0xB8, 0, 0, 0, 0, 0x66, 0x1D, 0, 0, 0, 0, 0xF4).run();
        assertEquals(-1, m.reg(Cpu.EAX));
        assertTrue(m.flag(Flags.CF));
    }

    @Test
    void logicClearsCarryAndOverflow() {
        TestMachine m = new TestMachine().code(0xF9, 0xB0, 0x0F, 0x24, 0xF0, 0xF4).run(); // stc; mov al,0Fh; and al,F0h
        assertEquals(0, m.reg(Cpu.EAX) & 0xFF);
        assertTrue(m.flag(Flags.ZF));
        assertTrue(m.flag(Flags.PF));
        assertFalse(m.flag(Flags.CF));
        assertFalse(m.flag(Flags.OF));
    }

    @Test
    void negOfZeroClearsCarry() {
        TestMachine m = new TestMachine().code(0xF9, 0x31, 0xC0, 0xF7, 0xD8, 0xF4).run(); // stc; xor ax,ax; neg ax
        assertFalse(m.flag(Flags.CF));
        assertTrue(m.flag(Flags.ZF));
    }

    @Test
    void xaddExchangesAndAdds() {
        // mov ax,3; mov bx,4; xadd bx,ax
        TestMachine m = new TestMachine().code(0xB8, 3, 0, 0xBB, 4, 0, 0x0F, 0xC1, 0xC3, 0xF4).run();
        assertEquals(7, m.reg(Cpu.EBX) & 0xFFFF);
        assertEquals(4, m.reg(Cpu.EAX) & 0xFFFF);
    }

    @Test
    void cmpxchgStoresOnMatchAndLoadsAccumulatorOnMismatch() {
        // mov ax,5; mov word [1000h],5; mov cx,9; cmpxchg [1000h],cx
        TestMachine m = new TestMachine().code(0xB8, 5, 0, 0xC7, 0x06, 0x00, 0x10, 5, 0, 0xB9, 9, 0,
                0x0F, 0xB1, 0x0E, 0x00, 0x10, 0xF4).run();
        assertEquals(9, m.mem.read16(0x1000));
        assertTrue(m.flag(Flags.ZF));
        // second machine: mismatch loads AX
        TestMachine n = new TestMachine().code(0xB8, 6, 0, 0xC7, 0x06, 0x00, 0x10, 5, 0, 0xB9, 9, 0,
                0x0F, 0xB1, 0x0E, 0x00, 0x10, 0xF4).run();
        assertEquals(5, n.mem.read16(0x1000));
        assertEquals(5, n.reg(Cpu.EAX) & 0xFFFF);
        assertFalse(n.flag(Flags.ZF));
    }

    @Test
    void cmpxchg8bSwapsOnMatch() {
        TestMachine m = new TestMachine().data(0x1000, 0x22, 0x22, 0x22, 0x22, 0x11, 0x11, 0x11, 0x11);
        m.cpu.r[Cpu.EAX] = 0x22222222;
        m.cpu.r[Cpu.EDX] = 0x11111111;
        m.cpu.r[Cpu.EBX] = 0x44444444;
        m.cpu.r[Cpu.ECX] = 0x33333333;
        m.code(0x0F, 0xC7, 0x0E, 0x00, 0x10, 0xF4).run(); // cmpxchg8b [1000h]
        assertEquals(0x44444444, m.mem.read32(0x1000));
        assertEquals(0x33333333, m.mem.read32(0x1004));
        assertTrue(m.flag(Flags.ZF));
    }
}
