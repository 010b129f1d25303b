package dev.strata.emulator.clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MachineClockTest {

    /** A host clock under the test's control: sleeping simply moves it forward. */
    static final class FakeHost implements HostClock {
        long now = 1_000_000_000L;
        long lastSleepTarget = -1;
        int wakes;

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void sleepUntil(long hostNanos) {
            lastSleepTarget = hostNanos;
            now = Math.max(now, hostNanos);
        }

        @Override
        public void wake() {
            wakes++;
        }
    }

    @Test
    void deterministicTimeMovesWithTheCpuDuringABatch() {
        MachineClock clock = MachineClock.deterministic(10);
        clock.instructionsExecuted(100);
        long[] counter = {5_000};
        clock.batchStarting(() -> counter[0]);
        assertEquals(1000, clock.nanos());
        counter[0] += 37; // a device read after 37 instructions of the batch sees them
        assertEquals(1370, clock.nanos());
        counter[0] += 63;
        clock.instructionsExecuted(100);
        assertEquals(2000, clock.nanos(), "the batch's end lands where its instructions took it");
        counter[0] += 500; // between batches the counter no longer moves time
        assertEquals(2000, clock.nanos());
    }

    @Test
    void realtimeTimeDoesNotFollowTheInstructionCounter() {
        FakeHost host = new FakeHost();
        MachineClock clock = MachineClock.realtime(host, 10);
        long[] counter = {0};
        clock.batchStarting(() -> counter[0]);
        counter[0] += 1_000;
        assertEquals(0, clock.nanos());
        host.now += 50;
        clock.instructionsExecuted(1_000);
        assertEquals(50, clock.nanos());
    }

    @Test
    void deterministicTimeIsInstructionsTimesCost() {
        MachineClock clock = MachineClock.deterministic(10);
        clock.instructionsExecuted(123);
        assertEquals(1230, clock.nanos());
        assertEquals(ClockMode.DETERMINISTIC, clock.mode());
    }

    @Test
    void budgetReachesTheNextDeadlineExactlyOrJustPast() {
        MachineClock clock = MachineClock.deterministic(10);
        TimedEvent e = new TimedEvent("e", d -> { });
        clock.scheduler().schedule(e, 95);
        long n = clock.instructionBudget(1000);
        assertEquals(10, n);
        clock.instructionsExecuted(n);
        assertEquals(1, clock.runDueEvents());
        assertEquals(1000, clock.instructionBudget(1000));
        clock.scheduler().schedule(e, 5);
        assertEquals(1, clock.instructionBudget(1000), "a due event still allows one instruction");
    }

    @Test
    void deterministicHaltJumpsToTheNextEventAndRunsIt() {
        MachineClock clock = MachineClock.deterministic(10);
        long[] ranAt = {-1};
        clock.scheduler().schedule(new TimedEvent("irq", d -> ranAt[0] = clock.nanos()), 5_000_000);
        assertTrue(clock.idle());
        assertEquals(5_000_000, clock.nanos());
        assertEquals(5_000_000, ranAt[0]);
        assertFalse(clock.idle(), "nothing scheduled: nothing can wake the CPU");
        assertEquals(5_000_000, clock.nanos());
    }

    @Test
    void deterministicRunsAreIdentical() {
        assertEquals(trace(), trace());
    }

    private static String trace() {
        MachineClock clock = MachineClock.deterministic(7);
        StringBuilder out = new StringBuilder();
        TimedEvent[] periodic = new TimedEvent[1];
        periodic[0] = new TimedEvent("p", d -> {
            out.append(d).append(':').append(clock.nanos()).append(' ');
            clock.scheduler().schedule(periodic[0], d + 333);
        });
        clock.scheduler().schedule(periodic[0], 333);
        for (int i = 0; i < 50; i++) {
            clock.instructionsExecuted(clock.instructionBudget(40));
            clock.runDueEvents();
        }
        return out.toString();
    }

    @Test
    void realtimeFollowsTheHostNotTheInstructionCount() {
        FakeHost host = new FakeHost();
        MachineClock clock = MachineClock.realtime(host, 10);
        clock.instructionsExecuted(1_000_000);
        assertEquals(0, clock.nanos());
        host.now += 2_500;
        clock.instructionsExecuted(1);
        assertEquals(2_500, clock.nanos());
        assertEquals(ClockMode.REALTIME, clock.mode());
    }

    @Test
    void realtimeHaltSleepsUntilTheEventIsDue() {
        FakeHost host = new FakeHost();
        MachineClock clock = MachineClock.realtime(host, 10);
        int[] ran = {0};
        clock.scheduler().schedule(new TimedEvent("t", d -> ran[0]++), 3_000_000);
        clock.idle();
        assertEquals(1_000_000_000L + 3_000_000, host.lastSleepTarget);
        assertEquals(3_000_000, clock.nanos());
        assertEquals(1, ran[0]);
    }

    @Test
    void realtimeHaltWithoutEventsSleepsInBoundedSlices() {
        FakeHost host = new FakeHost();
        MachineClock clock = MachineClock.realtime(host, 10);
        assertTrue(clock.idle());
        assertEquals(RealtimePacer.MAX_IDLE_SLEEP_NANOS, clock.nanos());
        clock.wake();
        assertEquals(1, host.wakes);
    }

    @Test
    void pausedRealtimeClockDoesNotJumpOnResume() {
        FakeHost host = new FakeHost();
        MachineClock clock = MachineClock.realtime(host, 10);
        host.now += 1_000;
        clock.pause();
        host.now += 60_000_000_000L;
        clock.instructionsExecuted(1);
        assertEquals(1_000, clock.nanos());
        clock.resume();
        host.now += 500;
        clock.instructionsExecuted(1);
        assertEquals(1_500, clock.nanos());
    }

    @Test
    void realtimeTimeStartsAtStartNotAtConstruction() {
        FakeHost host = new FakeHost();
        MachineClock clock = MachineClock.realtime(host, 10);
        host.now += 400_000_000L; // building the machine and loading media
        clock.start();
        host.now += 2_000;
        clock.instructionsExecuted(1);
        assertEquals(2_000, clock.nanos());
    }

    @Test
    void startLeavesDeterministicTimeAlone() {
        MachineClock clock = MachineClock.deterministic(10);
        clock.instructionsExecuted(5);
        clock.start();
        clock.instructionsExecuted(5);
        assertEquals(100, clock.nanos());
    }

    @Test
    void realtimeTimeFollowsTheHostInsideABatch() {
        FakeHost host = new FakeHost();
        MachineClock clock = MachineClock.realtime(host, 10);
        long[] count = {0};
        clock.batchStarting(() -> count[0]);
        host.now += 3_000;
        assertEquals(3_000, clock.nanos(), "a device polled during the batch sees host time pass");
        host.now += 2_000;
        count[0] = 7;
        clock.instructionsExecuted(7);
        assertEquals(5_000, clock.nanos());
    }

    @Test
    void portAccessesTakeDeterministicTimeAndEndTheBatchAtTheNextEvent() {
        MachineClock clock = MachineClock.deterministic(10);
        clock.scheduler().schedule(new TimedEvent("test", d -> { }), 1_000);
        long[] count = {0};
        clock.batchStarting(() -> count[0]);
        count[0] = 5;
        assertFalse(clock.portAccessed());
        assertEquals(50 + MachineClock.PORT_ACCESS_NANOS, clock.nanos());
        assertTrue(clock.portAccessed(), "time has reached the event: the CPU must stop for it");
        clock.instructionsExecuted(5);
        assertEquals(50 + 2 * MachineClock.PORT_ACCESS_NANOS, clock.nanos());
    }

    @Test
    void portAccessesOutsideABatchTakeNoTime() {
        MachineClock clock = MachineClock.deterministic(10);
        assertFalse(clock.portAccessed());
        assertEquals(0, clock.nanos());
    }

    @Test
    void rejectsNonsenseCosts() {
        assertThrows(IllegalArgumentException.class, () -> MachineClock.deterministic(0));
        MachineClock clock = MachineClock.deterministic(1);
        assertThrows(IllegalArgumentException.class, () -> clock.instructionsExecuted(-1));
    }
}
