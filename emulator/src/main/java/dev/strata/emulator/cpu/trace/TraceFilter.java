package dev.strata.emulator.cpu.trace;

/**
 * What a trace records: from which instruction on ({@code from} executed before it), how many instructions (or,
 * with {@code eventsOnly}, how many interrupts), and only instructions whose linear address CS.base+EIP lies in
 * [{@code rangeStart}, {@code rangeEnd}). Interrupts and exceptions are recorded wherever they happen.
 */
public record TraceFilter(long from, long count, long rangeStart, long rangeEnd, boolean eventsOnly) {

    /** No limit on the count, the whole 4 GiB linear address space. */
    public static final long UNLIMITED = Long.MAX_VALUE;
    public static final long ADDRESS_SPACE = 1L << 32;

    /** Everything, from power-on. */
    public static final TraceFilter ALL = new TraceFilter(0, UNLIMITED, 0, ADDRESS_SPACE, false);

    public TraceFilter {
        if (from < 0) {
            throw new IllegalArgumentException("--trace-from must not be negative, got " + from);
        }
        if (count <= 0) {
            throw new IllegalArgumentException("--trace-count must be positive, got " + count);
        }
        if (rangeStart < 0 || rangeEnd > ADDRESS_SPACE || rangeStart >= rangeEnd) {
            throw new IllegalArgumentException(String.format("--trace-range %X-%X: expected START-END with START"
                    + " below END, both within 0-100000000 (hex)", rangeStart, rangeEnd));
        }
    }

    public TraceFilter from(long instructions) {
        return new TraceFilter(instructions, count, rangeStart, rangeEnd, eventsOnly);
    }

    public TraceFilter count(long records) {
        return new TraceFilter(from, records, rangeStart, rangeEnd, eventsOnly);
    }

    public TraceFilter range(long start, long end) {
        return new TraceFilter(from, count, start, end, eventsOnly);
    }

    public TraceFilter eventsOnly(boolean only) {
        return new TraceFilter(from, count, rangeStart, rangeEnd, only);
    }

    /** True when the instruction at this linear address is to be recorded. */
    public boolean inRange(int linear) {
        long a = linear & 0xFFFFFFFFL;
        return a >= rangeStart && a < rangeEnd;
    }
}
