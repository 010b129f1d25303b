package dev.strata.emulator.device.uart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.clock.MachineClock;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Uart16550Test {

    private static final int BASE = 0x3F8;
    private static final int THR = BASE, RBR = BASE, IER = BASE + 1, IIR = BASE + 2, FCR = BASE + 2, LCR = BASE + 3,
            MCR = BASE + 4, LSR = BASE + 5, MSR = BASE + 6, SCR = BASE + 7;

    private final MachineClock machine = MachineClock.deterministic(1);
    private final ByteArrayOutputStream sent = new ByteArrayOutputStream();
    private final boolean[] irq = {false};
    private final Uart16550 uart = new Uart16550(ComPort.COM1, machine.scheduler(), high -> irq[0] = high,
            SerialSink.of(sent));
    private final QueuedSerialInput input = new QueuedSerialInput();

    {
        uart.setSource(input);
    }

    /** Programs 115200 baud, 8 data bits, no parity, one stop bit: 10 bits = 86805 ns per character. */
    private void fastLine() {
        uart.writePort(LCR, 0x80);
        uart.writePort(THR, 0x01);
        uart.writePort(IER, 0x00);
        uart.writePort(LCR, 0x03);
    }

    private void run(long nanos) {
        long target = machine.nanos() + nanos;
        while (machine.nanos() < target) {
            long step = Math.min(target - machine.nanos(), machine.scheduler().nanosUntilNextEvent());
            machine.instructionsExecuted(step);
            machine.runDueEvents();
        }
    }

    private void runCharacters(double characters) {
        run((long) Math.ceil(characters * uart.characterNanos()));
    }

    private String sentText() {
        return sent.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void resetValuesMatchTheDatasheet() {
        assertEquals(0x00, uart.readPort(IER));
        assertEquals(0x01, uart.readPort(IIR));
        assertEquals(0x00, uart.readPort(LCR));
        assertEquals(0x00, uart.readPort(MCR));
        assertEquals(0x60, uart.readPort(LSR));
        assertEquals(0xB0, uart.readPort(MSR), "host lines: CTS, DSR and DCD asserted");
        uart.writePort(SCR, 0x5A);
        assertEquals(0x5A, uart.readPort(SCR));
        assertEquals(0xFF, uart.readPort(BASE + 8));
    }

    @Test
    void divisorLatchIsReachedThroughDlabAndSetsTheLineRate() {
        uart.writePort(LCR, 0x83);
        uart.writePort(THR, 0x0C);
        uart.writePort(IER, 0x00);
        assertEquals(0x0C, uart.readPort(RBR));
        assertEquals(0x00, uart.readPort(IER));
        uart.writePort(LCR, 0x03);
        assertEquals(12, uart.divisor());
        assertEquals(1_041_666, uart.characterNanos(), "9600 baud 8N1");
        fastLine();
        assertEquals(86_805, uart.characterNanos(), "115200 baud 8N1");
        uart.writePort(LCR, 0x1F);
        assertEquals(104_166, uart.characterNanos(), "8 data, even parity, 2 stop bits = 12 bits");
        uart.writePort(LCR, 0x04);
        assertEquals(65_104, uart.characterNanos(), "5 data bits with 1.5 stop bits = 7.5 bits");
    }

    @Test
    void transmittedByteReachesTheSinkAfterOneCharacterTime() {
        fastLine();
        uart.writePort(THR, 'A');
        assertEquals(0x20, uart.readPort(LSR), "holding register empty at once, shift register busy");
        runCharacters(0.5);
        assertEquals("", sentText());
        runCharacters(0.6);
        assertEquals("A", sentText());
        assertEquals(0x60, uart.readPort(LSR));
    }

    @Test
    void withoutTheLineRateABurstLeavesAtACharacterAMicrosecondWhileReceivingKeepsTheRate() {
        uart.setLineRateTransmit(false);
        uart.writePort(LCR, 0x80);
        uart.writePort(THR, 12);                 // 9600 baud: a character takes 1.04 ms on the line
        uart.writePort(IER, 0x00);
        uart.writePort(LCR, 0x03);
        uart.writePort(FCR, 0x07);
        for (int i = 0; i < 16; i++) {
            uart.writePort(THR, 'a' + i);
        }
        assertEquals(0x00, uart.readPort(LSR) & 0x60, "FIFO holds bytes: THRE and TEMT clear");
        run(Uart16550.FAST_CHARACTER_NANOS * 16 - 1);
        assertEquals("abcdefghijklmno", sentText(), "15 characters in 15.999 us");
        run(1);
        assertEquals("abcdefghijklmnop", sentText());
        assertEquals(0x60, uart.readPort(LSR) & 0x60);
        input.offer("x");
        uart.inputAvailable();
        runCharacters(0.9);
        assertEquals(0, uart.readPort(LSR) & 0x01, "nothing received before a character time at 9600 baud");
        runCharacters(0.2);
        assertEquals(0x01, uart.readPort(LSR) & 0x01);
    }

    @Test
    void fifoTransmitsABurstInOrderAtLineRate() {
        fastLine();
        uart.writePort(FCR, 0x07);
        for (int i = 0; i < 17; i++) {
            uart.writePort(THR, 'a' + i);
        }
        assertEquals(0x00, uart.readPort(LSR) & 0x60, "FIFO holds bytes: THRE and TEMT clear");
        runCharacters(10.5);
        assertEquals("abcdefghij", sentText());
        runCharacters(10);
        assertEquals("abcdefghijklmnopq", sentText());
        assertEquals(0x60, uart.readPort(LSR) & 0x60);
    }

    @Test
    void threInterruptRisesOnEnableClearsOnIirReadAndReturnsWhenTheHolderEmpties() {
        fastLine();
        uart.writePort(MCR, 0x08);
        uart.writePort(IER, 0x02);
        assertTrue(irq[0]);
        assertEquals(0x02, uart.readPort(IIR));
        assertFalse(irq[0]);
        assertEquals(0x01, uart.readPort(IIR));
        uart.writePort(THR, 'x');
        uart.writePort(THR, 'y');
        assertEquals(0x01, uart.readPort(IIR), "'y' waits in the holding register");
        runCharacters(1.1);
        assertEquals(0x02, uart.readPort(IIR), "'y' moved to the shift register: holding register empty");
    }

    @Test
    void interruptReachesThePicOnlyWithOut2() {
        uart.writePort(IER, 0x02);
        assertTrue(uart.interruptPending());
        assertFalse(irq[0]);
        uart.writePort(MCR, 0x08);
        assertTrue(irq[0]);
        uart.writePort(MCR, 0x00);
        assertFalse(irq[0]);
    }

    @Test
    void hostInputArrivesOneCharacterPerCharacterTime() {
        fastLine();
        input.offer("hi");
        uart.inputAvailable();
        assertEquals(0, uart.readPort(LSR) & 0x01);
        runCharacters(1.01);
        assertEquals(0x01, uart.readPort(LSR) & 0x01);
        assertEquals('h', uart.readPort(RBR));
        assertEquals(0, uart.readPort(LSR) & 0x01);
        runCharacters(1.01);
        assertEquals('i', uart.readPort(RBR));
    }

    @Test
    void receiveDataInterruptWaitsForTheTriggerLevel() {
        fastLine();
        uart.writePort(FCR, 0x81);
        uart.writePort(IER, 0x01);
        uart.writePort(MCR, 0x08);
        input.offer("0123456789");
        uart.inputAvailable();
        runCharacters(7.01);
        assertEquals(0xC1, uart.readPort(IIR), "7 bytes: below the trigger of 8");
        assertFalse(irq[0]);
        runCharacters(1.0);
        assertEquals(0xC4, uart.readPort(IIR));
        assertTrue(irq[0]);
        uart.readPort(RBR);
        assertEquals(0xC1, uart.readPort(IIR), "back below the trigger level");
    }

    @Test
    void characterTimeoutReportsBytesBelowTheTrigger() {
        fastLine();
        uart.writePort(FCR, 0xC1);
        uart.writePort(IER, 0x01);
        input.offer("abc");
        uart.inputAvailable();
        runCharacters(3.01);
        assertEquals(0xC1, uart.readPort(IIR));
        runCharacters(3.5);
        assertEquals(0xC1, uart.readPort(IIR), "not yet four character times of silence");
        runCharacters(1.0);
        assertEquals(0xCC, uart.readPort(IIR));
        assertEquals('a', uart.readPort(RBR));
        assertEquals(0xC1, uart.readPort(IIR), "reading RBR clears the timeout");
        runCharacters(4.1);
        assertEquals(0xCC, uart.readPort(IIR), "and restarts the timer while bytes remain");
    }

    @Test
    void hostInputIsHeldBackInsteadOfOverrunningAFullFifo() {
        fastLine();
        uart.writePort(FCR, 0x01);
        input.offer("ABCDEFGHIJKLMNOPQRST");
        uart.inputAvailable();
        runCharacters(30);
        assertEquals(4, input.available());
        assertEquals(0x01, uart.readPort(LSR) & 0x03, "data ready, no overrun");
        StringBuilder got = new StringBuilder();
        for (int i = 0; i < 40 && got.length() < 20; i++) {
            while ((uart.readPort(LSR) & 1) != 0) {
                got.append((char) uart.readPort(RBR));
            }
            runCharacters(1);
        }
        assertEquals("ABCDEFGHIJKLMNOPQRST", got.toString());
    }

    @Test
    void loopbackReturnsTransmittedBytesAndModemOutputs() {
        fastLine();
        uart.writePort(MCR, 0x1F);
        assertEquals(0xF0, uart.readPort(MSR) & 0xF0, "RTS->CTS, DTR->DSR, OUT1->RI, OUT2->DCD");
        uart.writePort(MCR, 0x11);
        assertEquals(0x20, uart.readPort(MSR) & 0xF0);
        uart.writePort(IER, 0x01);
        uart.writePort(MCR, 0x18);
        uart.writePort(THR, 0x42);
        runCharacters(1.01);
        assertEquals("", sentText(), "nothing leaves the chip in loopback");
        assertTrue(uart.interruptPending());
        assertFalse(irq[0], "in loopback the interrupt does not reach the PIC");
        assertEquals(0x42, uart.readPort(RBR));
    }

    @Test
    void overrunInLoopbackSetsOeAndReadingLsrClearsIt() {
        fastLine();
        uart.writePort(MCR, 0x10);
        uart.writePort(THR, 1);
        uart.writePort(THR, 2);
        runCharacters(2.1);
        assertEquals(0x63, uart.readPort(LSR));
        assertEquals(0x61, uart.readPort(LSR));
        assertEquals(2, uart.readPort(RBR), "without FIFOs the holding register keeps the newest byte");
    }

    @Test
    void breakInLoopbackArrivesAsAFlaggedZeroCharacter() {
        fastLine();
        uart.writePort(FCR, 0x01);
        uart.writePort(MCR, 0x10);
        uart.writePort(THR, 'a');
        runCharacters(1.01);
        uart.writePort(LCR, 0x43);
        runCharacters(1.01);
        uart.writePort(LCR, 0x03);
        uart.writePort(THR, 'b');
        runCharacters(1.01);
        assertEquals(0x81, uart.readPort(LSR) & 0x9F, "errors wait below the top; bit 7 says one is queued");
        assertEquals('a', uart.readPort(RBR));
        assertEquals(0x99, uart.readPort(LSR) & 0x9F, "the break reached the top: BI, FE");
        assertEquals(0x81, uart.readPort(LSR) & 0x9F, "reading LSR cleared BI and FE");
        assertEquals(0, uart.readPort(RBR));
        assertEquals(0x01, uart.readPort(LSR) & 0x9F);
        assertEquals('b', uart.readPort(RBR));
    }

    @Test
    void hostBreakRaisesALineStatusInterrupt() {
        uart.writePort(IER, 0x04);
        uart.writePort(MCR, 0x08);
        uart.receiveBreak();
        assertTrue(irq[0]);
        assertEquals(0x06, uart.readPort(IIR));
        assertEquals(0x19, uart.readPort(LSR) & 0x1F);
        assertFalse(irq[0]);
    }

    @Test
    void interruptSourcesAreReportedInPriorityOrder() {
        fastLine();
        uart.writePort(MCR, 0x10);
        uart.writePort(THR, 1);
        uart.writePort(THR, 2);
        runCharacters(2.1);
        uart.writePort(MCR, 0x12);
        uart.writePort(IER, 0x0F);
        assertEquals(0x06, uart.readPort(IIR), "line status first");
        uart.readPort(LSR);
        assertEquals(0x04, uart.readPort(IIR), "then received data");
        uart.readPort(RBR);
        assertEquals(0x02, uart.readPort(IIR), "then transmitter empty, cleared by this read");
        assertEquals(0x00, uart.readPort(IIR), "then modem status");
        uart.readPort(MSR);
        assertEquals(0x01, uart.readPort(IIR));
    }

    @Test
    void modemStatusDeltasFollowHostLines() {
        uart.writePort(IER, 0x08);
        uart.setModemInputs(false, true, true, true);
        assertEquals(0x00, uart.readPort(IIR));
        assertEquals(0xE1, uart.readPort(MSR), "CTS dropped: DCTS");
        assertEquals(0xE0, uart.readPort(MSR), "reading clears the deltas");
        uart.setModemInputs(true, false, false, false);
        assertEquals(0x1F, uart.readPort(MSR), "CTS up; DCTS, DDSR, DDCD and the trailing edge of RI");
    }

    @Test
    void fifoControlResetsFifosAndShowsInIir() {
        fastLine();
        uart.writePort(FCR, 0x01);
        assertEquals(0xC0, uart.readPort(IIR) & 0xC0);
        input.offer("xyz");
        uart.inputAvailable();
        runCharacters(3.1);
        assertEquals(0x01, uart.readPort(LSR) & 0x01);
        uart.writePort(FCR, 0x03);
        assertEquals(0x00, uart.readPort(LSR) & 0x01);
        uart.writePort(FCR, 0x00);
        assertEquals(0x00, uart.readPort(IIR) & 0xC0);
    }

    @Test
    void comPortsHaveTheirPcAddresses() {
        assertEquals(0x3F8, ComPort.COM1.base());
        assertEquals(4, ComPort.COM1.irq());
        assertEquals(0x2F8, ComPort.COM2.base());
        assertEquals(3, ComPort.COM2.irq());
        assertEquals(0x3E8, ComPort.COM3.base());
        assertEquals(0x2E8, ComPort.COM4.base());
        assertEquals(3, ComPort.COM4.irq());
    }

    @Test
    void queuedInputGrowsAndKeepsOrder() {
        QueuedSerialInput q = new QueuedSerialInput();
        byte[] big = new byte[1000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) i;
        }
        q.offer("ab");
        assertEquals('a', q.read());
        q.offer(big);
        assertEquals('b', q.read());
        for (int i = 0; i < big.length; i++) {
            assertEquals(i & 0xFF, q.read());
        }
        assertEquals(-1, q.read());
    }
}
