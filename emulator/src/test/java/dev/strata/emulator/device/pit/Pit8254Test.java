package dev.strata.emulator.device.pit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.clock.MachineClock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class Pit8254Test {

    private final MachineClock machine = MachineClock.deterministic(1);
    /** IRQ 0 edges as "tick:level". */
    private final List<String> irq = new ArrayList<>();
    private final Pit8254 pit = new Pit8254(machine.scheduler(),
            high -> irq.add(PitTiming.ticksAt(machine.nanos()) + ":" + (high ? 1 : 0)));
    private final SystemControlPort portB = new SystemControlPort(pit, machine.clock());

    {
        assertEquals(List.of("0:1"), irq, "power-on: counter 0 idles with its output high");
        irq.clear();
    }

    /** Moves virtual time to the start of timer tick {@code tick}, running due events on the way like a CPU loop. */
    private void toTick(long tick) {
        long target = PitTiming.nanosAt(tick);
        while (machine.nanos() < target) {
            long step = Math.min(target - machine.nanos(), machine.scheduler().nanosUntilNextEvent());
            machine.instructionsExecuted(Math.max(step, 0));
            machine.runDueEvents();
        }
        machine.runDueEvents();
    }

    private long tick() {
        return PitTiming.ticksAt(machine.nanos());
    }

    private void program(int counter, int control, int count) {
        pit.writePort(0x43, control);
        int access = control >> 4 & 3;
        if (access != 2) {
            pit.writePort(0x40 + counter, count & 0xFF);
        }
        if (access != 1) {
            pit.writePort(0x40 + counter, count >> 8 & 0xFF);
        }
    }

    private int readCount16(int counter) {
        int lo = pit.readPort(0x40 + counter);
        return lo | pit.readPort(0x40 + counter) << 8;
    }

    private void latch(int counter) {
        pit.writePort(0x43, counter << 6);
    }

    @Test
    void mode2RateGeneratorPulsesLowForOneClockEveryPeriod() {
        program(0, 0x34, 1000);
        irq.clear();
        toTick(3005);
        assertEquals(List.of("1000:0", "1001:1", "2000:0", "2001:1", "3000:0", "3001:1"), irq);
    }

    @Test
    void mode2CountGoesFromNDownToOneThenReloads() {
        program(0, 0x34, 1000);
        toTick(11);
        latch(0);
        assertEquals(990, readCount16(0));
        toTick(1000);
        latch(0);
        assertEquals(1, readCount16(0));
        toTick(1001);
        latch(0);
        assertEquals(1000, readCount16(0));
    }

    @Test
    void mode3SquareWaveWithEvenCount() {
        program(0, 0x36, 1000);
        irq.clear();
        toTick(2002);
        assertEquals(List.of("501:0", "1001:1", "1501:0", "2001:1"), irq);
    }

    @Test
    void mode3SquareWaveWithOddCountIsHighOneClockLonger() {
        program(0, 0x36, 5);
        irq.clear();
        toTick(12);
        // high for 3 clocks (1..3), low for 2 (4..5), and again
        assertEquals(List.of("4:0", "6:1", "9:0", "11:1"), irq);
    }

    @Test
    void mode3CountDecrementsByTwo() {
        program(0, 0x36, 10);
        int[] seen = new int[7];
        for (int i = 0; i < seen.length; i++) {
            toTick(1 + i);
            latch(0);
            seen[i] = readCount16(0);
        }
        assertEquals("[10, 8, 6, 4, 2, 10, 8]", java.util.Arrays.toString(seen));
    }

    @Test
    void mode3OddCountIsLoadedMinusOne() {
        program(0, 0x36, 5);
        int[] seen = new int[8];
        for (int i = 0; i < seen.length; i++) {
            toTick(1 + i);
            latch(0);
            seen[i] = readCount16(0);
        }
        assertEquals("[4, 2, 0, 4, 2, 4, 2, 0]", java.util.Arrays.toString(seen));
    }

    @Test
    void mode3NewCountTakesEffectAtTheEndOfTheHalfCycle() {
        program(0, 0x36, 1000);
        irq.clear();
        toTick(100);
        pit.writePort(0x40, 200);
        pit.writePort(0x40, 0);
        toTick(802);
        assertEquals(List.of("501:0", "601:1", "701:0", "801:1"), irq);
        irq.clear();
        toTick(850);
        pit.writePort(0x40, 0x2C);
        pit.writePort(0x40, 0x01);
        toTick(1302);
        assertEquals(List.of("901:0", "1051:1", "1201:0"), irq, "300 loads at 901 and starts with its low half");
        irq.clear();
        toTick(1260);
        pit.writePort(0x40, 100);
        pit.writePort(0x40, 0);
        toTick(1452);
        assertEquals(List.of("1351:1", "1401:0", "1451:1"), irq, "written in a low half: loads at the rising edge");
    }

    @Test
    void defaultCountZeroGivesEighteenPointTwoHertz() {
        int[] rising = {0};
        Pit8254 timer = new Pit8254(machine.scheduler(), high -> rising[0] += high ? 1 : 0);
        timer.writePort(0x43, 0x36);
        timer.writePort(0x40, 0);
        timer.writePort(0x40, 0);
        rising[0] = 0;
        toTick(PitTiming.FREQUENCY_HZ);
        assertEquals(18, rising[0]);
    }

    @Test
    void mode0OutputRisesAtTerminalCountAndStaysHighWhileTheCountWraps() {
        program(0, 0x30, 100);
        assertEquals(List.of("0:0"), irq, "the output drops when mode 0 is programmed");
        irq.clear();
        assertFalse(pit.output(0));
        toTick(100);
        assertFalse(pit.output(0));
        assertEquals(1, pit.count(0));
        toTick(101);
        assertTrue(pit.output(0));
        toTick(103);
        assertTrue(pit.output(0));
        assertEquals(0xFFFE, pit.count(0));
        assertEquals(List.of("101:1"), irq);
        assertFalse(machine.scheduler().pending() > 0, "mode 0 has no further edges to schedule");
    }

    @Test
    void mode0WritingTheFirstByteStopsCountingAndDropsTheOutput() {
        program(0, 0x30, 10);
        toTick(50);
        assertTrue(pit.output(0));
        pit.writePort(0x40, 0x20);
        assertFalse(pit.output(0));
        int frozen = pit.count(0);
        toTick(60);
        assertEquals(frozen, pit.count(0));
        pit.writePort(0x40, 0x00);
        toTick(60 + 1 + 0x20);
        assertTrue(pit.output(0));
    }

    @Test
    void mode0GateLowSuspendsCounting() {
        portB.writePort(0x61, 0x01);
        program(2, 0xB0, 100);
        toTick(41);
        assertEquals(60, pit.count(2));
        portB.writePort(0x61, 0x00);
        toTick(500);
        assertEquals(60, pit.count(2));
        assertFalse(pit.output(2));
        portB.writePort(0x61, 0x01);
        toTick(559);
        assertEquals(1, pit.count(2));
        assertFalse(pit.output(2));
        toTick(560);
        assertTrue(pit.output(2));
    }

    @Test
    void mode1OneShotWaitsForAGateTriggerAndIsRetriggerable() {
        program(2, 0xB2, 50);
        toTick(100);
        assertTrue(pit.output(2), "mode 1 output is high until triggered");
        portB.writePort(0x61, 0x01);
        toTick(101);
        assertFalse(pit.output(2));
        toTick(130);
        portB.writePort(0x61, 0x00);
        portB.writePort(0x61, 0x01);
        toTick(170);
        assertFalse(pit.output(2), "retriggered at 130: low until 181");
        toTick(181);
        assertTrue(pit.output(2));
    }

    @Test
    void mode4SoftwareStrobeIsOneClockLowOnce() {
        program(0, 0x38, 20);
        irq.clear();
        toTick(200);
        assertEquals(List.of("21:0", "22:1"), irq);
    }

    @Test
    void mode4NewCountLoadsOnTheNextClockAndTheOldCountShowsUntilThen() {
        program(0, 0x38, 1000);
        toTick(101);
        assertEquals(900, pit.count(0));
        pit.writePort(0x40, 50);
        pit.writePort(0x40, 0);
        assertEquals(900, pit.count(0));
        toTick(102);
        assertEquals(50, pit.count(0));
        irq.clear();
        toTick(200);
        assertEquals(List.of("152:0", "153:1"), irq);
    }

    @Test
    void mode5HardwareStrobeFollowsTheGateTrigger() {
        program(2, 0xBA, 20);
        toTick(10);
        portB.writePort(0x61, 0x01);
        toTick(30);
        assertTrue(pit.output(2));
        toTick(31);
        assertFalse(pit.output(2));
        toTick(32);
        assertTrue(pit.output(2));
    }

    @Test
    void mode2NewCountTakesEffectAtTheEndOfThePeriod() {
        program(0, 0x34, 1000);
        irq.clear();
        toTick(500);
        pit.writePort(0x40, 100);
        pit.writePort(0x40, 0);
        toTick(1250);
        assertEquals(List.of("1000:0", "1001:1", "1100:0", "1101:1", "1200:0", "1201:1"), irq);
    }

    @Test
    void mode2GateLowForcesOutputHighAndRisingGateReloads() {
        portB.writePort(0x61, 0x01);
        program(2, 0xB4, 100);
        toTick(100);
        assertFalse(pit.output(2));
        portB.writePort(0x61, 0x00);
        assertTrue(pit.output(2));
        toTick(300);
        portB.writePort(0x61, 0x01);
        toTick(301);
        assertEquals(100, pit.count(2));
        toTick(400);
        assertFalse(pit.output(2));
    }

    @Test
    void bcdCountingReadsAndWritesDecimalDigits() {
        program(0, 0x35, 0x0100);
        toTick(11);
        latch(0);
        assertEquals(0x0090, readCount16(0));
        program(0, 0x35, 0x0000);
        toTick(13);
        assertEquals(9_999, pit.count(0), "a BCD count of 0 is 10000");
        latch(0);
        assertEquals(0x9999, readCount16(0));
    }

    @Test
    void lsbOnlyAndMsbOnlyAccess() {
        program(1, 0x54, 0x20);
        toTick(2);
        assertEquals(0x20 - 1, pit.readPort(0x41));
        assertEquals(0x20 - 1, pit.readPort(0x41), "LSB-only reads never return the MSB");
        program(1, 0x64, 0x0100);
        toTick(tick() + 1);
        assertEquals(0x100, pit.count(1));
        assertEquals(0x01, pit.readPort(0x41));
    }

    @Test
    void latchedCountSurvivesUntilReadAndRepeatedLatchesAreIgnored() {
        program(0, 0x34, 1000);
        toTick(101);
        latch(0);
        toTick(201);
        latch(0);
        assertEquals(900, readCount16(0));
        assertEquals(800, readCount16(0), "the latch was released by reading both bytes");
    }

    @Test
    void readBackStatusShowsOutputNullCountAndProgrammedMode() {
        pit.writePort(0x43, 0x36);
        pit.writePort(0x43, 0xE2);
        assertEquals(0xC0 | 0x36, pit.readPort(0x40), "before a count: output high, null count");
        pit.writePort(0x40, 0x10);
        pit.writePort(0x40, 0x00);
        pit.writePort(0x43, 0xE2);
        assertEquals(0xC0 | 0x36, pit.readPort(0x40), "count written but not yet loaded");
        toTick(tick() + 1);
        pit.writePort(0x43, 0xE2);
        assertEquals(0x80 | 0x36, pit.readPort(0x40), "loaded on the next clock");
    }

    @Test
    void readBackLatchesStatusThenCountForSeveralCounters() {
        program(0, 0x34, 1000);
        program(2, 0xB0, 500);
        toTick(11);
        pit.writePort(0x43, 0xC0 | 0x02 | 0x08);
        pit.writePort(0x43, 0xE2);
        toTick(50);
        assertEquals(0x80 | 0x34, pit.readPort(0x40));
        assertEquals(990, readCount16(0));
        assertEquals(0x30, pit.readPort(0x42), "counter 2 status: output low, count loaded, mode 0");
        assertEquals(500, readCount16(2), "counter 2's gate is low: mode 0 waits");
        pit.writePort(0x43, 0xD8);
        pit.writePort(0x43, 0xD8);
        assertEquals(500, readCount16(2));
    }

    @Test
    void modeSixAndSevenAreModesTwoAndThreeButReadBackAsWritten() {
        program(0, 0x3C, 10);
        irq.clear();
        toTick(30);
        assertEquals(List.of("10:0", "11:1", "20:0", "21:1", "30:0"), irq);
        pit.writePort(0x43, 0xE2);
        assertEquals(0x3C, pit.readPort(0x40) & 0x3F);
    }

    @Test
    void portBReadsGateSpeakerBitsAndCounter2Output() {
        portB.writePort(0x61, 0x03);
        assertTrue(pit.gate(2));
        assertTrue(portB.speakerEnabled());
        program(2, 0xB0, 10);
        toTick(tick() + 5);
        assertEquals(0x03, portB.readPort(0x61) & 0x2F);
        toTick(tick() + 10);
        assertEquals(0x23, portB.readPort(0x61) & 0x2F);
        assertTrue(portB.speakerLevel());
        portB.writePort(0x61, 0xFC);
        assertEquals(0x0C, portB.readPort(0x61) & 0xCF, "bits 6-7 read as no error; only 0-3 are kept");
    }

    @Test
    void portBRefreshBitTogglesEvery18Ticks() {
        int first = portB.readPort(0x61) & 0x10;
        toTick(18);
        int second = portB.readPort(0x61) & 0x10;
        toTick(36);
        assertEquals(0x10, first ^ second);
        assertEquals(first, portB.readPort(0x61) & 0x10);
    }

    @Test
    void longStallSkipsMissedPeriodsInsteadOfReplayingThem() {
        program(0, 0x34, 1000);
        irq.clear();
        machine.instructionsExecuted(10_000_000_000L);
        int ran = machine.runDueEvents();
        assertTrue(ran <= 4, "ran " + ran + " catch-up events");
        assertTrue(machine.scheduler().nanosUntilNextEvent() > 0);
        assertEquals(irq.size() % 2 == 0 ? "1" : "0", irq.isEmpty() ? "1" : irq.get(irq.size() - 1).substring(
                irq.get(irq.size() - 1).length() - 1), "edges alternate");
    }

    @Test
    void irqEdgesMissedByALateBatchAreStillDelivered() {
        program(0, 0x34, 100);
        irq.clear();
        // a CPU batch that overshoots the one-clock low pulse must not swallow the rising edge
        machine.instructionsExecuted(PitTiming.nanosAt(150));
        machine.runDueEvents();
        assertEquals(List.of("150:0", "150:1"), irq);
    }
}
