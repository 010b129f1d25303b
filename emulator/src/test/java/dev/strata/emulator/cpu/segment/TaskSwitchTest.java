package dev.strata.emulator.cpu.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.Flags;
import dev.strata.emulator.cpu.ProtectedModeMachine;
import org.junit.jupiter.api.Test;

/** Hardware task switches between the fixture's TSS (60h) and a second 32-bit TSS at 5100h (68h). */
class TaskSwitchTest {

    private static final int TSS_B = 0x5100;

    private static ProtectedModeMachine machine() {
        ProtectedModeMachine p = new ProtectedModeMachine();
        p.descriptor(0x68, TSS_B, 0x67, 0x89, 0);
        p.m.mem.write32(TSS_B + 0x20, 0x7280); // EIP
        p.m.mem.write32(TSS_B + 0x24, 2); // EFLAGS
        p.m.mem.write32(TSS_B + 0x28 + 4 * Cpu.ESP, 0x8C00);
        p.m.mem.write32(TSS_B + 0x28 + 4 * Cpu.EBX, 0x2222);
        for (int s = 0; s < 4; s++) {
            p.m.mem.write16(TSS_B + 0x48 + 4 * s, s == Cpu.CS ? 0x08 : 0x10);
        }
        return p;
    }

    @Test
    void callToATssSwitchesTasksAndIretReturnsThroughTheBackLink() {
        ProtectedModeMachine p = machine();
        // mov ax,60h; ltr ax; mov ebx,1111h; call 68h:0; mov ecx,2; hlt
        p.code(0x66, 0xb8, 0x60, 0x00, 0x0f, 0x00, 0xd8, 0xbb, 0x11, 0x11, 0x00, 0x00, 0x9a, 0x00, 0x00, 0x00, 0x00,
                0x68, 0x00, 0xb9, 0x02, 0x00, 0x00, 0x00, 0xf4);
        // task B: pushfd; pop esi; mov [600h],esi; mov [604h],ebx; iretd
        p.at(0x7280, 0x9c, 0x5e, 0x89, 0x35, 0x00, 0x06, 0x00, 0x00, 0x89, 0x1d, 0x04, 0x06, 0x00, 0x00, 0xcf);
        p.run();
        assertEquals(-1, p.vector());
        assertEquals(Flags.NT, p.m.mem.read32(0x600) & Flags.NT, "the called task runs nested");
        assertEquals(0x2222, p.m.mem.read32(0x604), "task B's registers came from its TSS");
        assertEquals(0x1111, p.reg(Cpu.EBX), "task A's registers were saved and restored");
        assertEquals(2, p.reg(Cpu.ECX));
        assertEquals(0x60, p.cpu.task.selector);
        assertEquals(0x60, p.m.mem.read16(TSS_B), "back link");
        assertEquals(0x8B, p.m.mem.read8(ProtectedModeMachine.GDT + 0x60 + 5), "task A busy again");
        assertEquals(0x89, p.m.mem.read8(ProtectedModeMachine.GDT + 0x68 + 5), "task B no longer busy");
        assertEquals(0, p.cpu.eflags & Flags.NT);
        assertTrue((p.cpu.cr0 & 8) != 0, "CR0.TS set by the switch");
    }

    @Test
    void interruptThroughATaskGateSwitchesToTheGateTask() {
        ProtectedModeMachine p = machine();
        p.m.mem.write32(ProtectedModeMachine.IDT + 0x42 * 8, 0x68 << 16);
        p.m.mem.write32(ProtectedModeMachine.IDT + 0x42 * 8 + 4, 0x8500); // task gate, present
        p.code(0x66, 0xb8, 0x60, 0x00, 0x0f, 0x00, 0xd8, 0xcd, 0x42, 0xf4); // mov ax,60h; ltr ax; int 42h; hlt
        p.at(0x7280, 0xf4); // task B: hlt
        p.run();
        assertEquals(0x68, p.cpu.task.selector);
        assertEquals(0x7281, p.cpu.eip);
        assertEquals(0x8C00, p.reg(Cpu.ESP));
        assertEquals(ProtectedModeMachine.CODE32 + 9, p.m.mem.read32(ProtectedModeMachine.TSS + 0x20),
                "task A saved with EIP after the INT");
    }
}
