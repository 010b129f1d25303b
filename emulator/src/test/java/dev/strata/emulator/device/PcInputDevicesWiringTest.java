package dev.strata.emulator.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.clock.MachineClock;
import dev.strata.emulator.device.keyboard.KeyInputQueue;
import dev.strata.emulator.device.keyboard.Kbc8042;
import dev.strata.emulator.device.pic.DualPic;
import dev.strata.emulator.device.rtc.Mc146818Rtc;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

/** The keyboard controller and RTC wired to the interrupt controllers as the PC machine will wire them. */
class PcInputDevicesWiringTest {

    /** A CPU stand-in that takes interrupts like real mode: vector in, device serviced, EOI out. */
    private static final class Machine {
        final MachineClock clock = MachineClock.deterministic(10);
        final DualPic pic = new DualPic();
        final Kbc8042 kbc = new Kbc8042(clock.scheduler(), pic.irqLine(Kbc8042.KEYBOARD_IRQ),
                pic.irqLine(Kbc8042.AUX_IRQ));
        final Mc146818Rtc rtc = new Mc146818Rtc(clock.scheduler(), pic.irqLine(Mc146818Rtc.IRQ),
                LocalDateTime.of(2026, 11, 21, 8, 0, 0));
        final KeyInputQueue input = new KeyInputQueue(clock.scheduler(), kbc.keyboard());
        final StringBuilder log = new StringBuilder();
        int rtcTicks;

        Machine() {
            for (int[] w : new int[][] {{0x20, 0x11}, {0x21, 0x08}, {0x21, 0x04}, {0x21, 0x01}, {0xA0, 0x11},
                    {0xA1, 0x70}, {0xA1, 0x02}, {0xA1, 0x01}}) {
                pic.writePort(w[0], w[1]);
            }
        }

        void run(long nanos) {
            long end = clock.nanos() + nanos;
            while (clock.nanos() < end) {
                clock.instructionsExecuted(clock.instructionBudget(1000));
                clock.runDueEvents();
                while (pic.hasInterrupt()) {
                    int vector = pic.acknowledge();
                    if (vector == 0x09) {
                        log.append(String.format("%02X ", kbc.readPort(0x60)));
                    } else if (vector == 0x70) {
                        rtc.writePort(0x70, 0x0C);
                        rtc.readPort(0x71);
                        rtcTicks++;
                        pic.writePort(0xA0, 0x20);
                    } else {
                        log.append("?").append(vector).append(' ');
                    }
                    pic.writePort(0x20, 0x20);
                }
            }
        }
    }

    @Test
    void typedTextReachesTheKeyboardInterruptHandlerAsSet1Codes() {
        Machine m = new Machine();
        m.input.type("Dir\n");
        m.run(500_000_000L);
        assertEquals("2A 20 A0 AA 17 97 13 93 1C 9C ", m.log.toString());
    }

    @Test
    void rtcPeriodicInterruptsArriveAsVector70() {
        Machine m = new Machine();
        m.rtc.writePort(0x70, 0x0B);
        m.rtc.writePort(0x71, Mc146818Rtc.B_24_HOUR | Mc146818Rtc.B_PIE);
        m.run(100_000_000L);
        assertEquals(102, m.rtcTicks, "1024 Hz for 100 ms");
    }

    @Test
    void sameInputGivesTheSameInterruptHistory() {
        assertEquals(history(), history());
        assertTrue(history().length() > 40);
    }

    private static String history() {
        Machine m = new Machine();
        m.rtc.writePort(0x70, 0x0B);
        m.rtc.writePort(0x71, Mc146818Rtc.B_24_HOUR | Mc146818Rtc.B_PIE | Mc146818Rtc.B_UIE);
        m.input.type("echo hello\n");
        m.run(1_200_000_000L);
        return m.log + "|" + m.rtcTicks + "|" + m.clock.nanos();
    }
}
