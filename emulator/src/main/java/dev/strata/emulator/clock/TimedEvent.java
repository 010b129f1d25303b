package dev.strata.emulator.clock;

/**
 * A device timer that can be scheduled, moved and cancelled any number of times. A device creates its events once
 * and reuses them, so running the machine allocates nothing per event.
 */
public final class TimedEvent {

    final String name;
    final EventHandler handler;
    long deadline;
    long sequence;
    /** Position in the scheduler's heap, or -1 when not scheduled. */
    int heapIndex = -1;

    /**
     * @param name    shown in traces and errors, e.g. "pit.counter0"
     * @param handler what to run when the event comes due
     */
    public TimedEvent(String name, EventHandler handler) {
        if (name == null || handler == null) {
            throw new IllegalArgumentException("a timed event needs a name and a handler");
        }
        this.name = name;
        this.handler = handler;
    }

    public String name() {
        return name;
    }

    /** True while the event waits in a scheduler. */
    public boolean isScheduled() {
        return heapIndex >= 0;
    }

    /** The virtual time the event is due at; meaningful only while scheduled. */
    public long deadline() {
        return deadline;
    }

    /** Tie-breaker among equal deadlines (scheduling order); meaningful only while scheduled. */
    public long sequence() {
        return sequence;
    }

    @Override
    public String toString() {
        return isScheduled() ? name + "@" + deadline : name + "(idle)";
    }
}
