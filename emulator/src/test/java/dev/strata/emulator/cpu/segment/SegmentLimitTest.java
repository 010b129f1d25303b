package dev.strata.emulator.cpu.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.TestMachine;
import org.junit.jupiter.api.Test;

/** Real mode still checks the 64 KiB limit: a word or dword running past offset FFFFh faults. */
class SegmentLimitTest {

    @Test
    void wordReadAtFfffRaisesGeneralProtection() {
        TestMachine m = new TestMachine().code(0x90, 0xA1, 0xFF, 0xFF, 0xF4).run(); // nop; mov ax,[FFFFh]
        assertEquals(13, m.vector());
        assertEquals(0x101, m.pushedIp(), "the faulting instruction");
    }

    @Test
    void byteReadAtFfffIsFine() {
        TestMachine m = new TestMachine().data(0xFFFF, 0x5A).code(0xA0, 0xFF, 0xFF, 0xF4).run();
        assertEquals(-1, m.vector());
        assertEquals(0x5A, m.reg(Cpu.EAX) & 0xFF);
    }

    @Test
    void stackRelativeOverrunRaisesStackFault() {
        TestMachine m = new TestMachine().code(0xBD, 0xFF, 0xFF, 0x8B, 0x46, 0x00, 0xF4).run(); // mov bp,FFFFh; mov ax,[bp]
        assertEquals(12, m.vector());
        assertEquals(0x103, m.pushedIp());
    }

    @Test
    void thirtyTwoBitOffsetBeyondTheLimitFaults() {
        // mov ebx,10000h; mov al,[ebx]
        TestMachine m = new TestMachine().code(0x66, 0xBB, 0, 0, 1, 0, 0x67, 0x8A, 0x03, 0xF4).run();
        assertEquals(13, m.vector());
        assertEquals(0x106, m.pushedIp());
    }

    @Test
    void dwordAtFffdFaults() {
        TestMachine m = new TestMachine().code(0x66, 0xA1, 0xFD, 0xFF, 0xF4).run(); // mov eax,[FFFDh]
        assertEquals(13, m.vector());
    }

    @Test
    void movToCsIsUndefined() {
        TestMachine m = new TestMachine().code(0x8E, 0xC8, 0xF4).run(); // mov cs,ax
        assertEquals(6, m.vector());
    }

    @Test
    void ldsLoadsPointer() {
        TestMachine m = new TestMachine().data(0x1000, 0x34, 0x12, 0x00, 0x50);
        m.code(0xC5, 0x36, 0x00, 0x10, 0xF4).run(); // lds si,[1000h]
        assertEquals(0x1234, m.reg(Cpu.ESI));
        assertEquals(0x5000, m.cpu.seg[Cpu.DS].selector);
        assertEquals(0x50000, m.cpu.seg[Cpu.DS].base);
    }
}
