package dev.strata.emulator.clock;

import java.util.Arrays;

/**
 * Device timers ordered by deadline in a binary min-heap. Events with equal deadlines run in the order they were
 * scheduled, so a run is deterministic. Scheduling reuses the caller's {@link TimedEvent}; the heap array only
 * grows (rarely), so steady-state scheduling allocates nothing.
 */
public final class EventScheduler {

    private final VirtualClock clock;
    private TimedEvent[] heap = new TimedEvent[16];
    private int size;
    private long nextSequence;

    public EventScheduler(VirtualClock clock) {
        this.clock = clock;
    }

    public VirtualClock clock() {
        return clock;
    }

    /** Schedules (or moves) {@code event} to fire at virtual time {@code deadline}; a past deadline fires at the next run. */
    public void schedule(TimedEvent event, long deadline) {
        if (event.heapIndex >= 0) {
            removeAt(event.heapIndex);
        }
        event.deadline = deadline;
        event.sequence = nextSequence++;
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        heap[size] = event;
        event.heapIndex = size;
        size++;
        siftUp(size - 1);
    }

    /** Schedules {@code event} {@code delay} nanoseconds from now. */
    public void scheduleIn(TimedEvent event, long delay) {
        schedule(event, clock.nanos() + Math.max(0, delay));
    }

    /** Removes {@code event} if it is scheduled; does nothing otherwise. */
    public void cancel(TimedEvent event) {
        if (event.heapIndex >= 0) {
            removeAt(event.heapIndex);
        }
    }

    /** Number of events waiting. */
    public int pending() {
        return size;
    }

    /** The earliest deadline, or {@link Long#MAX_VALUE} when nothing is scheduled. */
    public long nextDeadline() {
        return size == 0 ? Long.MAX_VALUE : heap[0].deadline;
    }

    /** Nanoseconds from now until the earliest deadline: 0 if one is already due, {@link Long#MAX_VALUE} if none. */
    public long nanosUntilNextEvent() {
        if (size == 0) {
            return Long.MAX_VALUE;
        }
        return Math.max(0, heap[0].deadline - clock.nanos());
    }

    /**
     * Runs every event whose deadline is at or before the current virtual time, earliest first. Events that a
     * handler schedules for a time already reached run in the same call.
     *
     * @return how many events ran
     */
    public int runDueEvents() {
        long now = clock.nanos();
        int ran = 0;
        while (size > 0 && heap[0].deadline <= now) {
            TimedEvent event = heap[0];
            removeAt(0);
            event.handler.onEvent(event.deadline);
            ran++;
        }
        return ran;
    }

    /** Every waiting event, earliest first (for saved state and traces); allocates, so not for hot paths. */
    public TimedEvent[] pendingEvents() {
        TimedEvent[] copy = Arrays.copyOf(heap, size);
        Arrays.sort(copy, (a, b) -> before(a, b) ? -1 : before(b, a) ? 1 : 0);
        return copy;
    }

    /** The sequence number the next {@link #schedule} call hands out; saved so restored ties break the same way. */
    public long nextSequence() {
        return nextSequence;
    }

    /**
     * Drops every waiting event and continues numbering at {@code nextSequence}: the first step of restoring a
     * saved state, after which each device re-arms its own events with {@link #restore}.
     */
    public void clearForRestore(long nextSequence) {
        while (size > 0) {
            removeAt(size - 1);
        }
        this.nextSequence = nextSequence;
    }

    /** Re-arms {@code event} exactly as it was saved: same deadline and same place among equal deadlines. */
    public void restore(TimedEvent event, long deadline, long sequence) {
        if (event.heapIndex >= 0) {
            removeAt(event.heapIndex);
        }
        event.deadline = deadline;
        event.sequence = sequence;
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        heap[size] = event;
        event.heapIndex = size;
        size++;
        siftUp(size - 1);
    }

    private void removeAt(int index) {
        TimedEvent removed = heap[index];
        size--;
        if (index != size) {
            TimedEvent last = heap[size];
            heap[index] = last;
            last.heapIndex = index;
            heap[size] = null;
            siftDown(index);
            if (heap[index] == last) {
                siftUp(index);
            }
        } else {
            heap[size] = null;
        }
        removed.heapIndex = -1;
    }

    private static boolean before(TimedEvent a, TimedEvent b) {
        return a.deadline < b.deadline || (a.deadline == b.deadline && a.sequence < b.sequence);
    }

    private void siftUp(int index) {
        TimedEvent event = heap[index];
        while (index > 0) {
            int parent = (index - 1) >>> 1;
            TimedEvent p = heap[parent];
            if (!before(event, p)) {
                break;
            }
            heap[index] = p;
            p.heapIndex = index;
            index = parent;
        }
        heap[index] = event;
        event.heapIndex = index;
    }

    private void siftDown(int index) {
        TimedEvent event = heap[index];
        int half = size >>> 1;
        while (index < half) {
            int child = 2 * index + 1;
            int right = child + 1;
            if (right < size && before(heap[right], heap[child])) {
                child = right;
            }
            if (!before(heap[child], event)) {
                break;
            }
            heap[index] = heap[child];
            heap[index].heapIndex = index;
            index = child;
        }
        heap[index] = event;
        event.heapIndex = index;
    }
}
