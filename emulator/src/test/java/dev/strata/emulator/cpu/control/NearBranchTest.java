package dev.strata.emulator.cpu.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.TestMachine;
import org.junit.jupiter.api.Test;

class NearBranchTest {

    @Test
    void sixteenBitRelativeTargetsWrapInsideTheSegment() {
        // at 0100: jmp near -0x111 wraps to FFF2, where a hlt waits (physical 7000 + FFF2)
        TestMachine m = new TestMachine().data(0x7000 + 0xFFF2, 0xF4).code(0xE9, 0xEF, 0xFE).run(); // jmp FFF2
        assertEquals(0xFFF3, m.cpu.eip);
    }

    @Test
    void thirtyTwoBitTargetBeyondTheLimitFaultsBeforeCallPushes() {
        // call dword with target 10000h: #GP, and SP untouched
        TestMachine m = new TestMachine().code(0x66, 0xE8, 0xFA, 0xFE, 0x00, 0x00).run();
        assertEquals(13, m.vector());
        assertEquals(0x100, m.pushedIp());
        assertEquals(TestMachine.STACK - 6, m.reg(Cpu.ESP), "only the exception frame was pushed");
    }

    @Test
    void callAndReturnRoundTrip() {
        // 0100: call 0106; 0103: hlt; ...; 0106: inc ax; ret
        TestMachine m = new TestMachine().code(0xE8, 0x03, 0x00, 0xF4, 0x90, 0x90, 0x40, 0xC3).run();
        assertEquals(1, m.reg(Cpu.EAX));
        assertEquals(0x104, m.cpu.eip);
        assertEquals(TestMachine.STACK, m.reg(Cpu.ESP));
    }

    @Test
    void farCallAndFarReturn() {
        // call 0000:3000 (retf there); hlt
        TestMachine m = new TestMachine().data(0x3000, 0x40, 0xCB).code(0x9A, 0x00, 0x30, 0x00, 0x00, 0xF4).run();
        assertEquals(1, m.reg(Cpu.EAX));
        assertEquals(TestMachine.CODE_SEGMENT, m.cpu.seg[Cpu.CS].selector);
        assertEquals(0x106, m.cpu.eip);
    }
}
