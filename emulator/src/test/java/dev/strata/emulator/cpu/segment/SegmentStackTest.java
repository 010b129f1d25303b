package dev.strata.emulator.cpu.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.ProtectedModeMachine;
import org.junit.jupiter.api.Test;

/** PUSH and POP of segment registers: which stack pointer moves and how many bytes are written. */
class SegmentStackTest {

    @Test
    void popSsMovesTheStackPointerBySizeOfTheOldStack() {
        ProtectedModeMachine p = new ProtectedModeMachine();
        p.descriptor(0x58, 0x20000, 0xFFFF, 0x92, 0); // 16-bit stack
        p.m.mem.write32(0x20000 + 0xFFFC, 0x10); // the flat 32-bit data selector
        // mov ax,58h; mov ss,ax; mov esp,2FFFCh; pop ss (32-bit); hlt
        p.code(0x66, 0xb8, 0x58, 0x00, 0x8e, 0xd0, 0xbc, 0xfc, 0xff, 0x02, 0x00, 0x17, 0xf4).run();
        assertEquals(-1, p.vector());
        assertEquals(0x10, p.cpu.seg[Cpu.SS].selector);
        assertEquals(0x00020000, p.reg(Cpu.ESP), "SP wrapped in 16 bits; the upper half of ESP is kept");
    }

    @Test
    void thirtyTwoBitPushOfSegmentRegisterWritesOnlyTheSelectorWord() {
        ProtectedModeMachine p = new ProtectedModeMachine();
        p.m.mem.write32(0x8FFC, 0xDEADBEEF);
        // push ds (32-bit operand); hlt
        p.code(0x1e, 0xf4).run();
        assertEquals(0x8FFC, p.reg(Cpu.ESP));
        assertEquals(0xDEAD0010, p.m.mem.read32(0x8FFC));
    }
}
