package dev.strata.emulator.cpu.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.ProtectedModeMachine;
import org.junit.jupiter.api.Test;

/** Limit and type checks on every access through a protected-mode segment. */
class ProtectedLimitTest {

    @Test
    void dwordCrossingAnExpandUpLimitFaults() {
        ProtectedModeMachine p = new ProtectedModeMachine();
        p.m.mem.write32(0x20FFC, 0x44332211);
        // mov ax,20h; mov ds,ax; mov eax,[0FFCh]; mov eax,[0FFDh]; hlt
        p.code(0x66, 0xb8, 0x20, 0x00, 0x8e, 0xd8, 0xa1, 0xfc, 0x0f, 0x00, 0x00, 0xa1, 0xfd, 0x0f, 0x00, 0x00, 0xf4)
                .run();
        assertEquals(13, p.vector());
        assertEquals(0, p.errorCode());
        assertEquals(ProtectedModeMachine.CODE32 + 11, p.stack(1));
        assertEquals(0x44332211, p.reg(Cpu.EAX), "the last dword inside the limit was read");
    }

    @Test
    void expandDownSegmentAllowsOnlyOffsetsAboveTheLimit() {
        ProtectedModeMachine p = new ProtectedModeMachine();
        p.m.mem.write8(0x31000, 0x11);
        p.m.mem.write8(0x3FFFF, 0x22);
        // mov ax,38h; mov ds,ax; mov al,[1000h]; mov bl,[0FFFFh]; mov cl,[0FFFh]; hlt
        p.code(0x66, 0xb8, 0x38, 0x00, 0x8e, 0xd8, 0xa0, 0x00, 0x10, 0x00, 0x00, 0x8a, 0x1d, 0xff, 0xff, 0x00, 0x00,
                0x8a, 0x0d, 0xff, 0x0f, 0x00, 0x00, 0xf4).run();
        assertEquals(13, p.vector());
        assertEquals(0x11, p.reg(Cpu.EAX) & 0xFF);
        assertEquals(0x22, p.reg(Cpu.EBX) & 0xFF);
        assertEquals(ProtectedModeMachine.CODE32 + 17, p.stack(1), "offset FFFh is at the limit: outside");
    }

    @Test
    void writeToReadOnlySegmentFaultsButReadWorks() {
        ProtectedModeMachine p = new ProtectedModeMachine();
        p.m.mem.write8(0, 0x5A);
        // mov ax,28h; mov ds,ax; mov bl,[0]; mov [0],bl; hlt
        p.code(0x66, 0xb8, 0x28, 0x00, 0x8e, 0xd8, 0x8a, 0x1d, 0, 0, 0, 0, 0x88, 0x1d, 0, 0, 0, 0, 0xf4).run();
        assertEquals(13, p.vector());
        assertEquals(0, p.errorCode());
        assertEquals(0x5A, p.reg(Cpu.EBX) & 0xFF);
        assertEquals(ProtectedModeMachine.CODE32 + 12, p.stack(1));
    }

    @Test
    void writeThroughCodeSegmentFaults() {
        // mov [cs:7000h],al; hlt
        ProtectedModeMachine p = new ProtectedModeMachine().code(0x2e, 0xa2, 0x00, 0x70, 0x00, 0x00, 0xf4).run();
        assertEquals(13, p.vector());
        assertEquals(0, p.errorCode());
    }

    @Test
    void stackAccessBeyondItsLimitRaisesStackFault() {
        ProtectedModeMachine p = new ProtectedModeMachine();
        p.descriptor(0x58, 0x20000, 0xFF, 0x92, 0);
        // mov ax,58h; mov ss,ax; mov esp,80h; mov eax,[ss:200h]; hlt
        p.code(0x66, 0xb8, 0x58, 0x00, 0x8e, 0xd0, 0xbc, 0x80, 0x00, 0x00, 0x00, 0x36, 0xa1, 0x00, 0x02, 0x00, 0x00,
                0xf4).run();
        assertEquals(12, p.vector());
        assertEquals(0, p.errorCode());
        assertEquals(ProtectedModeMachine.CODE32 + 11, p.stack(1));
        assertEquals(0x80 - 16, p.reg(Cpu.ESP), "error code, EIP, CS, EFLAGS on the 16-bit-limit stack");
    }
}
