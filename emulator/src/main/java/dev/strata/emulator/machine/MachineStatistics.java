package dev.strata.emulator.machine;

import dev.strata.emulator.cpu.CpuStats;
import dev.strata.emulator.cpu.translate.JitMode;
import java.util.Locale;

/**
 * Figures from one run: guest instructions, virtual and host seconds, their ratio as MIPS, the block cache's
 * hit rate (how often the CPU found a decoded block instead of decoding) and, with the translating tier on, its
 * share of the instructions and its work.
 */
public record MachineStatistics(long instructions, double virtualSeconds, double hostSeconds, long blockHits,
                                long blockMisses, long resets, CpuStats cpu, JitMode jit) {

    /** Millions of guest instructions per host second. */
    public double mips() {
        return hostSeconds <= 0 ? 0 : instructions / hostSeconds / 1e6;
    }

    /** Fraction of block lookups served from the cache, 0..1. */
    public double blockHitRate() {
        long total = blockHits + blockMisses;
        return total == 0 ? 0 : (double) blockHits / total;
    }

    /** One line for {@code --stats}. */
    public String summary() {
        String line = String.format(Locale.ROOT, "instructions %d, %.1f MIPS, %.3f s virtual, %.3f s host,"
                        + " block cache hit rate %.2f%%, resets %d",
                instructions, mips(), virtualSeconds, hostSeconds, blockHitRate() * 100, resets);
        if (jit == JitMode.OFF) {
            return line + ", jit off";
        }
        line += String.format(Locale.ROOT, ", jit %s: %.1f%% of instructions translated, %d blocks"
                        + " translated (%d bytes of bytecode, %d a block; %d dropped with their code, %d evicted)"
                        + " in %.3f s",
                jit, cpu.translatedPercent(), cpu.translations(), cpu.translationBytecode(),
                cpu.bytecodePerTranslation(), cpu.droppedTranslations(), cpu.evictedTranslations(),
                cpu.translateNanos() / 1e9);
        // only when it happened: the log has the first failure's cause
        return cpu.untranslatable() == 0 ? line
                : line + String.format(Locale.ROOT, ", %d could not be translated", cpu.untranslatable());
    }
}
