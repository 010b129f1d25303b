package dev.strata.emulator.device.keyboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.clock.MachineClock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The keyboard on its own, as the controller sees it (no translation). */
class AtKeyboardTest {

    private final MachineClock machine = MachineClock.deterministic(1);
    private final AtKeyboard keyboard = new AtKeyboard(machine.scheduler());
    /** Bytes taken from the keyboard, with the virtual time they were sent, as "ms:XX". */
    private final List<String> sent = new ArrayList<>();

    {
        keyboard.setDataReadyListener(() -> {
            while (keyboard.hasOutput()) {
                sent.add(machine.nanos() / 1_000_000 + ":" + String.format("%02X", keyboard.takeOutput()));
            }
        });
    }

    private List<Integer> take() {
        List<Integer> out = new ArrayList<>();
        while (keyboard.hasOutput()) {
            out.add(keyboard.takeOutput());
        }
        return out;
    }

    private void run(long nanos) {
        long target = machine.nanos() + nanos;
        while (machine.nanos() < target) {
            long step = Math.min(target - machine.nanos(), machine.scheduler().nanosUntilNextEvent());
            machine.instructionsExecuted(step);
            machine.runDueEvents();
        }
    }

    @Test
    void makeAndBreakCodesInSet2() {
        keyboard.press(Key.LEFT_SHIFT);
        keyboard.press(Key.Z);
        keyboard.release(Key.Z);
        keyboard.release(Key.LEFT_SHIFT);
        keyboard.press(Key.DELETE);
        keyboard.release(Key.DELETE);
        assertEquals(List.of("0:12", "0:1A", "0:F0", "0:1A", "0:F0", "0:12", "0:E0", "0:71", "0:E0", "0:F0",
                "0:71"), sent);
    }

    @Test
    void printScreenAndPauseSequences() {
        keyboard.setDataReadyListener(null);
        keyboard.press(Key.PRINT_SCREEN);
        keyboard.release(Key.PRINT_SCREEN);
        assertEquals(List.of(0xE0, 0x12, 0xE0, 0x7C, 0xE0, 0xF0, 0x7C, 0xE0, 0xF0, 0x12), take());
        keyboard.press(Key.PAUSE);
        keyboard.release(Key.PAUSE);
        assertEquals(List.of(0xE1, 0x14, 0x77, 0xE1, 0xF0, 0x14, 0xF0, 0x77), take(), "Pause has no break code");
    }

    @Test
    void releaseOfAKeyNeverPressedSendsNothing() {
        keyboard.release(Key.A);
        assertTrue(sent.isEmpty());
        assertFalse(keyboard.isHeld(Key.A));
    }

    @Test
    void typematicRepeatAfterTheDelayAtTheRate() {
        keyboard.press(Key.A);
        run(1_000_000_000L);
        assertEquals(List.of("0:1C", "500:1C", "591:1C", "683:1C", "774:1C", "866:1C", "958:1C"), sent,
                "default 500 ms then 10.9 per second (91.67 ms, kept to whole nanoseconds)");
        keyboard.release(Key.A);
        sent.clear();
        run(1_000_000_000L);
        assertEquals(List.of(), sent);
        assertEquals(0, machine.scheduler().pending(), "no timer while no key is held");
    }

    @Test
    void typematicCommandChangesDelayAndRate() {
        keyboard.receive(0xF3);
        keyboard.receive(0x00);
        assertEquals(250_000_000L, keyboard.typematicDelayNanos());
        assertEquals(33_333_333L, keyboard.typematicPeriodNanos());
        keyboard.receive(0xF3);
        keyboard.receive(0x7F);
        assertEquals(1_000_000_000L, keyboard.typematicDelayNanos());
        assertEquals(500_000_000L, keyboard.typematicPeriodNanos());
        assertEquals(List.of("0:FA", "0:FA", "0:FA", "0:FA"), sent);
    }

    @Test
    void onlyTheLastKeyPressedRepeats() {
        keyboard.press(Key.A);
        run(100_000_000L);
        keyboard.press(Key.S);
        run(700_000_000L);
        assertEquals(List.of("0:1C", "100:1B", "600:1B", "691:1B", "783:1B"), sent);
    }

    @Test
    void resetRepliesAckThenSelfTestPassedAndRestoresDefaults() {
        keyboard.receive(0xF3);
        keyboard.receive(0x00);
        keyboard.receive(0xF0);
        keyboard.receive(0x01);
        sent.clear();
        keyboard.receive(0xFF);
        assertEquals(List.of("0:FA", "0:AA"), sent);
        assertEquals(AtKeyboard.DEFAULT_TYPEMATIC, keyboard.typematic());
        assertEquals(2, keyboard.scanSet());
    }

    @Test
    void scanSetCanBeReadAndSet1Selected() {
        keyboard.setDataReadyListener(null);
        keyboard.receive(0xF0);
        keyboard.receive(0x00);
        assertEquals(List.of(0xFA, 0xFA, 0x02), take(), "ack the command, ack the argument, then the set");
        keyboard.receive(0xF0);
        keyboard.receive(0x01);
        assertEquals(List.of(0xFA, 0xFA), take());
        keyboard.press(Key.A);
        keyboard.release(Key.A);
        keyboard.press(Key.UP);
        keyboard.release(Key.UP);
        assertEquals(List.of(0x1E, 0x9E, 0xE0, 0x48, 0xE0, 0xC8), take());
        keyboard.receive(0xF0);
        keyboard.receive(0x03);
        assertEquals(List.of(0xFA, 0xFE), take(), "set 3 is refused");
        assertEquals(1, keyboard.scanSet());
    }

    @Test
    void ledsEchoAndUnknownCommands() {
        keyboard.receive(0xED);
        keyboard.receive(0x06);
        assertEquals(6, keyboard.leds());
        keyboard.receive(0xEE);
        keyboard.receive(0x42);
        assertEquals(List.of("0:FA", "0:FA", "0:EE", "0:FE"), sent);
    }

    @Test
    void aCommandInsteadOfAParameterIsObeyedAsACommand() {
        keyboard.receive(0xED);
        keyboard.receive(0xF2);
        assertEquals(List.of("0:FA", "0:FA", "0:AB", "0:83"), sent);
        assertEquals(0, keyboard.leds());
    }

    @Test
    void resendRepeatsTheLastByteSent() {
        keyboard.receive(0xEE);
        keyboard.receive(0xFE);
        assertEquals(List.of("0:EE", "0:EE"), sent);
    }

    @Test
    void disabledKeyboardDoesNotScanUntilEnabled() {
        keyboard.receive(0xF5);
        keyboard.press(Key.A);
        keyboard.receive(0xF4);
        keyboard.press(Key.B);
        assertEquals(List.of("0:FA", "0:FA", "0:32"), sent);
        assertTrue(keyboard.scanning());
    }

    @Test
    void repliesGoAheadOfWaitingScanCodes() {
        keyboard.setDataReadyListener(null);
        keyboard.press(Key.A);
        keyboard.receive(0xEE);
        assertEquals(List.of(0xEE, 0x1C), take());
    }

    @Test
    void overrunReplacesTheLastBufferedByte() {
        keyboard.setDataReadyListener(null);
        Key[] keys = {Key.A, Key.B, Key.C, Key.D, Key.E, Key.F, Key.G, Key.H, Key.I, Key.J, Key.K, Key.L, Key.M,
            Key.N, Key.O, Key.P, Key.Q, Key.R};
        for (Key key : keys) {
            keyboard.press(key);
        }
        List<Integer> out = take();
        assertEquals(16, out.size());
        assertEquals(0x1C, out.get(0));
        assertEquals(0x00, out.get(15), "set 2 overrun code");
    }

    @Test
    void rawSet2CodesPassThrough() {
        keyboard.setDataReadyListener(null);
        keyboard.sendSet2Codes(0xE0, 0x1F);
        assertEquals(List.of(0xE0, 0x1F), take());
    }

    @Test
    void pressingAHeldKeyAgainIsIgnored() {
        keyboard.press(Key.A);
        run(400_000_000L);
        keyboard.press(Key.A);
        run(150_000_000L);
        assertEquals(List.of("0:1C", "500:1C"), sent, "the repeat keeps its timing from the first press");
    }
}
