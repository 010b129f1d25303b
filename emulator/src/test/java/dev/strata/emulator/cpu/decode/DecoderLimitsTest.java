package dev.strata.emulator.cpu.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.TestMachine;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Instruction length limit, LOCK validity and undefined opcodes. */
class DecoderLimitsTest {

    private static int[] prefixed(int prefixes, int... insn) {
        int[] code = new int[prefixes + insn.length];
        Arrays.fill(code, 0, prefixes, 0x3E);
        System.arraycopy(insn, 0, code, prefixes, insn.length);
        return code;
    }

    @Test
    void fifteenByteInstructionRuns() {
        TestMachine m = new TestMachine().code(prefixed(14, 0x40, 0xF4)).run(); // 14 x DS: + inc ax
        assertEquals(-1, m.vector());
        assertEquals(1, m.reg(Cpu.EAX));
    }

    @Test
    void sixteenByteInstructionRaisesGeneralProtection() {
        TestMachine m = new TestMachine().code(prefixed(15, 0x40, 0xF4)).run();
        assertEquals(13, m.vector());
        assertEquals(0x100, m.pushedIp());
        assertEquals(0, m.reg(Cpu.EAX));
    }

    @Test
    void lockOnMemoryAddIsAllowed() {
        TestMachine m = new TestMachine().code(0xB8, 2, 0, 0xBB, 0, 0x10, 0xF0, 0x01, 0x07, 0xF4).run(); // lock add [bx],ax
        assertEquals(-1, m.vector());
        assertEquals(2, m.mem.read16(0x1000));
    }

    @Test
    void lockOnRegisterDestinationIsUndefined() {
        TestMachine m = new TestMachine().code(0xF0, 0x01, 0xC3, 0xF4).run(); // lock add bx,ax
        assertEquals(6, m.vector());
        assertEquals(0x100, m.pushedIp());
    }

    @Test
    void lockOnNonLockableInstructionIsUndefined() {
        TestMachine m = new TestMachine().code(0xF0, 0x90, 0xF4).run(); // lock nop
        assertEquals(6, m.vector());
    }

    @Test
    void ud2AndUnassignedOpcodesRaiseInvalidOpcode() {
        TestMachine m = new TestMachine().code(0x0F, 0x0B).run();
        assertEquals(6, m.vector());
        TestMachine n = new TestMachine().code(0x0F, 0xFF).run();
        assertEquals(6, n.vector());
        TestMachine o = new TestMachine().code(0xFE, 0xD0).run(); // FE /2 is not defined for bytes
        assertEquals(6, o.vector());
    }
}
