package dev.strata.emulator.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.clock.ClockMode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A machine that never stops must fail the test, not hang the build. */
@Timeout(120)
class OutputExpectationsTest {

    /**
     * Runs the input-output ROM in {@code mode} (it shows something at 150 ms, says "!" on E9h and spins) until
     * {@code expected} powers it off; returns how many instructions ran after the "!", or -1 when the machine
     * powered off before the ROM got to say it.
     */
    private static long instructionsAfterTheOutput(int mode, String expected) throws Exception {
        MachineSettings settings = new MachineSettings().memoryMb(4).clockMode(ClockMode.DETERMINISTIC)
                .firmware(TestFirmware.inputOutput(mode));
        PcMachine machine = new PcMachine(settings);
        long[] shownAt = {-1};
        machine.addDebugConsoleListener(b -> shownAt[0] = machine.cpu().instructions);
        OutputExpectations expectations = new OutputExpectations(List.of(expected));
        expectations.attach(machine, machine::requestPowerOff);
        assertEquals(RunOutcome.POWERED_OFF, new MachineRunner(machine).run());
        assertTrue(expectations.allMet());
        assertTrue(machine.clock().nanos() >= 150_000_000L, "not before the text was shown");
        return shownAt[0] < 0 ? -1 : machine.cpu().instructions - shownAt[0];
    }

    @Test
    void textWrittenToTheScreenPowersOffWithinOneBatch() throws Exception {
        long after = instructionsAfterTheOutput(TestFirmware.SCREEN_WRITE, "READY");
        assertTrue(after >= 0, "the ROM said it showed the text");
        assertTrue(after <= MachineRunner.MAX_BATCH + 1, after + " instructions ran after the text was shown");
    }

    @Test
    void textScrolledIntoViewByTheStartAddressPowersOffWithinOneBatch() throws Exception {
        long after = instructionsAfterTheOutput(TestFirmware.SCREEN_SCROLL, "SCROLLED IN");
        // the CRTC writes that scroll the text in are port accesses, which end the batch when an event is due (the
        // screen check is one): the machine may power off before the two instructions that report on E9h
        assertTrue(after <= MachineRunner.MAX_BATCH + 1, after + " instructions ran after the text was shown");
    }

    @Test
    void debugConsoleOutputPowersOffAtOnce() throws Exception {
        long after = instructionsAfterTheOutput(TestFirmware.SCREEN_WRITE, "!");
        assertTrue(after >= 0, "the ROM sent the text");
        // counted from the start of the block with the OUT (MOV AL, then OUT), which is the last one to run
        assertTrue(after <= 2, after + " instructions ran after the text was sent");
    }
}
