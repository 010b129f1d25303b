package dev.strata.emulator.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.clock.ClockMode;
import dev.strata.emulator.cpu.system.TimeStampCounter;
import org.junit.jupiter.api.Test;

/** The CPU's time-stamp counter runs from the machine's virtual clock, so deterministic runs read the same TSC. */
class TimeStampCounterClockTest {

    private static long[] runAndRead() throws Exception {
        PcMachine machine = new PcMachine(new MachineSettings().memoryMb(4).clockMode(ClockMode.DETERMINISTIC)
                .firmware(new TestFirmware(TestFirmware.POWER_OFF)));
        assertEquals(RunOutcome.POWERED_OFF, new MachineRunner(machine).run());
        long nanos = machine.clock().nanos();
        return new long[] {nanos, machine.cpu().msr.tsc.read()};
    }

    @Test
    void counterIsVirtualTimeAtFourHundredMegahertz() throws Exception {
        long[] r = runAndRead();
        assertTrue(r[0] > 0);
        assertEquals(r[0] * TimeStampCounter.HZ / 1_000_000_000L, r[1]);
    }

    @Test
    void twoDeterministicRunsReadTheSameCounter() throws Exception {
        assertEquals(runAndRead()[1], runAndRead()[1]);
    }
}
