package dev.strata.emulator.cpu.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.ProtectedModeMachine;
import org.junit.jupiter.api.Test;

/** Entering protected mode through the GDT, running 32-bit code, far CALL/RET, and going back to (unreal) real mode. */
class ProtectedModeEntryTest {

    @Test
    void farJumpIntoThirtyTwoBitCodeSegmentRunsThirtyTwoBitCode() {
        ProtectedModeMachine p = new ProtectedModeMachine();
        p.m.mem.write32(0x100000, 0xCAFEF00D);
        // mov eax,[100000h]; mov ecx,11223344h; hlt  (no prefixes: the D bit makes them 32-bit)
        p.code(0xa1, 0x00, 0x00, 0x10, 0x00, 0xb9, 0x44, 0x33, 0x22, 0x11, 0xf4).run();
        assertEquals(-1, p.vector());
        assertEquals(0xCAFEF00D, p.reg(Cpu.EAX));
        assertEquals(0x11223344, p.reg(Cpu.ECX));
        assertTrue(p.cpu.protectedMode());
        assertTrue(p.cpu.seg[Cpu.CS].big());
        assertEquals(0x08, p.cpu.seg[Cpu.CS].selector);
        assertEquals(0xFFFFFFFF, p.cpu.seg[Cpu.DS].limit);
        assertEquals(0, p.cpu.cpl);
        assertEquals(0x9B, p.m.mem.read8(ProtectedModeMachine.GDT + 8 + 5), "accessed bit set in the GDT");
    }

    @Test
    void farCallAndRetfStayInTheSegmentAndBalanceTheStack() {
        ProtectedModeMachine p = new ProtectedModeMachine();
        p.code(0x9a, 0x40, 0x72, 0x00, 0x00, 0x08, 0x00, 0x89, 0xe1, 0xf4); // call 08:7240; mov ecx,esp; hlt
        p.at(0x7240, 0xbb, 0x07, 0x00, 0x00, 0x00, 0xcb); // mov ebx,7; retf
        p.run();
        assertEquals(-1, p.vector());
        assertEquals(7, p.reg(Cpu.EBX));
        assertEquals(0x9000, p.reg(Cpu.ECX));
    }

    @Test
    void farJumpToANullSelectorRaisesGeneralProtection() {
        ProtectedModeMachine p = new ProtectedModeMachine();
        p.code(0xea, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf4).run(); // jmp 0000:00000000
        assertEquals(13, p.vector());
        assertEquals(0, p.errorCode());
        assertEquals(ProtectedModeMachine.CODE32, p.stack(1), "the faulting instruction's EIP");
    }

    @Test
    void farJumpToADataSegmentRaisesGeneralProtectionWithTheSelector() {
        ProtectedModeMachine p = new ProtectedModeMachine();
        p.code(0xea, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0xf4).run(); // jmp 0010:00000000
        assertEquals(13, p.vector());
        assertEquals(0x10, p.errorCode());
    }

    @Test
    void leavingProtectedModeKeepsFourGigabyteLimits() {
        ProtectedModeMachine p = new ProtectedModeMachine();
        p.m.mem.write32(0x100000, 0x600DCAFE);
        p.code(0xea, 0x10, 0x02, 0x00, 0x00, 0x18, 0x00); // jmp 18:0210 (16-bit code, base 7000h)
        // mov eax,cr0; and al,FEh; mov cr0,eax; jmp 0000:7220
        p.at(0x7210, 0x0f, 0x20, 0xc0, 0x24, 0xfe, 0x0f, 0x22, 0xc0, 0xea, 0x20, 0x72, 0x00, 0x00);
        // xor ax,ax; mov ds,ax; mov eax,[dword 100000h]; hlt
        p.at(0x7220, 0x31, 0xc0, 0x8e, 0xd8, 0x66, 0x67, 0xa1, 0x00, 0x00, 0x10, 0x00, 0xf4);
        p.run();
        assertEquals(-1, p.vector());
        assertFalse(p.cpu.protectedMode());
        assertEquals(0x600DCAFE, p.reg(Cpu.EAX));
        assertEquals(0, p.cpu.seg[Cpu.DS].base);
        assertEquals(0xFFFFFFFF, p.cpu.seg[Cpu.DS].limit, "unreal mode: the limit cached in protected mode stays");
        assertEquals(0, p.cpu.seg[Cpu.CS].base);
        assertFalse(p.cpu.seg[Cpu.CS].big());
    }

    @Test
    void callGateFromRingThreeCopiesParametersToTheRingZeroStackAndRetfReturns() {
        ProtectedModeMachine p = new ProtectedModeMachine();
        int gate = ProtectedModeMachine.GDT + 0x58;
        p.m.mem.write32(gate, 0x7280 | (0x08 << 16));
        p.m.mem.write32(gate + 4, (0xEC << 8) | 1); // 32-bit call gate, DPL 3, one parameter
        // mov ax,60h; ltr ax; push 4Bh; push 8800h; push 2; push 43h; push 7240h; iretd  (to ring 3)
        p.code(0x66, 0xb8, 0x60, 0x00, 0x0f, 0x00, 0xd8, 0x6a, 0x4b, 0x68, 0x00, 0x88, 0x00, 0x00,
                0x68, 0x02, 0x00, 0x00, 0x00, 0x6a, 0x43, 0x68, 0x40, 0x72, 0x00, 0x00, 0xcf);
        // ring 3: mov ax,4Bh; mov ds,ax; push 1234h; call 5Bh:0; mov ecx,esp; mov edx,cs; hlt (#GP: privileged)
        p.at(0x7240, 0x66, 0xb8, 0x4b, 0x00, 0x8e, 0xd8, 0x68, 0x34, 0x12, 0x00, 0x00, 0x9a, 0x00, 0x00, 0x00, 0x00,
                0x5b, 0x00, 0x89, 0xe1, 0x8c, 0xca, 0xf4);
        p.at(0x7280, 0x8b, 0x44, 0x24, 0x08, 0x89, 0xe3, 0xca, 0x04, 0x00); // ring 0: mov eax,[esp+8]; mov ebx,esp; retf 4
        p.run();
        assertEquals(0x1234, p.reg(Cpu.EAX), "the parameter was copied");
        assertEquals(0x9800 - 20, p.reg(Cpu.EBX), "EIP, CS, parameter, ESP, SS on the ring-0 stack");
        assertEquals(0x8800, p.reg(Cpu.ECX), "RETF 4 released the parameter on the ring-3 stack");
        assertEquals(0x43, p.reg(Cpu.EDX) & 0xFFFF);
        assertEquals(13, p.vector(), "HLT is privileged");
        assertEquals(0x43, p.stack(2));
    }
}
