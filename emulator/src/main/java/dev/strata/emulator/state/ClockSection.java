package dev.strata.emulator.state;

import dev.strata.emulator.clock.EventScheduler;
import dev.strata.emulator.clock.TimedEvent;
import dev.strata.emulator.machine.PcMachine;
import java.util.ArrayList;
import java.util.List;

/**
 * Virtual time and the scheduler's bookkeeping. Loaded first: it empties the target's scheduler, so that the
 * device sections re-arm exactly the events that were pending; the names saved here let the restore report any
 * event no device claimed (a tool's or test's own timer).
 */
final class ClockSection implements StateSection {

    /** Names of the events pending when the file was saved, set by {@link #load}. */
    private final List<String> savedEvents = new ArrayList<>();

    @Override
    public String tag() {
        return "clock";
    }

    @Override
    public int version() {
        return 1;
    }

    @Override
    public void save(PcMachine machine, StateWriter w) {
        EventScheduler scheduler = machine.clock().scheduler();
        w.writeLong(machine.clock().nanos());
        w.writeLong(scheduler.nextSequence());
        TimedEvent[] pending = scheduler.pendingEvents();
        w.writeInt(pending.length);
        for (TimedEvent e : pending) {
            w.writeString(e.name());
            w.writeLong(e.deadline());
        }
    }

    @Override
    public void load(PcMachine machine, StateReader r) throws StateFileException {
        long nanos = r.readLong();
        long nextSequence = r.readLong();
        int n = r.readInt();
        if (n < 0 || n > 100_000) {
            throw r.error("an event count of " + n);
        }
        savedEvents.clear();
        for (int i = 0; i < n; i++) {
            savedEvents.add(r.readString());
            r.readLong();
        }
        r.expectEnd();
        machine.clock().scheduler().clearForRestore(nextSequence);
        machine.clock().restoreTime(nanos);
    }

    /** Events pending in the file that are not pending in {@code machine} after every section was loaded. */
    List<String> unclaimedEvents(PcMachine machine) {
        List<String> missing = new ArrayList<>(savedEvents);
        for (TimedEvent e : machine.clock().scheduler().pendingEvents()) {
            missing.remove(e.name());
        }
        return missing;
    }
}
