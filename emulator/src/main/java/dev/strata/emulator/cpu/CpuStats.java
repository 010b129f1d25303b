package dev.strata.emulator.cpu;

/**
 * A snapshot of the CPU's counters for {@code --stats}: guest instructions, block-cache use, and the translating
 * tier's work (instructions run translated, blocks translated, dropped again with their code or evicted to stay
 * within the translation cache's budget, host time spent translating, bytes of bytecode made for the JVM's
 * compilers, and blocks whose translation failed, which stay interpreted: a bug in the translator, which tests
 * check is never seen).
 */
public record CpuStats(long instructions, long blockHits, long blockMisses, long shutdowns,
                       long translatedInstructions, long translations, long droppedTranslations,
                       long evictedTranslations, long translateNanos, long translationBytecode,
                       long untranslatable) {

    /** Bytes of bytecode per translation made (0 before the first). */
    public long bytecodePerTranslation() {
        return translations == 0 ? 0 : translationBytecode / translations;
    }

    /** Share of the instructions run by translated code, in percent. */
    public double translatedPercent() {
        return instructions == 0 ? 0 : 100.0 * translatedInstructions / instructions;
    }

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
