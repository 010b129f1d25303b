package dev.strata.emulator.cpu.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.Flags;
import dev.strata.emulator.cpu.TestMachine;
import org.junit.jupiter.api.Test;

class InterruptTest {

    /** A handler at 0000:3000 that records SI at [600h] and returns. */
    private static TestMachine withRecordingHandler(int vector) {
        TestMachine m = new TestMachine().data(0x3000, 0x89, 0x36, 0x00, 0x06, 0xCF); // mov [600h],si; iret
        m.mem.write16(0x600, 0xFFFF);
        return m.vectorTo(vector, 0x3000);
    }

    @Test
    void softwareInterruptRunsHandlerAndIretReturns() {
        TestMachine m = new TestMachine().data(0x3000, 0xB8, 0x34, 0x12, 0xCF).vectorTo(0x21, 0x3000); // mov ax,1234h; iret
        Flags.set(m.cpu, Flags.IF, Flags.IF);
        m.code(0xCD, 0x21, 0x43, 0xF4).run(); // int 21h; inc bx; hlt
        assertEquals(0x1234, m.reg(Cpu.EAX) & 0xFFFF);
        assertEquals(1, m.reg(Cpu.EBX));
        assertEquals(TestMachine.STACK, m.reg(Cpu.ESP));
        assertTrue(m.flag(Flags.IF), "IRET restores IF");
    }

    @Test
    void interruptClearsIfAndTfAndPushesFlagsCsIp() {
        TestMachine m = new TestMachine();
        Flags.set(m.cpu, Flags.IF | Flags.CF, Flags.IF | Flags.CF);
        m.code(0xCD, 0x30).run(); // int 30h -> HLT stub
        assertEquals(0x30, m.vector());
        assertFalse(m.flag(Flags.IF));
        assertEquals(0x102, m.pushedIp());
        assertEquals(TestMachine.CODE_SEGMENT, m.mem.read16(TestMachine.STACK - 4));
        assertEquals(Flags.IF | Flags.CF | 2, m.mem.read16(TestMachine.STACK - 2) & 0xFFF);
    }

    @Test
    void externalInterruptUsesTheAcknowledgedVector() {
        TestMachine m = withRecordingHandler(0x08);
        m.cpu.setInterruptAcknowledge(() -> {
            m.cpu.setIntr(false);
            return 0x08;
        });
        Flags.set(m.cpu, Flags.IF, Flags.IF);
        m.cpu.setIntr(true);
        m.code(0x46, 0xF4).run(); // inc si; hlt
        assertEquals(0, m.mem.read16(0x600), "taken before the first instruction");
        assertEquals(1, m.reg(Cpu.ESI));
    }

    @Test
    void maskedInterruptWaitsForSti() {
        TestMachine m = withRecordingHandler(0x08);
        m.cpu.setInterruptAcknowledge(() -> {
            m.cpu.setIntr(false);
            return 0x08;
        });
        m.cpu.setIntr(true);
        m.code(0x46, 0x46, 0xFB, 0x46, 0x46, 0x46, 0xF4).run(); // inc si x2; sti; inc si x3; hlt
        assertEquals(3, m.mem.read16(0x600), "STI shadow: one more instruction runs before the interrupt");
        assertEquals(5, m.reg(Cpu.ESI));
    }

    @Test
    void movSsHoldsOffInterruptsForOneInstruction() {
        TestMachine m = withRecordingHandler(0x08);
        m.cpu.setInterruptAcknowledge(() -> {
            m.cpu.setIntr(false);
            return 0x08;
        });
        Flags.set(m.cpu, Flags.IF, Flags.IF);
        m.code(0x8E, 0xD0, 0x46, 0x46, 0xF4); // mov ss,ax; inc si; inc si; hlt
        m.cpu.run(1);
        m.cpu.setIntr(true);
        m.run();
        assertEquals(1, m.mem.read16(0x600));
    }

    @Test
    void withoutShadowTheInterruptIsTakenAtOnce() {
        TestMachine m = withRecordingHandler(0x08);
        m.cpu.setInterruptAcknowledge(() -> {
            m.cpu.setIntr(false);
            return 0x08;
        });
        Flags.set(m.cpu, Flags.IF, Flags.IF);
        m.code(0x89, 0xC3, 0x46, 0x46, 0xF4); // mov bx,ax; inc si; inc si; hlt
        m.cpu.run(1);
        m.cpu.setIntr(true);
        m.run();
        assertEquals(0, m.mem.read16(0x600));
    }

    @Test
    void nmiIgnoresInterruptFlag() {
        TestMachine m = new TestMachine().code(0x90, 0x90, 0xF4);
        m.cpu.raiseNmi();
        m.run();
        assertEquals(2, m.vector());
    }

    @Test
    void haltedCpuWakesOnInterruptAndContinuesAfterHlt() {
        TestMachine m = withRecordingHandler(0x08);
        m.cpu.setInterruptAcknowledge(() -> {
            m.cpu.setIntr(false);
            return 0x08;
        });
        m.code(0xFB, 0xF4, 0x46, 0xF4).run(); // sti; hlt; inc si; hlt
        assertTrue(m.cpu.halted);
        assertEquals(0, m.reg(Cpu.ESI));
        m.cpu.setIntr(true);
        m.run();
        assertEquals(1, m.reg(Cpu.ESI));
    }

    @Test
    void int3AndIntoPushTheNextInstruction() {
        TestMachine m = new TestMachine().code(0xCC).run();
        assertEquals(3, m.vector());
        assertEquals(0x101, m.pushedIp());
        // mov al,7Fh; add al,1 (OF=1); into
        TestMachine n = new TestMachine().code(0xB0, 0x7F, 0x04, 0x01, 0xCE).run();
        assertEquals(4, n.vector());
        assertEquals(0x105, n.pushedIp());
    }

    @Test
    void boundOutOfRangeFaultsAtTheBoundInstruction() {
        TestMachine m = new TestMachine().data(0x1000, 0, 0, 10, 0); // bounds 0..10
        m.code(0xBB, 11, 0, 0x62, 0x1E, 0x00, 0x10, 0xF4).run(); // mov bx,11; bound bx,[1000h]
        assertEquals(5, m.vector());
        assertEquals(0x103, m.pushedIp());
    }

    @Test
    void trapFlagTrapsAfterOneInstruction() {
        TestMachine m = new TestMachine();
        m.code(0x9C, 0x58, 0x0D, 0x00, 0x01, 0x50, 0x9D, 0x46, 0x46, 0xF4); // pushf; pop ax; or ax,100h; push ax; popf; inc si...
        m.run();
        assertEquals(1, m.vector());
        assertEquals(0x108, m.pushedIp(), "trap after the first instruction run with TF set");
        assertEquals(1, m.reg(Cpu.ESI));
    }
}
