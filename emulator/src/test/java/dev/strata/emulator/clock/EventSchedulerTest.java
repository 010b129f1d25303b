package dev.strata.emulator.clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EventSchedulerTest {

    private final MachineClock machine = MachineClock.deterministic(1);
    private final EventScheduler scheduler = machine.scheduler();
    private final List<String> fired = new ArrayList<>();

    private TimedEvent recording(String name) {
        return new TimedEvent(name, deadline -> fired.add(name + "@" + deadline));
    }

    @Test
    void eventsRunInDeadlineOrderOnlyWhenDue() {
        TimedEvent a = recording("a");
        TimedEvent b = recording("b");
        TimedEvent c = recording("c");
        scheduler.schedule(c, 300);
        scheduler.schedule(a, 100);
        scheduler.schedule(b, 200);
        assertEquals(100, scheduler.nanosUntilNextEvent());
        machine.instructionsExecuted(99);
        assertEquals(0, scheduler.runDueEvents());
        machine.instructionsExecuted(151);
        assertEquals(2, scheduler.runDueEvents());
        assertEquals(List.of("a@100", "b@200"), fired);
        assertEquals(50, scheduler.nanosUntilNextEvent());
        assertTrue(c.isScheduled());
        assertFalse(a.isScheduled());
    }

    @Test
    void equalDeadlinesRunInSchedulingOrder() {
        for (String n : new String[] {"x", "y", "z", "w"}) {
            scheduler.schedule(recording(n), 10);
        }
        machine.instructionsExecuted(10);
        scheduler.runDueEvents();
        assertEquals(List.of("x@10", "y@10", "z@10", "w@10"), fired);
    }

    @Test
    void reschedulingMovesAnEventInsteadOfDuplicatingIt() {
        TimedEvent a = recording("a");
        scheduler.schedule(a, 100);
        scheduler.schedule(a, 50);
        assertEquals(1, scheduler.pending());
        assertEquals(50, scheduler.nextDeadline());
        machine.instructionsExecuted(200);
        assertEquals(1, scheduler.runDueEvents());
        assertEquals(List.of("a@50"), fired);
    }

    @Test
    void cancelledEventNeverRuns() {
        TimedEvent a = recording("a");
        TimedEvent b = recording("b");
        scheduler.schedule(a, 10);
        scheduler.schedule(b, 20);
        scheduler.cancel(a);
        scheduler.cancel(a);
        machine.instructionsExecuted(100);
        scheduler.runDueEvents();
        assertEquals(List.of("b@20"), fired);
        assertEquals(Long.MAX_VALUE, scheduler.nanosUntilNextEvent());
    }

    @Test
    void handlerMayRescheduleItselfAndDueRepeatsRunInTheSameCall() {
        long[] count = {0};
        TimedEvent[] self = new TimedEvent[1];
        self[0] = new TimedEvent("tick", deadline -> {
            count[0]++;
            scheduler.schedule(self[0], deadline + 10);
        });
        scheduler.schedule(self[0], 10);
        machine.instructionsExecuted(35);
        assertEquals(3, scheduler.runDueEvents());
        assertEquals(40, self[0].deadline());
    }

    @Test
    void heapStaysOrderedUnderRandomScheduleAndCancel() {
        Random random = new Random(42);
        TimedEvent[] events = new TimedEvent[200];
        long[] deadlines = new long[200];
        List<Long> seen = new ArrayList<>();
        for (int i = 0; i < events.length; i++) {
            events[i] = new TimedEvent("e" + i, seen::add);
        }
        for (int round = 0; round < 2000; round++) {
            int i = random.nextInt(events.length);
            if (random.nextInt(4) == 0) {
                scheduler.cancel(events[i]);
            } else {
                deadlines[i] = 1 + random.nextInt(1_000_000);
                scheduler.schedule(events[i], deadlines[i]);
            }
        }
        int expected = 0;
        for (TimedEvent e : events) {
            expected += e.isScheduled() ? 1 : 0;
        }
        machine.instructionsExecuted(2_000_000);
        assertEquals(expected, scheduler.runDueEvents());
        for (int k = 1; k < seen.size(); k++) {
            assertTrue(seen.get(k - 1) <= seen.get(k), "events out of order at " + k);
        }
        assertEquals(0, scheduler.pending());
    }
}
