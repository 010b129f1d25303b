package dev.strata.emulator.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.clock.ClockMode;
import dev.strata.emulator.device.keyboard.KeyInputQueue;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A machine that never stops must fail the test, not hang the build. */
@Timeout(120)
class ScriptedTypingTest {

    /** The set 1 make code of A, which typing "a" sends first. */
    private static final int A_MAKE = 0x1E;

    /** A deterministic machine on the input-output ROM; E9h bytes are kept with the virtual time they came at. */
    private static final class Rig {
        final PcMachine machine;
        final MachineRunner runner;
        final StringBuilder debug = new StringBuilder();
        final List<Long> debugNanos = new ArrayList<>();

        Rig(int mode) throws Exception {
            MachineSettings settings = new MachineSettings().memoryMb(4).clockMode(ClockMode.DETERMINISTIC)
                    .firmware(TestFirmware.inputOutput(mode));
            machine = new PcMachine(settings);
            machine.addDebugConsoleListener(b -> {
                debug.append((char) b);
                debugNanos.add(machine.clock().nanos());
            });
            runner = new MachineRunner(machine);
        }
    }

    /**
     * Types "a" on the ROM doing {@code mode}: "W" on E9h says nothing had been typed after 1.5 virtual seconds, then
     * the key must follow within two key intervals of the guest's first read.
     */
    private static void assertTheKeyFollowsTheFirstRead(int mode) throws Exception {
        Rig rig = new Rig(mode);
        new ScriptedTyping(rig.machine, "a");
        assertEquals(RunOutcome.POWERED_OFF, rig.runner.run());
        assertEquals("W" + (char) A_MAKE, rig.debug.toString());
        long wait = rig.debugNanos.get(1) - rig.debugNanos.get(0);
        assertTrue(wait <= 2 * KeyInputQueue.DEFAULT_INTERVAL_NANOS, "the key came " + wait + " ns after the read");
    }

    @Test
    void aGuestThatReadsPort60hLateGetsItsKeysFromThen() throws Exception {
        assertTheKeyFollowsTheFirstRead(TestFirmware.READ_LATE);
    }

    @Test
    void aGuestPollingTheStatusPortForAKeyGetsIt() throws Exception {
        assertTheKeyFollowsTheFirstRead(TestFirmware.POLL_LATE);
    }

    @Test
    void aGuestThatNeverReadsTheKeyboardGetsNothingTyped() throws Exception {
        Rig rig = new Rig(TestFirmware.NEVER_READS);
        ScriptedTyping typing = new ScriptedTyping(rig.machine, "a");
        assertEquals(RunOutcome.POWERED_OFF, rig.runner.run());
        assertEquals("W", rig.debug.toString());
        assertTrue(rig.machine.clock().nanos() > 1_500_000_000L, rig.machine.clock().nanos() + " ns");
        assertTrue(typing.armed());
        assertEquals(0, rig.machine.keyInput().pending());
    }

    @Test
    void typingStartsAtTheSameInstructionInEveryDeterministicRun() throws Exception {
        Rig first = new Rig(TestFirmware.READ_LATE);
        Rig second = new Rig(TestFirmware.READ_LATE);
        new ScriptedTyping(first.machine, "a");
        new ScriptedTyping(second.machine, "a");
        first.runner.run();
        second.runner.run();
        assertEquals(first.debug.toString(), second.debug.toString());
        assertEquals(first.debugNanos, second.debugNanos);
        assertEquals(first.machine.cpu().instructions, second.machine.cpu().instructions);
    }

    @Test
    void rearmingTypesTheTextAgainAtTheNextRead() throws Exception {
        Rig rig = new Rig(TestFirmware.READ_LATE);
        ScriptedTyping typing = new ScriptedTyping(rig.machine, "ab");
        rig.machine.keyboardController().readPort(0x60);
        assertFalse(typing.armed());
        assertEquals(4, rig.machine.keyInput().pending(), "press and release of a and b");
        rig.machine.keyboardController().readPort(0x60);
        assertEquals(4, rig.machine.keyInput().pending(), "typed once per arming");
        typing.rearm();
        rig.machine.keyboardController().readPort(0x60);
        assertEquals(8, rig.machine.keyInput().pending());
    }

    @Test
    void textAUsKeyboardCannotTypeIsRefused() throws Exception {
        Rig rig = new Rig(TestFirmware.READ_LATE);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ScriptedTyping(rig.machine, "caf\u00e9"));
        assertTrue(e.getMessage().contains("U+00E9"), e.getMessage());
    }
}
