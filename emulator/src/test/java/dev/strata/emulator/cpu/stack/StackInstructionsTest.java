package dev.strata.emulator.cpu.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.TestMachine;
import org.junit.jupiter.api.Test;

class StackInstructionsTest {

    @Test
    void enterBuildsAFrameAndLeaveTearsItDown() {
        TestMachine m = new TestMachine();
        m.cpu.r[Cpu.EBP] = 0x1234;
        m.code(0xC8, 0x10, 0x00, 0x00, 0xF4, 0xC9, 0xF4); // enter 10h,0; hlt; leave; hlt
        m.run();
        assertEquals(TestMachine.STACK - 2, m.reg(Cpu.EBP));
        assertEquals(TestMachine.STACK - 2 - 0x10, m.reg(Cpu.ESP));
        assertEquals(0x1234, m.mem.read16(TestMachine.STACK - 2));
        m.cpu.halted = false;
        m.run();
        assertEquals(0x1234, m.reg(Cpu.EBP));
        assertEquals(TestMachine.STACK, m.reg(Cpu.ESP));
    }

    @Test
    void enterWithNestingLevelCopiesFramePointers() {
        TestMachine m = new TestMachine();
        m.cpu.r[Cpu.EBP] = 0x7000;
        m.data(0x6FFE, 0xCD, 0xAB); // the enclosing frame's saved pointer at [BP-2]
        m.code(0xC8, 0x04, 0x00, 0x02, 0xF4).run(); // enter 4,2
        int frame = TestMachine.STACK - 2;
        assertEquals(frame, m.reg(Cpu.EBP));
        assertEquals(0xABCD, m.mem.read16(frame - 2), "copied outer frame pointer");
        assertEquals(frame, m.mem.read16(frame - 4), "this frame's pointer");
        assertEquals(frame - 4 - 4, m.reg(Cpu.ESP));
    }

    @Test
    void thirtyTwoBitEnterOnSixteenBitStackKeepsTheUpperHalfOfEspInEbp() {
        TestMachine m = new TestMachine();
        m.cpu.r[Cpu.ESP] = 0x00010000; // SP = 0: the push wraps to FFFCh
        m.cpu.r[Cpu.EBP] = 0x12345678;
        m.code(0x66, 0xC8, 0x08, 0x00, 0x01, 0xF4).run(); // o32 enter 8,1
        assertEquals(0x0001FFFC, m.reg(Cpu.EBP));
        assertEquals(0x12345678, m.mem.read32(0xFFFC));
        assertEquals(0x0001FFFC, m.mem.read32(0xFFF8), "the frame pointer pushed is the whole ESP");
        assertEquals(0x0001FFF0, m.reg(Cpu.ESP));
    }

    @Test
    void pushaPushesTheOriginalSpAndPopaSkipsIt() {
        TestMachine m = new TestMachine();
        m.cpu.r[Cpu.EAX] = 1;
        m.cpu.r[Cpu.EDI] = 8;
        m.code(0x60, 0x31, 0xC0, 0x31, 0xFF, 0x61, 0xF4).run(); // pusha; xor ax,ax; xor di,di; popa
        assertEquals(TestMachine.STACK, m.mem.read16(TestMachine.STACK - 10));
        assertEquals(1, m.reg(Cpu.EAX));
        assertEquals(8, m.reg(Cpu.EDI));
        assertEquals(TestMachine.STACK, m.reg(Cpu.ESP));
    }

    @Test
    void pushSpPushesTheValueBeforeTheDecrement() {
        TestMachine m = new TestMachine().code(0x54, 0xF4).run(); // push sp
        assertEquals(TestMachine.STACK, m.mem.read16(TestMachine.STACK - 2));
    }

    @Test
    void pushAtOffsetOneRaisesStackFault() {
        TestMachine m = new TestMachine();
        m.cpu.r[Cpu.ESP] = 1;
        m.code(0x50, 0xF4).run(); // push ax -> word at FFFF
        assertEquals(1, m.cpu.shutdowns, "the #SS cannot be delivered on the same broken stack: triple fault");
    }

    @Test
    void faultWithAWorkingStackIsDeliveredNormally() {
        TestMachine m = new TestMachine();
        m.code(0x8B, 0x46, 0xFF, 0xF4); // mov ax,[bp-1] with BP=0 -> offset FFFF -> #SS
        m.run();
        assertEquals(12, m.vector());
        assertEquals(0, m.cpu.shutdowns);
    }
}
