package dev.strata.emulator.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InstructionTracerTest {

    @Test
    void tracerSeesEveryInstructionAddress() {
        TestMachine m = new TestMachine().code(0x40, 0x43, 0xEB, 0x00, 0xF4); // inc ax; inc bx; jmp $+2; hlt
        List<Integer> seen = new ArrayList<>();
        m.cpu.setTracer(cpu -> seen.add(cpu.eip));
        m.run();
        assertEquals(List.of(0x100, 0x101, 0x102, 0x104), seen);
        assertEquals(1, m.reg(Cpu.EBX));
    }
}
