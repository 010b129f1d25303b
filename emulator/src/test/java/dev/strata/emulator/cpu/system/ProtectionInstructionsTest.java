package dev.strata.emulator.cpu.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.Flags;
import dev.strata.emulator.cpu.ProtectedModeMachine;
import dev.strata.emulator.cpu.TestMachine;
import org.junit.jupiter.api.Test;

/** LAR, LSL, VERR, VERW, ARPL and their real-mode #UD. */
class ProtectionInstructionsTest {

    @Test
    void larAndLslReportAccessRightsAndScaledLimits() {
        ProtectedModeMachine p = new ProtectedModeMachine();
        // mov dx,10h; lar eax,dx; lsl ebx,dx; mov dx,20h; lsl ecx,dx; mov dx,50h; lar esi,dx; lsl edi,dx; hlt
        p.code(0x66, 0xba, 0x10, 0x00, 0x0f, 0x02, 0xc2, 0x0f, 0x03, 0xda, 0x66, 0xba, 0x20, 0x00, 0x0f, 0x03, 0xca,
                0x66, 0xba, 0x50, 0x00, 0x0f, 0x02, 0xf2, 0x0f, 0x03, 0xfa, 0xf4).run();
        assertEquals(-1, p.vector());
        assertEquals(0x00CF9300, p.reg(Cpu.EAX));
        assertEquals(0xFFFFFFFF, p.reg(Cpu.EBX));
        assertEquals(0xFFF, p.reg(Cpu.ECX));
        assertEquals(0x00009800, p.reg(Cpu.ESI));
        assertEquals(0xFFFF, p.reg(Cpu.EDI));
        assertTrue(p.m.flag(Flags.ZF));
    }

    @Test
    void larOfTheNullSelectorClearsZfAndLeavesTheRegister() {
        // mov eax,1234h; xor edx,edx; lar eax,dx; hlt
        ProtectedModeMachine p = new ProtectedModeMachine()
                .code(0xb8, 0x34, 0x12, 0x00, 0x00, 0x31, 0xd2, 0x0f, 0x02, 0xc2, 0xf4).run();
        assertEquals(0x1234, p.reg(Cpu.EAX));
        assertFalse(p.m.flag(Flags.ZF));
    }

    @Test
    void verrAndVerwTellReadableFromWritable() {
        // mov dx,28h; verr dx; setz al; verw dx; setz bl; mov dx,10h; verw dx; setz cl; hlt
        ProtectedModeMachine p = new ProtectedModeMachine().code(0x66, 0xba, 0x28, 0x00, 0x0f, 0x00, 0xe2, 0x0f,
                0x94, 0xc0, 0x0f, 0x00, 0xea, 0x0f, 0x94, 0xc3, 0x66, 0xba, 0x10, 0x00, 0x0f, 0x00, 0xea, 0x0f, 0x94,
                0xc1, 0xf4).run();
        assertEquals(1, p.reg(Cpu.EAX) & 0xFF);
        assertEquals(0, p.reg(Cpu.EBX) & 0xFF);
        assertEquals(1, p.reg(Cpu.ECX) & 0xFF);
    }

    @Test
    void arplRaisesTheRequestedPrivilegeLevel() {
        // mov ax,10h; mov bx,3; arpl ax,bx; setz cl; hlt
        ProtectedModeMachine p = new ProtectedModeMachine()
                .code(0x66, 0xb8, 0x10, 0x00, 0x66, 0xbb, 0x03, 0x00, 0x63, 0xd8, 0x0f, 0x94, 0xc1, 0xf4).run();
        assertEquals(0x13, p.reg(Cpu.EAX) & 0xFFFF);
        assertEquals(1, p.reg(Cpu.ECX) & 0xFF);
    }

    @Test
    void protectedModeInstructionsAreUndefinedInRealMode() {
        assertEquals(6, new TestMachine().code(0x63, 0xd8, 0xf4).run().vector()); // arpl ax,bx
        assertEquals(6, new TestMachine().code(0x0f, 0x02, 0xc2, 0xf4).run().vector()); // lar ax,dx
        assertEquals(6, new TestMachine().code(0x0f, 0x00, 0xd8, 0xf4).run().vector()); // ltr ax
    }

    @Test
    void smswAndLmswWorkInRealModeAndLmswCannotClearPe() {
        // smsw ax; hlt
        TestMachine m = new TestMachine().code(0x0f, 0x01, 0xe0, 0xf4).run();
        assertEquals(0x10, m.reg(Cpu.EAX) & 0xFFFF);
        ProtectedModeMachine p = new ProtectedModeMachine();
        p.code(0x31, 0xc0, 0x0f, 0x01, 0xf0, 0xf4).run(); // xor eax,eax; lmsw ax; hlt
        assertTrue(p.cpu.protectedMode());
    }
}
