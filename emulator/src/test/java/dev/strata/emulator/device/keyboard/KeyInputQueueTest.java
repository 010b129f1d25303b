package dev.strata.emulator.device.keyboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.clock.MachineClock;
import dev.strata.emulator.device.IrqLine;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyInputQueueTest {

    private final MachineClock machine = MachineClock.deterministic(1);
    private final Kbc8042 kbc = new Kbc8042(machine.scheduler(), IrqLine.NONE, IrqLine.NONE);
    private final KeyInputQueue input = new KeyInputQueue(machine.scheduler(), kbc.keyboard());
    private final List<Integer> received = new ArrayList<>();

    /** Runs virtual time; the "guest" reads the data port whenever the output buffer is full, if it is reading. */
    private void run(long nanos, boolean guestReads) {
        long target = machine.nanos() + nanos;
        while (machine.nanos() < target) {
            long step = Math.min(target - machine.nanos(), machine.scheduler().nanosUntilNextEvent());
            machine.instructionsExecuted(step);
            machine.runDueEvents();
            while (guestReads && (kbc.readPort(0x64) & 1) != 0) {
                received.add(kbc.readPort(0x60));
            }
        }
    }

    @Test
    void aChordGoesDownInOrderAndComesUpInReverse() {
        input.chord(KeyNames.chord("ctrl+alt+delete"));
        run(1_000_000_000L, true);
        // Ctrl 1Dh, Alt 38h, Delete E0 53h; then Delete, Alt and Ctrl released (80h set)
        assertEquals(List.of(0x1D, 0x38, 0xE0, 0x53, 0xE0, 0xD3, 0xB8, 0x9D), received);
    }

    @Test
    void typedTextArrivesAsSet1CodesWithShift() {
        input.type("aB\n");
        run(1_000_000_000L, true);
        assertEquals(List.of(0x1E, 0x9E, 0x2A, 0x30, 0xB0, 0xAA, 0x1C, 0x9C), received);
        assertTrue(input.isEmpty());
        assertEquals(0, machine.scheduler().pending(), "no timer once everything is typed");
    }

    @Test
    void eventsAreSpacedByTheInterval() {
        input.tap(Key.A);
        run(KeyInputQueue.DEFAULT_INTERVAL_NANOS, true);
        assertEquals(List.of(0x1E), received);
        run(KeyInputQueue.DEFAULT_INTERVAL_NANOS, true);
        assertEquals(List.of(0x1E, 0x9E), received);
    }

    @Test
    void waitsWhileTheKeyboardStillHasBytes() {
        input.type("abcdefghijklmnopqrstuvwxyz");
        run(2_000_000_000L, false);
        assertEquals(2, kbc.keyboard().pendingBytes(), "A's make code in the controller, its break (F0 1C) behind it");
        assertEquals(52 - 2, input.pending());
        run(2_000_000_000L, true);
        assertEquals(52, received.size());
        assertEquals(0x1E, received.get(0));
        assertEquals(0xAC, received.get(51), "Z released, nothing lost");
    }
}
