package dev.strata.emulator.cpu.exception;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.Flags;
import dev.strata.emulator.cpu.ProtectedModeMachine;
import org.junit.jupiter.api.Test;

/** INT n, exceptions and hardware interrupts through the protected-mode IDT, and IRET back. */
class ProtectedInterruptTest {

    /** sti; int 40h; mov ecx,1; hlt  and at 7240: pushfd; pop edx; mov ebx,BEEFh; iretd */
    private static ProtectedModeMachine intAndIret(int gateAccess) {
        ProtectedModeMachine p = new ProtectedModeMachine();
        p.gate(0x40, 0x08, 0x7240, gateAccess);
        p.code(0xfb, 0xcd, 0x40, 0xb9, 0x01, 0x00, 0x00, 0x00, 0xf4);
        p.at(0x7240, 0x9c, 0x5a, 0xbb, 0xef, 0xbe, 0x00, 0x00, 0xcf);
        return p.run();
    }

    @Test
    void intThroughInterruptGateRunsTheHandlerWithInterruptsOffAndIretReturns() {
        ProtectedModeMachine p = intAndIret(0x8E);
        assertEquals(-1, p.vector());
        assertEquals(0xBEEF, p.reg(Cpu.EBX));
        assertEquals(1, p.reg(Cpu.ECX));
        assertEquals(0, p.reg(Cpu.EDX) & Flags.IF, "interrupt gate clears IF");
        assertTrue((p.cpu.eflags & Flags.IF) != 0, "IRET restored IF");
        assertEquals(0x9000, p.reg(Cpu.ESP));
    }

    @Test
    void trapGateLeavesInterruptsOn() {
        ProtectedModeMachine p = intAndIret(0x8F);
        assertEquals(Flags.IF, p.reg(Cpu.EDX) & Flags.IF);
        assertEquals(1, p.reg(Cpu.ECX));
    }

    @Test
    void notPresentGateRaisesNpWithTheIdtErrorCode() {
        ProtectedModeMachine p = intAndIret(0x0E);
        assertEquals(11, p.vector());
        assertEquals(0x40 * 8 + 2, p.errorCode());
    }

    @Test
    void vectorBeyondTheIdtLimitRaisesGp() {
        ProtectedModeMachine p = new ProtectedModeMachine();
        p.m.mem.write16(0x0F08, 0x3F * 8 + 7);
        p.code(0xcd, 0x40, 0xf4).run(); // int 40h
        assertEquals(13, p.vector());
        assertEquals(0x40 * 8 + 2, p.errorCode());
    }

    @Test
    void exceptionWithoutErrorCodePushesOnlyTheReturnFrame() {
        // xor ecx,ecx; div ecx
        ProtectedModeMachine p = new ProtectedModeMachine().code(0x31, 0xc9, 0xf7, 0xf1, 0xf4).run();
        assertEquals(0, p.vector());
        assertEquals(ProtectedModeMachine.CODE32 + 2, p.stack(0));
        assertEquals(0x08, p.stack(1));
        assertEquals(0x9000 - 12, p.reg(Cpu.ESP));
    }

    @Test
    void hardwareInterruptIsDeliveredThroughTheIdt() {
        ProtectedModeMachine p = new ProtectedModeMachine();
        p.cpu.setInterruptAcknowledge(() -> 0x21);
        p.code(0xfb, 0x90, 0x90, 0xeb, 0xfe); // sti; nop; nop; jmp $
        p.m.cpu.run(200);
        p.cpu.setIntr(true);
        p.m.cpu.run(50);
        assertEquals(0x21, p.vector());
        assertEquals(0x08, p.stack(1));
    }

    @Test
    void ringThreeIntSwitchesToTheRingZeroStackFromTheTss() {
        ProtectedModeMachine p = new ProtectedModeMachine();
        p.gate(0x41, 0x08, 0x7260, 0xEE);
        // mov ax,60h; ltr ax; push 4Bh; push 8800h; push 202h; push 43h; push 7240h; iretd
        p.code(0x66, 0xb8, 0x60, 0x00, 0x0f, 0x00, 0xd8, 0x6a, 0x4b, 0x68, 0x00, 0x88, 0x00, 0x00,
                0x68, 0x02, 0x02, 0x00, 0x00, 0x6a, 0x43, 0x68, 0x40, 0x72, 0x00, 0x00, 0xcf);
        p.at(0x7240, 0x8c, 0xc8, 0x8c, 0xd3, 0xcd, 0x41, 0xf4); // ring 3: mov eax,cs; mov ebx,ss; int 41h; hlt
        p.at(0x7260, 0x89, 0xe6, 0x8b, 0x7c, 0x24, 0x0c, 0xf4); // ring 0: mov esi,esp; mov edi,[esp+12]; hlt
        p.run();
        assertEquals(0x43, p.reg(Cpu.EAX) & 0xFFFF);
        assertEquals(0x4B, p.reg(Cpu.EBX) & 0xFFFF);
        assertEquals(0, p.cpu.cpl);
        assertEquals(0x9800 - 20, p.reg(Cpu.ESI));
        assertEquals(0x8800, p.reg(Cpu.EDI));
        assertEquals(0x8B, p.m.mem.read8(ProtectedModeMachine.GDT + 0x60 + 5), "LTR marked the TSS busy");
    }

    @Test
    void ringThreeIntThroughARingZeroGateFaults() {
        ProtectedModeMachine p = new ProtectedModeMachine();
        p.code(0x66, 0xb8, 0x60, 0x00, 0x0f, 0x00, 0xd8, 0x6a, 0x4b, 0x68, 0x00, 0x88, 0x00, 0x00,
                0x68, 0x02, 0x00, 0x00, 0x00, 0x6a, 0x43, 0x68, 0x40, 0x72, 0x00, 0x00, 0xcf);
        p.at(0x7240, 0xcd, 0x41, 0xf4); // ring 3: int 41h (gate DPL 0)
        p.run();
        assertEquals(13, p.vector());
        assertEquals(0x41 * 8 + 2, p.errorCode());
    }

    @Test
    void hardwareInterruptThroughAMissingGateDeliversNotPresentNotDoubleFault() {
        ProtectedModeMachine p = new ProtectedModeMachine();
        p.gate(0x21, 0x08, 0x4000 + 2 * 0x21, 0x0E); // not present
        p.cpu.setInterruptAcknowledge(() -> 0x21);
        p.code(0xfb, 0x90, 0x90, 0xeb, 0xfe); // sti; nop; nop; jmp $
        p.m.cpu.run(200);
        p.cpu.setIntr(true);
        p.m.cpu.run(50);
        assertEquals(11, p.vector());
        assertEquals(0x21 * 8 + 3, p.errorCode(), "IDT bit and EXT set");
    }

    @Test
    void contributoryFaultWhileDeliveringOneIsADoubleFault() {
        ProtectedModeMachine p = new ProtectedModeMachine();
        p.gate(0, 0x08, 0x4000, 0x0E); // #DE gate not present
        p.code(0x31, 0xc9, 0xf7, 0xf1, 0xf4).run(); // xor ecx,ecx; div ecx
        assertEquals(8, p.vector());
        assertEquals(0, p.errorCode());
    }
}
