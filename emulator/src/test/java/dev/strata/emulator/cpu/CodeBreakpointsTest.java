package dev.strata.emulator.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CodeBreakpointsTest {

    /** Stops at the given linear addresses, recording each address asked about. */
    private static final class Points implements CodeBreakpoints {
        final List<Integer> at;
        final List<Integer> asked = new ArrayList<>();

        Points(Integer... at) {
            this.at = List.of(at);
        }

        @Override
        public boolean stopsBefore(int linear) {
            asked.add(linear);
            return at.contains(linear);
        }

        @Override
        public boolean anyIn(int linear, int length) {
            return at.stream().anyMatch(p -> Integer.compareUnsigned(p - linear, length) < 0);
        }
    }

    // inc ax; inc bx; inc cx; inc dx; hlt: one block of five instructions
    private static final int[] CODE = {0x40, 0x43, 0x41, 0x42, 0xF4};

    @Test
    void theRunStopsBeforeABreakpointInTheMiddleOfABlock() {
        TestMachine m = new TestMachine().code(CODE);
        m.cpu.setBreakpoints(new Points(TestMachine.CODE_PHYSICAL + 2));
        m.run();
        assertEquals(0x102, m.cpu.eip, "stopped before inc cx");
        assertEquals(1, m.reg(Cpu.EAX));
        assertEquals(1, m.reg(Cpu.EBX));
        assertEquals(0, m.reg(Cpu.ECX), "the instruction at the breakpoint has not run");
        assertEquals(2, m.cpu.instructions);
    }

    @Test
    void aBreakpointAtTheCurrentInstructionStopsBeforeAnythingRuns() {
        TestMachine m = new TestMachine().code(CODE);
        m.cpu.setBreakpoints(new Points(TestMachine.CODE_PHYSICAL));
        assertEquals(0, m.cpu.run(1000));
        assertEquals(0x100, m.cpu.eip);
    }

    @Test
    void removingTheBreakpointsLetsTheBlockRunWhole() {
        TestMachine m = new TestMachine().code(CODE);
        m.cpu.setBreakpoints(new Points(TestMachine.CODE_PHYSICAL + 3));
        m.run();
        assertEquals(0x103, m.cpu.eip);
        m.cpu.setBreakpoints(null);
        m.run();
        assertEquals(0x601, m.reg(Cpu.EDX), "reset leaves 600h in EDX; inc dx ran");
        assertTrue(m.cpu.halted);
    }

    @Test
    void aHaltedCpuIsNotStoppedByABreakpointAfterItsHlt() {
        TestMachine m = new TestMachine().code(0xF4, 0x40, 0xF4); // hlt; inc ax; hlt
        m.cpu.setBreakpoints(new Points(TestMachine.CODE_PHYSICAL + 1));
        m.run();
        assertTrue(m.cpu.halted);
        Points counting = new Points(TestMachine.CODE_PHYSICAL + 1);
        m.cpu.setBreakpoints(counting);
        assertEquals(0, m.cpu.run(1000));
        assertTrue(counting.asked.isEmpty(), "not asked while halted: " + counting.asked);
    }

    @Test
    void blocksWithoutABreakpointAreAskedAboutOnlyAtTheirStart() {
        TestMachine m = new TestMachine().code(CODE);
        Points none = new Points(0x50000);
        m.cpu.setBreakpoints(none);
        m.run();
        assertEquals(0x601, m.reg(Cpu.EDX), "reset leaves 600h in EDX; inc dx ran");
        assertEquals(List.of(TestMachine.CODE_PHYSICAL), none.asked.subList(0, 1));
        assertTrue(none.asked.size() <= 2, "one question per block, got " + none.asked);
    }
}
