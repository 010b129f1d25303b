package dev.strata.emulator.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** A debugger's single step holds external interrupts pending, so it runs the guest's next instruction. */
class HeldInterruptsTest {

    @Test
    void aHeldInterruptWaitsAndIsDeliveredOnceLetIn() {
        TestMachine m = new TestMachine().code(0x40, 0x40, 0xF4); // inc ax; inc ax; hlt
        m.cpu.eflags |= Flags.IF;
        m.cpu.setInterruptAcknowledge(() -> 0x20);
        m.cpu.setIntr(true);
        m.cpu.holdExternalInterrupts(true);
        assertEquals(1, m.cpu.run(1));
        assertEquals(0x101, m.cpu.eip, "the step ran inc ax, not the interrupt");
        assertEquals(1, m.reg(Cpu.EAX));
        m.cpu.holdExternalInterrupts(false);
        m.cpu.run(1);
        assertEquals(0x0000, m.cpu.seg[Cpu.CS].selector, "now delivered: vector 20h points at 0000:4040");
        assertEquals(0x4040 + 1, m.cpu.eip, "its HLT ran");
    }
}
