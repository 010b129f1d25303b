package dev.strata.emulator.cpu.translate;

import dev.strata.emulator.cpu.decode.Block;
import dev.strata.emulator.cpu.decode.CompiledBlock;
import java.lang.ref.WeakReference;
import java.util.ArrayDeque;

/**
 * The translations of one CPU, bounded by the size of their class files: when a new one would pass the budget,
 * the oldest go first (first in, first out), their blocks run interpreted until they are hot again, and the JVM
 * unloads their classes. Without a bound, a guest that keeps running new code (a Linux boot makes thousands of
 * translations) would only be limited by the decoded-block cache, and the JVM's metaspace and code cache fill.
 *
 * <p>Entries hold their block and translation weakly: a block that died (its code was written, or the block cache
 * let it go) must not keep its class loaded until its entry reaches the front. Such an entry still counts until
 * it does, so the number of entries is bounded by the budget too.
 */
public final class TranslationCache {

    /**
     * 16 MiB of class files. A Linux boot to its shell makes 700 to 800 translations, whose run methods hold about
     * 600 bytes of bytecode each ({@code --stats}; their class files were 1.4 KiB each when the methods held 900), so
     * it runs without evictions; the bound is for guests that run far more distinct code than that.
     */
    public static final long DEFAULT_BUDGET = 16L << 20;

    private record Entry(WeakReference<Block> block, WeakReference<CompiledBlock> translation, int size) {
    }

    private long budget;
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private long bytes;
    private long evictions;

    public TranslationCache(long budget) {
        setBudget(budget);
    }

    /** Changes the budget; translations beyond it go at the next admission. */
    public synchronized void setBudget(long budget) {
        if (budget <= 0) {
            throw new IllegalArgumentException("translation budget must be positive: " + budget);
        }
        this.budget = budget;
    }

    /**
     * Installs {@code translation} ({@code size} bytes of class file) in {@code block}, first evicting the oldest
     * translations while the new one would not fit. Called on the translator's thread or, when every block is
     * translated at once, on the CPU's.
     */
    public synchronized void admit(Block block, CompiledBlock translation, int size) {
        while (!entries.isEmpty() && bytes + size > budget) {
            Entry oldest = entries.removeFirst();
            bytes -= oldest.size;
            Block b = oldest.block.get();
            CompiledBlock t = oldest.translation.get();
            if (b != null && t != null && b.dropTranslation(t)) {
                evictions++;
            }
        }
        entries.addLast(new Entry(new WeakReference<>(block), new WeakReference<>(translation), size));
        bytes += size;
        block.install(translation);
    }

    /** Translations evicted to stay within the budget (their blocks were still running them). */
    public synchronized long evictions() {
        return evictions;
    }

    /** Bytes of class files the entries account for, live or not yet reclaimed. */
    public synchronized long bytes() {
        return bytes;
    }

    public synchronized long budget() {
        return budget;
    }
}
