package dev.strata.emulator.cpu.system;

import dev.strata.emulator.cpu.exception.CpuFault;
import dev.strata.emulator.state.StateClass;
import dev.strata.emulator.state.StateField;

/**
 * The P6 family's two performance-monitoring counters: PerfEvtSel0/1 (MSRs 186h/187h) choose an event, PerfCtr0/1
 * (C1h/C2h) are 40-bit counters, read by RDMSR or RDPMC. Two events count, from Strata's clocks: instructions
 * retired (C0h) and unhalted core cycles (79h, counted as the time-stamp counter counts, halted time included).
 * Every other event is accepted and stays still, as an event that never happens would. The EN bit of PerfEvtSel0
 * enables both counters; USR and OS are not told apart (a counter with either set counts at every level), and
 * the overflow interrupt needs a local APIC, which Strata does not model.
 */
@StateClass("dev.strata.emulator.cpu.system.PerformanceCounters")
public final class PerformanceCounters {

    public static final int PERFCTR0 = 0xC1, PERFCTR1 = 0xC2;
    public static final int PERFEVTSEL0 = 0x186, PERFEVTSEL1 = 0x187;
    public static final int EVENT_INSTRUCTIONS_RETIRED = 0xC0, EVENT_CYCLES_UNHALTED = 0x79;
    private static final int USR = 1 << 16, OS = 1 << 17, EN = 1 << 22;
    /** Bit 21 is reserved in PerfEvtSel; a WRMSR that sets it (or anything in EDX) faults. */
    private static final int RESERVED = 1 << 21;
    private static final long MASK = (1L << 40) - 1;

    /** Where the counted events come from: the CPU's instruction count and the time-stamp counter. */
    public interface EventSource {
        long instructions();

        long cycles();
    }

    /** Wiring, rebuilt by the CPU's constructor: not part of the saved state. */
    private final transient EventSource events;
    @StateField("select") private final int[] select = new int[2];
    /** Each counter's value when it was last written or its selection changed... */
    @StateField("value") private final long[] value = new long[2];
    /** ...and its event's running total at that moment, so a counting counter reads value + (total - base). */
    @StateField("base") private final long[] base = new long[2];

    public PerformanceCounters(EventSource events) {
        this.events = events;
    }

    /** Processor reset: both selections and counters cleared. */
    public void reset() {
        select[0] = select[1] = 0;
        value[0] = value[1] = 0;
        rebase();
    }

    /** RDMSR of one of the four registers, or -1 when {@code index} is none of them. */
    long read(int index) {
        switch (index) {
            case PERFEVTSEL0: return select[0] & 0xFFFFFFFFL;
            case PERFEVTSEL1: return select[1] & 0xFFFFFFFFL;
            case PERFCTR0: return counter(0);
            case PERFCTR1: return counter(1);
            default: return -1;
        }
    }

    /** WRMSR of one of the four registers; false when {@code index} is none of them. */
    boolean write(int index, long v) {
        switch (index) {
            case PERFEVTSEL0:
            case PERFEVTSEL1:
                if ((v >>> 32) != 0 || (v & RESERVED) != 0) {
                    throw CpuFault.general(0);
                }
                fold();
                select[index - PERFEVTSEL0] = (int) v;
                rebase();
                return true;
            case PERFCTR0:
            case PERFCTR1:
                int k = index - PERFCTR0;
                value[k] = (long) (int) v & MASK; // bits 31:0 written, bit 31 copied into 39:32
                base[k] = total(k);
                return true;
            default:
                return false;
        }
    }

    /** RDPMC's counter {@code k} (0 or 1): its 40 bits. */
    public long counter(int k) {
        return counting(k) ? (value[k] + total(k) - base[k]) & MASK : value[k];
    }

    private boolean counting(int k) {
        return (select[0] & EN) != 0 && (select[k] & (USR | OS)) != 0;
    }

    /** The running total of counter {@code k}'s event, or 0 for events that never happen here. */
    private long total(int k) {
        switch (select[k] & 0xFF) {
            case EVENT_INSTRUCTIONS_RETIRED: return events.instructions();
            case EVENT_CYCLES_UNHALTED: return events.cycles();
            default: return 0;
        }
    }

    /** Keeps what the counters have counted so far before a selection changes. */
    private void fold() {
        value[0] = counter(0);
        value[1] = counter(1);
    }

    private void rebase() {
        base[0] = total(0);
        base[1] = total(1);
    }
}
