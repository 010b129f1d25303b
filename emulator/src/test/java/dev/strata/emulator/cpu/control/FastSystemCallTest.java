package dev.strata.emulator.cpu.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.Flags;
import dev.strata.emulator.cpu.ProtectedModeMachine;
import dev.strata.emulator.cpu.TestMachine;
import org.junit.jupiter.api.Test;

/** SYSENTER and SYSEXIT: flat segments from IA32_SYSENTER_CS, the stack and target from the MSRs or ECX/EDX. */
class FastSystemCallTest {

    /**
     * Ring 0 programs SYSENTER_CS = 08h, SYSENTER_ESP = 9000h, SYSENTER_EIP = kernel entry, sets IF and leaves by
     * SYSEXIT to the user code (ESP 8000h), which saves CS, SS and ESP in EAX, EBX, EBP and runs {@code user}.
     */
    private static ProtectedModeMachine program(int... user) {
        int[] kernel = {
            0x66, 0xb8, 0x60, 0x00, 0x0f, 0x00, 0xd8, // mov ax,60h; ltr ax (ring-0 stack for faults from ring 3)
            0xb9, 0x74, 0x01, 0x00, 0x00, 0xb8, 0x08, 0x00, 0x00, 0x00, 0x31, 0xd2, 0x0f, 0x30, // SYSENTER_CS = 08h
            0xb9, 0x75, 0x01, 0x00, 0x00, 0xb8, 0x00, 0x90, 0x00, 0x00, 0x0f, 0x30, // SYSENTER_ESP = 9000h
            0xb9, 0x76, 0x01, 0x00, 0x00, 0xb8, 0x00, 0x73, 0x00, 0x00, 0x0f, 0x30, // SYSENTER_EIP = 7300h
            0xfb, // sti
            0xb9, 0x00, 0x80, 0x00, 0x00, 0xba, 0x00, 0x72, 0x00, 0x00, // mov ecx,8000h; mov edx,user
            0x0f, 0x35, // sysexit
        };
        int[] save = {0x8c, 0xc8, 0x8c, 0xd3, 0x89, 0xe5}; // mov eax,cs; mov ebx,ss; mov ebp,esp
        ProtectedModeMachine p = new ProtectedModeMachine();
        p.code(kernel);
        // the user code sits at 7280h; SYSEXIT's EDX above is patched to it
        int userAt = ProtectedModeMachine.CODE32 + 0x80;
        p.m.mem.write32(ProtectedModeMachine.CODE32 + kernel.length - 6, userAt);
        p.at(userAt, save);
        p.at(userAt + save.length, user);
        p.at(0x7300, 0xf4); // the kernel entry: hlt
        return p;
    }

    @Test
    void sysexitEntersFlatRingThreeAndSysenterReturnsToFlatRingZero() {
        ProtectedModeMachine p = program(0x0f, 0x34, 0xf4).run(); // sysenter; hlt
        assertEquals(0x1B, p.reg(Cpu.EAX) & 0xFFFF, "user CS = SYSENTER_CS + 16, RPL 3");
        assertEquals(0x23, p.reg(Cpu.EBX) & 0xFFFF, "user SS = SYSENTER_CS + 24, RPL 3");
        assertEquals(0x8000, p.reg(Cpu.EBP), "user ESP from ECX");
        assertEquals(0x7301, p.cpu.eip, "halted at the SYSENTER_EIP entry");
        assertEquals(0x08, p.cpu.seg[Cpu.CS].selector);
        assertEquals(0x10, p.cpu.seg[Cpu.SS].selector);
        assertEquals(0, p.cpu.cpl);
        assertEquals(0x9000, p.reg(Cpu.ESP));
        assertEquals(0, p.cpu.eflags & Flags.IF, "SYSENTER clears IF");
        assertEquals(-1, p.cpu.seg[Cpu.SS].limit, "flat 4 GiB stack");
        assertEquals(true, p.cpu.seg[Cpu.CS].big());
    }

    @Test
    void sysexitOutsideRingZeroRaisesGeneralProtection() {
        ProtectedModeMachine p = program(0x0f, 0x35, 0xf4).run(); // sysexit from ring 3
        assertEquals(13, p.vector());
        assertEquals(0, p.errorCode());
    }

    @Test
    void sysenterWithNullSysenterCsRaisesGeneralProtection() {
        ProtectedModeMachine p = new ProtectedModeMachine().code(0x0f, 0x34, 0xf4).run();
        assertEquals(13, p.vector());
        assertEquals(0, p.errorCode());
        assertEquals(0x08, p.cpu.seg[Cpu.CS].selector);
    }

    @Test
    void sysenterInRealModeRaisesGeneralProtection() {
        TestMachine m = new TestMachine();
        m.cpu.msr.sysenterCs = 0x08;
        m.code(0x0f, 0x34, 0xf4).run();
        assertEquals(13, m.vector());
    }
}
