package dev.strata.emulator.cpu;

/** A snapshot of the interpreter's counters for {@code --stats}: guest instructions and block-cache use. */
public record CpuStats(long instructions, long blockHits, long blockMisses, long shutdowns) {

    /** Block-cache hit rate in percent (100 when nothing was looked up yet). */
    public double hitRatePercent() {
        long total = blockHits + blockMisses;
        return total == 0 ? 100.0 : 100.0 * blockHits / total;
    }

    /** Guest instructions per microsecond over {@code nanos} of wall time. */
    public double mips(long nanos) {
        return nanos <= 0 ? 0 : instructions * 1000.0 / nanos;
    }
}
