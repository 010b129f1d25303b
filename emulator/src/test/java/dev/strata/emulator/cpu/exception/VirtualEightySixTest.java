package dev.strata.emulator.cpu.exception;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.Flags;
import dev.strata.emulator.cpu.ProtectedModeMachine;
import org.junit.jupiter.api.Test;

/** IRET into virtual-8086 mode, real-mode addressing there, and INT n back out to ring 0 (or #GP under IOPL 0). */
class VirtualEightySixTest {

    /**
     * Ring 0: LTR, then IRETD to V86 at 0700:0300 with SS:SP 0800:0100, DS 2000, ES 3000 and the given EFLAGS.
     * V86 code: mov ax,1234h; mov bx,cs; mov cx,[0]; int 43h; hlt. Gate 43h (DPL 3) leads to ring 0 at 7280h:
     * mov esi,esp; hlt.
     */
    private static ProtectedModeMachine run(int eflags) {
        ProtectedModeMachine p = new ProtectedModeMachine();
        p.code(0x66, 0xb8, 0x60, 0x00, 0x0f, 0x00, 0xd8, // mov ax,60h; ltr ax
                0x6a, 0x00, 0x6a, 0x00, // push 0 (GS); push 0 (FS)
                0x68, 0x00, 0x20, 0x00, 0x00, 0x68, 0x00, 0x30, 0x00, 0x00, // push 2000h (DS); push 3000h (ES)
                0x68, 0x00, 0x08, 0x00, 0x00, 0x68, 0x00, 0x01, 0x00, 0x00, // push 800h (SS); push 100h (ESP)
                0x68, eflags & 0xFF, (eflags >>> 8) & 0xFF, (eflags >>> 16) & 0xFF, 0x00, // push eflags
                0x68, 0x00, 0x07, 0x00, 0x00, 0x68, 0x00, 0x03, 0x00, 0x00, // push 700h (CS); push 300h (EIP)
                0xcf); // iretd
        p.at(0x7300, 0xb8, 0x34, 0x12, 0x8c, 0xcb, 0x8b, 0x0e, 0x00, 0x00, 0xcd, 0x43, 0xf4);
        p.at(0x7280, 0x89, 0xe6, 0xf4);
        p.m.mem.write16(0x20000, 0xABCD);
        p.gate(0x43, 0x08, 0x7280, 0xEE);
        return p.run();
    }

    @Test
    void v86CodeUsesRealModeAddressingAndIntTakesItToRingZero() {
        ProtectedModeMachine p = run(0x23002); // VM, IOPL 3
        assertEquals(0x1234, p.reg(Cpu.EAX) & 0xFFFF);
        assertEquals(0x0700, p.reg(Cpu.EBX) & 0xFFFF);
        assertEquals(0xABCD, p.reg(Cpu.ECX) & 0xFFFF, "DS 2000h means base 20000h");
        assertEquals(0, p.cpu.cpl);
        assertEquals(0, p.cpu.eflags & Flags.VM);
        assertEquals(0x9800 - 36, p.reg(Cpu.ESI), "GS, FS, DS, ES, SS, ESP, EFLAGS, CS, EIP on the ring-0 stack");
        assertEquals(0x030B, p.stack(0), "return IP after INT 43h");
        assertEquals(0x0700, p.stack(1));
        assertTrue((p.stack(2) & Flags.VM) != 0, "pushed EFLAGS has VM");
        assertEquals(0x0100, p.stack(3));
        assertEquals(0x0800, p.stack(4));
        assertEquals(0x3000, p.stack(5), "ES");
        assertEquals(0x2000, p.stack(6), "DS");
        assertEquals(0, p.cpu.seg[Cpu.DS].selector, "data segment registers are nulled");
    }

    @Test
    void intUnderIoplBelowThreeRaisesGeneralProtection() {
        ProtectedModeMachine p = run(0x20002); // VM, IOPL 0
        assertEquals(13, p.vector());
        assertEquals(0, p.errorCode());
        assertEquals(0x0309, p.stack(1), "the INT instruction faulted");
        assertEquals(0x1234, p.reg(Cpu.EAX) & 0xFFFF);
    }
}
