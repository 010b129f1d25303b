package dev.strata.emulator.device.uart;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.emulator.clock.MachineClock;
import dev.strata.emulator.state.StateRoundTrip;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Uart16550StateTest {

    private static final int BASE = 0x3F8;

    @Test
    void bytesInTheTransmitFifoAreSentByTheRestoredUart() throws Exception {
        MachineClock clockA = MachineClock.deterministic(1);
        ByteArrayOutputStream sentA = new ByteArrayOutputStream();
        Uart16550 a = new Uart16550(ComPort.COM1, clockA.scheduler(), high -> { }, SerialSink.of(sentA));
        a.writePort(BASE + 3, 0x80);
        a.writePort(BASE, 0x01);
        a.writePort(BASE + 1, 0x00);
        a.writePort(BASE + 3, 0x03);
        a.writePort(BASE + 2, 0x07); // FIFOs on
        a.writePort(BASE + 7, 0x5A);
        for (byte c : "restored fifo".getBytes(StandardCharsets.US_ASCII)) {
            a.writePort(BASE, c);
        }
        clockA.instructionsExecuted(200_000);
        clockA.runDueEvents();
        int sentBefore = sentA.size();
        byte[] saved = StateRoundTrip.save(a::saveState);

        MachineClock clockB = MachineClock.deterministic(1);
        clockB.restoreTime(clockA.nanos());
        ByteArrayOutputStream sentB = new ByteArrayOutputStream();
        Uart16550 b = new Uart16550(ComPort.COM1, clockB.scheduler(), high -> { }, SerialSink.of(sentB));
        StateRoundTrip.loadAndCompare(saved, clockB.scheduler(), b::loadState, b::saveState);
        assertEquals(0x5A, b.readPort(BASE + 7));
        for (MachineClock c : new MachineClock[] {clockA, clockB}) {
            for (int i = 0; i < 200; i++) {
                c.instructionsExecuted(10_000);
                c.runDueEvents();
            }
        }
        assertEquals("restored fifo".substring(sentBefore), sentB.toString(StandardCharsets.US_ASCII));
        assertEquals("restored fifo", sentA.toString(StandardCharsets.US_ASCII));
    }
}
