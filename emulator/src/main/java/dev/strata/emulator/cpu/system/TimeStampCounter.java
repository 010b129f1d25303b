package dev.strata.emulator.cpu.system;

import dev.strata.emulator.state.StateClass;
import dev.strata.emulator.state.StateField;

/**
 * The time-stamp counter read by RDTSC and MSR 10h: it counts at {@link #HZ} from virtual time, so a deterministic
 * run reads the same values every time and a realtime run sees the host's pace. Writing it (WRMSR 10h) moves an
 * offset; reads never go backwards, even when a realtime clock's in-batch estimate overshoots.
 */
@StateClass("dev.strata.emulator.cpu.system.TimeStampCounter")
public final class TimeStampCounter {

    /** A Pentium II 400's core clock: what Linux's calibration against the PIT reports. */
    public static final long HZ = 400_000_000L;

    /** Where the counter's virtual time comes from (nanoseconds since power-on). */
    @FunctionalInterface
    public interface TimeSource {
        long nanos();
    }

    private transient TimeSource time;
    @StateField("offset") private long offset;
    @StateField("last") private long last = -1;

    public TimeStampCounter(TimeSource time) {
        this.time = time;
    }

    /** Connects the counter to the machine's clock (a bare CPU counts from its instruction count). */
    public void timeSource(TimeSource source) {
        this.time = source;
    }

    private long ticksNow() {
        long nanos = time.nanos();
        return nanos / 1_000_000_000L * HZ + nanos % 1_000_000_000L * HZ / 1_000_000_000L;
    }

    /** The counter now: strictly increasing from one read to the next. */
    public long read() {
        long t = ticksNow() + offset;
        if (Long.compareUnsigned(t, last) <= 0 && last != -1) {
            t = last + 1;
        }
        last = t;
        return t;
    }

    /** The counter now, without the read that RDTSC makes (which keeps successive reads increasing). */
    public long peek() {
        return ticksNow() + offset;
    }

    /** Sets the counter to {@code value}; it counts on from there. */
    public void write(long value) {
        offset = value - ticksNow();
        last = value - 1;
    }
}
