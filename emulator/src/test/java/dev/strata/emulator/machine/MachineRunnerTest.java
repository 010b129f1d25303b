package dev.strata.emulator.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.clock.ClockMode;
import dev.strata.emulator.clock.TimedEvent;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A machine that never stops must fail the test, not hang the build. */
@Timeout(120)
class MachineRunnerTest {

    /** A machine on the test firmware with COM1 and E9h captured. */
    private static final class Rig {
        final ByteArrayOutputStream serial = new ByteArrayOutputStream();
        final ByteArrayOutputStream debug = new ByteArrayOutputStream();
        final TestFirmware firmware;
        final PcMachine machine;
        final MachineRunner runner;

        Rig(int mode) throws Exception {
            this(mode, false);
        }

        Rig(int mode, boolean serialLineRate) throws Exception {
            firmware = new TestFirmware(mode);
            MachineSettings settings = new MachineSettings().memoryMb(4).clockMode(ClockMode.DETERMINISTIC)
                    .firmware(firmware).serialSink(0, serial::write).debugConsole(debug::write)
                    .serialLineRate(serialLineRate);
            machine = new PcMachine(settings);
            runner = new MachineRunner(machine);
        }

        String serial() {
            return serial.toString(StandardCharsets.ISO_8859_1);
        }

        String debug() {
            return debug.toString(StandardCharsets.ISO_8859_1);
        }

        String screen() {
            return machine.vga().textScreen().toText();
        }
    }

    @Test
    void bootsWritesToCom1AndE9AndPowersOff() throws Exception {
        Rig rig = new Rig(TestFirmware.POWER_OFF);
        rig.runner.measureCpuTime(true);
        assertEquals(-1, rig.runner.cpuThreadNanos(), "no CPU time before the run ended");
        assertEquals(RunOutcome.POWERED_OFF, rig.runner.run());
        assertTrue(rig.runner.cpuThreadNanos() > 0, "the run's CPU time: " + rig.runner.cpuThreadNanos());
        String expected = "HELLO FROM STRATA TEST ROM, BOOT 1\r\nPOWER OFF\r\n";
        assertEquals(expected, rig.serial());
        assertEquals(expected, rig.debug());
        assertTrue(rig.screen().startsWith("SCREEN TEXT OK\n"), rig.screen());
        MachineStatistics stats = rig.runner.statistics();
        assertTrue(stats.instructions() > 100, stats.summary());
        assertTrue(stats.virtualSeconds() > 0, stats.summary());
        assertTrue(stats.blockHitRate() > 0 && stats.blockHitRate() <= 1, stats.summary());
    }

    @Test
    void progressIsToldOnTheCpuThreadOncePerMultipleOfItsInterval() throws Exception {
        Rig rig = new Rig(TestFirmware.SPIN);
        List<Long> counts = new java.util.ArrayList<>();
        List<Thread> threads = new java.util.ArrayList<>();
        long every = 2 * MachineRunner.MAX_BATCH; // a batch cannot pass two marks at once
        rig.runner.onProgress(every, cpu -> {
            counts.add(cpu.instructions);
            threads.add(Thread.currentThread());
            if (counts.size() == 5) {
                rig.machine.requestPowerOff();
            }
        });
        assertEquals(RunOutcome.POWERED_OFF, rig.runner.run());
        assertEquals(5, counts.size(), counts.toString());
        for (int k = 0; k < 5; k++) {
            long mark = (k + 1) * every;
            assertTrue(counts.get(k) >= mark && counts.get(k) < mark + MachineRunner.MAX_BATCH, counts.toString());
            assertEquals(Thread.currentThread(), threads.get(k));
        }
    }

    @Test
    void expectationsMetInOrderPowerTheMachineOff() throws Exception {
        Rig rig = new Rig(TestFirmware.SPIN);
        OutputExpectations expect = new OutputExpectations(List.of("TEST ROM", "BOOT 1", "SCREEN TEXT OK"));
        expect.attach(rig.machine, rig.machine::requestPowerOff);
        assertEquals(RunOutcome.POWERED_OFF, rig.runner.run());
        assertTrue(expect.allMet());
        assertEquals(3, expect.metCount());
    }

    @Test
    void aPowerOffRequestLeavesTheProcessorAsItWasForASavedState() throws Exception {
        Rig rig = new Rig(TestFirmware.SPIN);
        // the greeting is sent with interrupts off; a request then must not leave a HLT behind in the CPU
        boolean[] interruptsOff = new boolean[1];
        rig.machine.addDebugConsoleListener(b -> {
            interruptsOff[0] = (rig.machine.cpu().eflags & dev.strata.emulator.cpu.Flags.IF) == 0;
            rig.machine.requestPowerOff();
        });
        assertEquals(RunOutcome.POWERED_OFF, rig.runner.run());
        assertTrue(interruptsOff[0], "the test ROM writes E9h with interrupts off");
        assertFalse(rig.machine.cpu().halted, "the CPU was running, not halted, when the power-off came");
    }

    @Test
    void powerOffAfterSerialDrainLetsCom1FinishItsCharacter() throws Exception {
        Rig rig = new Rig(TestFirmware.SPIN, true);
        // 20 us after E9h gets the B of BOOT, COM1 is in the middle of sending it (a character takes 87 us)
        TimedEvent powerOff = new TimedEvent("test.power-off", d -> rig.machine.requestPowerOffAfterSerialDrain());
        boolean[] seen = new boolean[1];
        rig.machine.addDebugConsoleListener(b -> {
            if (b == 'B' && !seen[0]) {
                seen[0] = true;
                rig.machine.clock().scheduler().scheduleIn(powerOff, 20_000);
            }
        });
        rig.runner.start();
        RunOutcome outcome = rig.runner.await(30, TimeUnit.SECONDS);
        rig.runner.stop();
        assertEquals(RunOutcome.POWERED_OFF, outcome);
        assertTrue(rig.serial().contains("ROM, B"), "the B in flight was sent: " + rig.serial());
    }

    @Test
    void powerOffAfterSerialDrainWaitsUntilCom1HasGoneQuiet() throws Exception {
        Rig rig = new Rig(TestFirmware.SPIN);
        // asked for as E9h gets the B of BOOT (the ROM writes each character to COM1, then to E9h): the rest of the
        // line follows on COM1 a character a microsecond, and the machine waits for it to stop before powering off
        rig.machine.addDebugConsoleListener(b -> {
            if (rig.debug().endsWith("ROM, B")) {
                rig.machine.requestPowerOffAfterSerialDrain();
            }
        });
        rig.runner.start();
        RunOutcome outcome = rig.runner.await(30, TimeUnit.SECONDS);
        rig.runner.stop();
        assertEquals(RunOutcome.POWERED_OFF, outcome);
        assertTrue(rig.serial().endsWith("ROM, BOOT 1\r\n"), "the line was finished on COM1: " + rig.serial());
    }

    @Test
    void expectationsOutOfOrderAreNotMet() throws Exception {
        Rig rig = new Rig(TestFirmware.SPIN);
        OutputExpectations expect = new OutputExpectations(List.of("BOOT 1", "TEST ROM"));
        expect.attach(rig.machine, rig.machine::requestPowerOff);
        rig.runner.start();
        // the guest spins forever after its greeting; give it virtual time well past the output, then stop
        while (rig.machine.clock().nanos() < 200_000_000L && rig.runner.outcome() == null) {
            Thread.sleep(5);
        }
        rig.runner.stop();
        assertEquals(RunOutcome.STOPPED, rig.runner.await(30, TimeUnit.SECONDS));
        assertEquals(1, expect.metCount());
        assertEquals("TEST ROM", expect.nextPending());
        assertTrue(rig.screen().contains("SCREEN TEXT OK"), "the screen a timeout reports: " + rig.screen());
    }

    @Test
    void deterministicRunsAreIdentical() throws Exception {
        Rig first = new Rig(TestFirmware.POWER_OFF);
        Rig second = new Rig(TestFirmware.POWER_OFF);
        first.runner.run();
        second.runner.run();
        assertEquals(first.serial(), second.serial());
        assertEquals(first.machine.cpu().instructions, second.machine.cpu().instructions);
        assertEquals(first.machine.clock().nanos(), second.machine.clock().nanos());
    }

    @Test
    void tripleFaultResetsTheMachineAndTheFirmwareStartsAgain() throws Exception {
        Rig rig = new Rig(TestFirmware.TRIPLE_FAULT);
        assertEquals(RunOutcome.POWERED_OFF, rig.runner.run());
        assertEquals("HELLO FROM STRATA TEST ROM, BOOT 1\r\nHELLO FROM STRATA TEST ROM, BOOT 2\r\nPOWER OFF\r\n",
                rig.serial());
        assertEquals(1, rig.machine.cpu().shutdowns);
        assertEquals(1, rig.machine.resets());
        assertEquals(2, rig.firmware.powerOns);
    }

    @Test
    void tripleFaultEndsTheRunWhenToldToExitOnReset() throws Exception {
        Rig rig = new Rig(TestFirmware.TRIPLE_FAULT);
        rig.runner.exitOnReset(true);
        assertEquals(RunOutcome.RESET, rig.runner.run());
        assertTrue(rig.serial().startsWith("HELLO FROM STRATA TEST ROM, BOOT 1\r\n"), rig.serial());
        assertFalse(rig.serial().contains("BOOT 2"), rig.serial());
        assertEquals(0, rig.machine.resets());
    }

    @Test
    void keyboardControllerPulseResetsTheMachine() throws Exception {
        Rig rig = new Rig(TestFirmware.KBC_RESET);
        assertEquals(RunOutcome.POWERED_OFF, rig.runner.run());
        assertTrue(rig.serial().contains("BOOT 2\r\nPOWER OFF"), rig.serial());
        assertEquals(0, rig.machine.cpu().shutdowns);
        assertEquals(1, rig.machine.resets());
    }

    @Test
    void haltWithInterruptsDisabledEndsTheRun() throws Exception {
        Rig rig = new Rig(TestFirmware.HALT);
        assertEquals(RunOutcome.HALTED, rig.runner.run());
        assertTrue(rig.serial().endsWith("BOOT 1\r\n"), rig.serial());
    }

    @Test
    void typedKeysReachTheKeyboardControllerOnTheVirtualClock() throws Exception {
        Rig rig = new Rig(TestFirmware.SPIN);
        rig.machine.keyInput().type("a");
        rig.runner.start();
        while (rig.machine.clock().nanos() < 100_000_000L && rig.runner.outcome() == null) {
            Thread.sleep(5);
        }
        rig.runner.stop();
        assertEquals(RunOutcome.STOPPED, rig.runner.await(30, TimeUnit.SECONDS));
        assertEquals(1, rig.machine.io().in(0x64, 1) & 1, "output buffer full");
        assertEquals(0x1E, rig.machine.io().in(0x60, 1), "set 1 make code of A");
    }

    @Test
    void pausedMachineDoesNotRunAndResumes() throws Exception {
        Rig rig = new Rig(TestFirmware.SPIN);
        rig.runner.start();
        rig.runner.pause();
        assertTrue(rig.runner.isPaused());
        long before = rig.machine.cpu().instructions;
        Thread.sleep(20);
        assertEquals(before, rig.machine.cpu().instructions);
        rig.runner.resume();
        while (rig.machine.cpu().instructions == before) {
            Thread.sleep(1);
        }
        rig.runner.execute(PcMachine::requestPowerOff);
        assertEquals(RunOutcome.POWERED_OFF, rig.runner.await(30, TimeUnit.SECONDS));
        assertFalse(rig.runner.isPaused());
        assertNull(rig.runner.failure());
    }
}
