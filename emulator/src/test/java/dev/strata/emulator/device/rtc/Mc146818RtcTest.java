package dev.strata.emulator.device.rtc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.clock.MachineClock;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class Mc146818RtcTest {

    private static final long MS = 1_000_000L;
    private static final long SECOND = 1_000_000_000L;

    private final MachineClock machine = MachineClock.deterministic(1);
    /** Virtual times at which IRQ 8 rose. */
    private final List<Long> raises = new ArrayList<>();
    private boolean acknowledgeInterrupts;
    private Mc146818Rtc rtc;

    private Mc146818Rtc rtc(LocalDateTime start) {
        rtc = new Mc146818Rtc(machine.scheduler(), high -> {
            if (high) {
                raises.add(machine.nanos());
            }
        }, start);
        return rtc;
    }

    /** Runs virtual time forward by {@code nanos}, running events like a CPU loop; an "ISR" reads C if asked. */
    private void run(long nanos) {
        long target = machine.nanos() + nanos;
        while (machine.nanos() < target) {
            long step = Math.min(target - machine.nanos(), machine.scheduler().nanosUntilNextEvent());
            machine.instructionsExecuted(step);
            machine.runDueEvents();
            if (acknowledgeInterrupts && rtc.interruptPending()) {
                read(Mc146818Rtc.REG_C);
            }
        }
    }

    private int read(int reg) {
        rtc.writePort(0x70, reg);
        return rtc.readPort(0x71);
    }

    private void write(int reg, int value) {
        rtc.writePort(0x70, reg);
        rtc.writePort(0x71, value);
    }

    @Test
    void showsTheStartTimeInBcdAnd24HourByDefault() {
        rtc(LocalDateTime.of(2024, 2, 29, 23, 59, 58));
        assertEquals(0x58, read(0));
        assertEquals(0x59, read(2));
        assertEquals(0x23, read(4));
        assertEquals(0x05, read(6), "29 February 2024 is a Thursday (Sunday = 1)");
        assertEquals(0x29, read(7));
        assertEquals(0x02, read(8));
        assertEquals(0x24, read(9));
        assertEquals(0x20, read(0x32), "century byte");
        assertEquals(0x26, read(0x0A), "32.768 kHz divider, 1024 Hz rate");
        assertEquals(0x02, read(0x0B));
        assertEquals(0x80, read(0x0D), "valid RAM and time");
    }

    @Test
    void timeFollowsTheVirtualClockAcrossMidnightAndLeapDay() {
        rtc(LocalDateTime.of(2024, 2, 29, 23, 59, 58));
        run(SECOND - 1);
        assertEquals(0x58, read(0), "not yet a full second");
        run(1);
        assertEquals(0x59, read(0));
        run(SECOND);
        assertEquals(0x00, read(0));
        assertEquals(0x00, read(4));
        assertEquals(0x01, read(7));
        assertEquals(0x03, read(8));
        assertEquals(0x06, read(6), "Friday");
        assertEquals(LocalDateTime.of(2024, 3, 1, 0, 0, 0), rtc.currentTime());
    }

    @Test
    void binaryAnd12HourFormatsFollowRegisterB() {
        rtc(LocalDateTime.of(2023, 7, 14, 15, 42, 9));
        write(0x0B, Mc146818Rtc.B_BINARY);
        assertEquals(9, read(0));
        assertEquals(42, read(2));
        assertEquals(0x80 | 3, read(4), "3 PM in 12-hour binary");
        assertEquals(23, read(9));
        write(0x0B, 0);
        assertEquals(0x83, read(4), "3 PM in 12-hour BCD");
        write(0x0B, Mc146818Rtc.B_24_HOUR);
        assertEquals(0x15, read(4));
    }

    @Test
    void midnightAndNoonIn12HourMode() {
        rtc(LocalDateTime.of(2023, 7, 14, 0, 30, 0));
        write(0x0B, 0);
        assertEquals(0x12, read(4), "12 AM");
        rtc(LocalDateTime.of(2023, 7, 14, 12, 30, 0));
        write(0x0B, 0);
        assertEquals(0x92, read(4), "12 PM");
    }

    @Test
    void updateInProgressRisesOnlyInTheLast244MicrosecondsOfASecond() {
        rtc(LocalDateTime.of(2020, 1, 1, 0, 0, 0));
        run(SECOND - 245_000);
        assertEquals(0, read(0x0A) & 0x80);
        run(1_000);
        assertEquals(0x80, read(0x0A) & 0x80);
        assertEquals(0x00, read(0), "registers still show the old second");
        run(244_000);
        assertEquals(0, read(0x0A) & 0x80);
        assertEquals(0x01, read(0));
    }

    @Test
    void setBitFreezesTheTimeAndTheGuestSetsANewOne() {
        rtc(LocalDateTime.of(2020, 1, 1, 10, 0, 0));
        run(SECOND / 2);
        write(0x0B, Mc146818Rtc.B_24_HOUR | Mc146818Rtc.B_SET);
        run(3 * SECOND);
        assertEquals(0x00, read(0), "frozen while SET is on");
        write(0, 0x30);
        write(2, 0x15);
        write(4, 0x08);
        write(7, 0x31);
        write(8, 0x12);
        write(9, 0x99);
        write(0x32, 0x19);
        assertEquals(0x30, read(0), "writes stay while SET is on");
        write(0x0B, Mc146818Rtc.B_24_HOUR);
        assertEquals(LocalDateTime.of(1999, 12, 31, 8, 15, 30), rtc.currentTime());
        run(SECOND / 2);
        assertEquals(0x31, read(0), "the divider kept its phase: the next update came on the old boundary");
    }

    @Test
    void writingATimeRegisterWhileRunningChangesOnlyThatField() {
        rtc(LocalDateTime.of(2020, 5, 6, 7, 8, 9));
        write(4, 0x22);
        assertEquals(LocalDateTime.of(2020, 5, 6, 22, 8, 9), rtc.currentTime());
        write(7, 0x45);
        assertEquals(LocalDateTime.of(2020, 5, 6, 22, 8, 9), rtc.currentTime(), "an invalid day is ignored");
    }

    @Test
    void guestWrittenDayOfWeekKeepsCounting() {
        rtc(LocalDateTime.of(2024, 2, 29, 23, 59, 59));
        write(6, 0x01);
        assertEquals(0x01, read(6));
        run(SECOND);
        assertEquals(0x02, read(6));
    }

    @Test
    void periodicInterruptsComeAtTheRateOfRegisterA() {
        rtc(LocalDateTime.of(2020, 1, 1, 0, 0, 0));
        acknowledgeInterrupts = true;
        write(0x0A, 0x26);
        write(0x0B, Mc146818Rtc.B_24_HOUR | Mc146818Rtc.B_PIE);
        run(10 * MS);
        assertEquals(10, raises.size(), "1024 Hz for 10 ms");
        assertEquals(976_563, raises.get(0), "first period: 32 ticks of 32.768 kHz, rounded up to a nanosecond");
        assertEquals(1_953_125, raises.get(1));
        raises.clear();
        write(0x0A, 0x2F);
        run(SECOND);
        assertEquals(2, raises.size(), "rate 15 is 2 Hz");
    }

    @Test
    void rateOneIs256Hz() {
        assertEquals(128, RtcTiming.periodTicks(1));
        assertEquals(256, RtcTiming.periodTicks(2));
        assertEquals(4, RtcTiming.periodTicks(3));
        assertEquals(16384, RtcTiming.periodTicks(15));
    }

    @Test
    void withoutEnabledInterruptsNothingIsScheduledButFlagsStillRise() {
        rtc(LocalDateTime.of(2020, 1, 1, 0, 0, 0));
        read(0x0C);
        run(2 * SECOND);
        assertEquals(0, machine.scheduler().pending());
        assertTrue(raises.isEmpty());
        assertEquals(Mc146818Rtc.C_PF | Mc146818Rtc.C_UF, read(0x0C), "no IRQF: no interrupt enabled");
        assertEquals(0, read(0x0C), "reading C cleared the flags");
    }

    @Test
    void enablingAnInterruptWithItsFlagUpRaisesIrq8AtOnceAndReadingCLowersIt() {
        rtc(LocalDateTime.of(2020, 1, 1, 0, 0, 0));
        run(SECOND / 100);
        write(0x0B, Mc146818Rtc.B_24_HOUR | Mc146818Rtc.B_PIE);
        assertEquals(List.of(SECOND / 100), raises);
        assertTrue(rtc.interruptPending());
        assertEquals(0, machine.scheduler().pending(), "no timer while IRQF is up");
        assertEquals(Mc146818Rtc.C_IRQF | Mc146818Rtc.C_PF, read(0x0C));
        assertFalse(rtc.interruptPending());
        assertEquals(1, machine.scheduler().pending(), "timer back for the next period");
        write(0x0B, Mc146818Rtc.B_24_HOUR);
        assertEquals(0, machine.scheduler().pending(), "no interrupt enabled, no timer");
    }

    @Test
    void updateEndedInterruptOncePerSecond() {
        rtc(LocalDateTime.of(2020, 1, 1, 0, 0, 0));
        acknowledgeInterrupts = true;
        write(0x0A, 0x20);
        write(0x0B, Mc146818Rtc.B_24_HOUR | Mc146818Rtc.B_UIE);
        run(3 * SECOND + SECOND / 2);
        assertEquals(List.of(SECOND, 2 * SECOND, 3 * SECOND), raises);
    }

    @Test
    void setBitClearsTheUpdateInterruptEnable() {
        rtc(LocalDateTime.of(2020, 1, 1, 0, 0, 0));
        write(0x0B, Mc146818Rtc.B_SET | Mc146818Rtc.B_UIE | Mc146818Rtc.B_24_HOUR);
        assertEquals(Mc146818Rtc.B_SET | Mc146818Rtc.B_24_HOUR, read(0x0B));
    }

    @Test
    void alarmInterruptWhenTheTimeMatches() {
        rtc(LocalDateTime.of(2020, 1, 1, 10, 0, 0));
        acknowledgeInterrupts = true;
        write(1, 0x05);
        write(3, 0x00);
        write(5, 0x10);
        write(0x0B, Mc146818Rtc.B_24_HOUR | Mc146818Rtc.B_AIE);
        run(10 * SECOND);
        assertEquals(List.of(5 * SECOND), raises);
    }

    @Test
    void alarmDontCareBytesMatchEveryValue() {
        rtc(LocalDateTime.of(2020, 1, 1, 10, 0, 0));
        acknowledgeInterrupts = true;
        write(1, 0x30);
        write(3, 0xC0);
        write(5, 0xFF);
        write(0x0B, Mc146818Rtc.B_24_HOUR | Mc146818Rtc.B_AIE);
        run(3 * 60 * SECOND);
        assertEquals(List.of(30 * SECOND, 90 * SECOND, 150 * SECOND), raises);
    }

    @Test
    void alarmFlagFoundLazilyAfterALongGap() {
        rtc(LocalDateTime.of(2020, 1, 1, 10, 0, 0));
        write(1, 0x00);
        write(3, 0x00);
        write(5, 0x11);
        read(0x0C);
        run(2 * 3600 * SECOND);
        assertEquals(Mc146818Rtc.C_PF | Mc146818Rtc.C_AF | Mc146818Rtc.C_UF, read(0x0C));
    }

    @Test
    void dividerResetStopsTimeAndTheFirstUpdateComesHalfASecondAfterRestart() {
        rtc(LocalDateTime.of(2020, 1, 1, 0, 0, 0));
        write(0x0A, 0x66);
        run(5 * SECOND);
        assertEquals(0x00, read(0));
        read(0x0C);
        run(SECOND);
        assertEquals(0, read(0x0C), "no periodic flag while the divider is held in reset");
        write(0x0A, 0x26);
        run(SECOND / 2 - 1);
        assertEquals(0x00, read(0));
        run(1);
        assertEquals(0x01, read(0));
    }

    @Test
    void cmosRamKeepsBytesAndTheIndexHasSevenBits() {
        rtc(LocalDateTime.of(2020, 1, 1, 0, 0, 0));
        write(0x40, 0xA5);
        assertEquals(0xA5, read(0x40));
        rtc.writePort(0x70, 0xC0);
        assertEquals(0x40, rtc.selectedIndex());
        assertTrue(rtc.nmiMasked());
        assertEquals(0xA5, rtc.readPort(0x71));
        rtc.writePort(0x70, 0x0F);
        assertFalse(rtc.nmiMasked());
        assertEquals(0xFF, rtc.readPort(0x70), "the index port is write-only");
        assertEquals(0xA5, rtc.cmosByte(0x40));
    }

    @Test
    void registersCAndDAreReadOnly() {
        rtc(LocalDateTime.of(2020, 1, 1, 0, 0, 0));
        write(0x0D, 0x00);
        assertEquals(0x80, read(0x0D));
        rtc.setValidRam(false);
        assertEquals(0x00, read(0x0D));
        read(0x0C);
        write(0x0C, 0xFF);
        assertEquals(0, read(0x0C));
    }

    @Test
    void hostAccessRefusesClockRegisters() {
        rtc(LocalDateTime.of(2020, 1, 1, 0, 0, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> rtc.setCmosByte(0x0B, 0));
        assertTrue(e.getMessage().contains("0Bh"), e.getMessage());
    }

    @Test
    void changingTheRateInBinaryModeLeavesTheDateAlone() {
        rtc(LocalDateTime.of(2026, 3, 4, 5, 6, 7));
        write(0x0B, Mc146818Rtc.B_24_HOUR | Mc146818Rtc.B_BINARY);
        write(0x0A, 0x2A);
        write(2, 30);
        assertEquals(LocalDateTime.of(2026, 3, 4, 5, 30, 7), rtc.currentTime(),
                "the BCD century byte 20h reads as 32 in binary, which is not a plausible century");
    }

    @Test
    void timeRegistersWrittenWhileTheDividerIsStoppedTakeEffectWhenItRuns() {
        rtc(LocalDateTime.of(2020, 1, 1, 0, 0, 0));
        write(0x0A, 0x70);
        write(4, 0x12);
        assertEquals(0x12, read(4));
        write(0x0A, 0x26);
        assertEquals(LocalDateTime.of(2020, 1, 1, 12, 0, 0), rtc.currentTime());
    }
}
