package dev.strata.tools.run;

import dev.strata.emulator.cpu.Cpu;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The lines {@code --stats-every N} prints to stderr as a run goes, one each N instructions: the CPU thread's time so
 * far, and the last N instructions' speed per CPU-second and translated share, which show how long the JVM and the
 * translating tier take to warm up and where a guest's phases run slower (told on the CPU thread).
 */
final class ProgressLines implements Consumer<Cpu> {

    private final PrintWriter err;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final long hostStart = System.nanoTime();
    private long instructions;
    private long translated;
    private long cpuNanos;

    /** Lines to {@code err} for a run whose CPU starts at {@code cpu}'s instruction counts. */
    ProgressLines(PrintWriter err, Cpu cpu) {
        this.err = err;
        this.instructions = cpu.instructions;
        this.translated = cpu.translatedInstructions;
    }

    @Override
    public void accept(Cpu cpu) {
        // the CPU thread's own time since it started, which is the run's (-1 where the JVM cannot tell)
        long nowCpu = threads.isCurrentThreadCpuTimeSupported() ? threads.getCurrentThreadCpuTime() : -1;
        long ran = cpu.instructions - instructions;
        long ranTranslated = cpu.translatedInstructions - translated;
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "strata: %,d instructions",
                cpu.instructions));
        if (nowCpu >= 0) {
            long interval = Math.max(1, nowCpu - cpuNanos);
            line.append(String.format(Locale.ROOT, ": CPU thread %.3f s; the last %,d at %.1f MIPS per CPU-second",
                    nowCpu / 1e9, ran, ran * 1e3 / interval));
        } else {
            line.append(String.format(Locale.ROOT, "; the last %,d", ran));
        }
        line.append(String.format(Locale.ROOT, ", %.1f %% translated; %.3f s host", ran == 0 ? 0.0
                : 100.0 * ranTranslated / ran, (System.nanoTime() - hostStart) / 1e9));
        err.println(line);
        err.flush();
        instructions = cpu.instructions;
        translated = cpu.translatedInstructions;
        cpuNanos = nowCpu;
    }
}
