package dev.strata.emulator.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.clock.MachineClock;
import dev.strata.emulator.device.pic.DualPic;
import dev.strata.emulator.device.pit.Pit8254;
import dev.strata.emulator.device.uart.ComPort;
import dev.strata.emulator.device.uart.QueuedSerialInput;
import dev.strata.emulator.device.uart.SerialSink;
import dev.strata.emulator.device.uart.Uart16550;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The devices wired as the PC machine will wire them, driven by a stand-in for the CPU loop. */
class PcInterruptWiringTest {

    /** A CPU that executes nothing but takes interrupts like real mode does: vector in, EOI out. */
    private static final class Machine {
        final MachineClock clock = MachineClock.deterministic(10);
        final DualPic pic = new DualPic();
        final Pit8254 pit = new Pit8254(clock.scheduler(), pic.irqLine(0));
        final ByteArrayOutputStream serialOut = new ByteArrayOutputStream();
        final QueuedSerialInput serialIn = new QueuedSerialInput();
        final Uart16550 com1 = new Uart16550(ComPort.COM1, clock.scheduler(), pic.irqLine(ComPort.COM1.irq()),
                SerialSink.of(serialOut));
        final StringBuilder log = new StringBuilder();

        Machine() {
            com1.setSource(serialIn);
            for (int[] w : new int[][] {{0x20, 0x11}, {0x21, 0x08}, {0x21, 0x04}, {0x21, 0x01}, {0xA0, 0x11},
                    {0xA1, 0x70}, {0xA1, 0x02}, {0xA1, 0x01}}) {
                pic.writePort(w[0], w[1]);
            }
        }

        /** Runs for {@code nanos} of virtual time, servicing interrupts with a handler per vector. */
        void run(long nanos) {
            long end = clock.nanos() + nanos;
            while (clock.nanos() < end) {
                clock.instructionsExecuted(clock.instructionBudget(1000));
                clock.runDueEvents();
                while (pic.hasInterrupt()) {
                    int vector = pic.acknowledge();
                    log.append(vector == 0x08 ? "T" : vector == 0x0C ? serve() : "?" + vector);
                    pic.writePort(0x20, 0x20);
                }
            }
        }

        private String serve() {
            StringBuilder got = new StringBuilder();
            while ((com1.readPort(0x3FD) & 1) != 0) {
                int b = com1.readPort(0x3F8);
                got.append((char) b);
                com1.writePort(0x3F8, Character.toUpperCase(b));
            }
            com1.readPort(0x3FA);
            return "S" + got;
        }
    }

    @Test
    void timerTicksArriveAsVector8AtTheProgrammedRate() {
        Machine m = new Machine();
        m.pit.writePort(0x43, 0x36);
        m.pit.writePort(0x40, 0x9C);
        m.pit.writePort(0x40, 0x2E); // 11932 = 100 Hz
        m.run(1_010_000_000L); // the first tick comes one period (plus the load clock) after programming
        assertEquals(100, m.log.chars().filter(c -> c == 'T').count());
    }

    @Test
    void serialReceiveInterruptsReachTheCpuThroughIrq4() {
        Machine m = new Machine();
        m.com1.writePort(0x3FB, 0x80);
        m.com1.writePort(0x3F8, 0x01);
        m.com1.writePort(0x3F9, 0x00);
        m.com1.writePort(0x3FB, 0x03);
        m.com1.writePort(0x3F9, 0x01);
        assertFalse(m.pic.hasInterrupt());
        m.com1.writePort(0x3FC, 0x08);
        m.serialIn.offer("ok");
        m.com1.inputAvailable();
        m.run(1_000_000L);
        assertEquals("SoSk", m.log.toString());
        assertEquals("OK", m.serialOut.toString(StandardCharsets.US_ASCII));
    }

    @Test
    void deterministicRunsProduceIdenticalInterruptHistories() {
        assertEquals(history(), history());
        assertTrue(history().length() > 50);
    }

    private static String history() {
        Machine m = new Machine();
        m.pit.writePort(0x43, 0x34);
        m.pit.writePort(0x40, 0x00);
        m.pit.writePort(0x40, 0x10);
        m.com1.writePort(0x3F9, 0x01);
        m.com1.writePort(0x3FC, 0x08);
        m.serialIn.offer("deterministic serial input");
        m.com1.inputAvailable();
        m.run(300_000_000L);
        return m.log.toString() + "|" + m.clock.nanos();
    }
}
