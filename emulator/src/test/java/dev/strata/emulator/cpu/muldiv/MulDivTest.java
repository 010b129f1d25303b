package dev.strata.emulator.cpu.muldiv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.Flags;
import dev.strata.emulator.cpu.TestMachine;
import org.junit.jupiter.api.Test;

class MulDivTest {

    @Test
    void divideByZeroRaisesDivideErrorAtTheDivInstruction() {
        // mov bl,0; mov ax,10; div bl
        TestMachine m = new TestMachine().code(0xB3, 0, 0xB8, 10, 0, 0xF6, 0xF3, 0xF4).run();
        assertEquals(0, m.vector());
        assertEquals(0x105, m.pushedIp());
        assertEquals(10, m.reg(Cpu.EAX) & 0xFFFF);
    }

    @Test
    void quotientOverflowRaisesDivideError() {
        TestMachine m = new TestMachine().code(0xB8, 0, 0x10, 0xB3, 2, 0xF6, 0xF3, 0xF4).run(); // ax=1000h; bl=2; div bl
        assertEquals(0, m.vector());
    }

    @Test
    void signedDivideReachesMinus128WithoutFault() {
        TestMachine m = new TestMachine().code(0xB8, 0x00, 0xFF, 0xB3, 2, 0xF6, 0xFB, 0xF4).run(); // ax=-256; idiv bl
        assertEquals(-1, m.vector());
        assertEquals(0x0080, m.reg(Cpu.EAX) & 0xFFFF);
    }

    @Test
    void signedDivideOverflowFaults() {
        TestMachine m = new TestMachine().code(0xB8, 0x00, 0x80, 0xB3, 0xFF, 0xF6, 0xFB, 0xF4).run(); // -32768 / -1
        assertEquals(0, m.vector());
    }

    @Test
    void wordMultiplySetsCarryWhenHighHalfIsUsed() {
        // mov ax,1234h; mov bx,100h; mul bx
        TestMachine m = new TestMachine().code(0xB8, 0x34, 0x12, 0xBB, 0x00, 0x01, 0xF7, 0xE3, 0xF4).run();
        assertEquals(0x3400, m.reg(Cpu.EAX) & 0xFFFF);
        assertEquals(0x0012, m.reg(Cpu.EDX) & 0xFFFF);
        assertTrue(m.flag(Flags.CF));
        assertTrue(m.flag(Flags.OF));
    }

    @Test
    void threeOperandImulWithNegativeImmediate() {
        TestMachine m = new TestMachine().code(0xBB, 5, 0, 0x6B, 0xCB, 0xFE, 0xF4).run(); // mov bx,5; imul cx,bx,-2
        assertEquals(0xFFF6, m.reg(Cpu.ECX) & 0xFFFF);
        assertFalse(m.flag(Flags.CF));
    }

    @Test
    void dwordDivideUsesEdxEax() {
        TestMachine m = new TestMachine();
        m.cpu.r[Cpu.EDX] = 1;
        m.cpu.r[Cpu.EAX] = 0;
        m.cpu.r[Cpu.EBX] = 2;
        m.code(0x66, 0xF7, 0xF3, 0xF4).run(); // div ebx
        assertEquals(0x80000000, m.reg(Cpu.EAX));
        assertEquals(0, m.reg(Cpu.EDX));
    }

    @Test
    void dwordImulTwoOperand() {
        TestMachine m = new TestMachine();
        m.cpu.r[Cpu.EAX] = 100000;
        m.cpu.r[Cpu.EBX] = -3;
        m.code(0x66, 0x0F, 0xAF, 0xC3, 0xF4).run(); // imul eax,ebx
        assertEquals(-300000, m.reg(Cpu.EAX));
    }

    @Test
    void aamWithZeroBaseRaisesDivideError() {
        TestMachine m = new TestMachine().code(0xD4, 0x00, 0xF4).run();
        assertEquals(0, m.vector());
        assertEquals(0x100, m.pushedIp());
    }
}
