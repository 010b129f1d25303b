package dev.strata.emulator.cpu.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.TestMachine;
import org.junit.jupiter.api.Test;

/** The decoder fills one draft for every instruction: nothing of one instruction may carry over to the next. */
class DecoderReuseTest {

    @Test
    void prefixesAndMemoryOperandsDoNotCarryOverToTheNextInstruction() {
        TestMachine m = new TestMachine().code(
                0xB8, 0x02, 0x00,       // mov ax,2
                0xBB, 0x00, 0x10,       // mov bx,1000h
                0xF0, 0x01, 0x07,       // lock add [bx],ax: LOCK and a memory operand
                0x01, 0xC3,             // add bx,ax: #UD if LOCK stayed, a memory write if the operand did
                0xBE, 0x00, 0x20,       // mov si,2000h
                0xBF, 0x00, 0x30,       // mov di,3000h
                0xB9, 0x05, 0x00,       // mov cx,5
                0xF3, 0x90,             // pause (REP NOP)
                0xA4,                   // movsb: once, unless REP stayed
                0x26, 0x8B, 0x3F,       // mov di,[es:bx]: ES override and a base register
                0x8B, 0x57, 0x02,       // mov dx,[bx+2]: DS, BX and the displacement of its own
                0xF4);
        m.data(0x1002, 0x11, 0x11).data(0x2000 + 0x1004, 0x33, 0x33); // ES:BX, and DS:BX+2 with DS at 2000h
        m.cpu.loadSegment(Cpu.DS, 0x200);
        m.run();
        assertEquals(-1, m.vector());
        assertEquals(0x1002, m.reg(Cpu.EBX));
        assertEquals(0x2001, m.reg(Cpu.ESI));
        assertEquals(5, m.reg(Cpu.ECX));
        assertEquals(0x1111, m.reg(Cpu.EDI));
        assertEquals(0x3333, m.reg(Cpu.EDX));
    }
}
