package dev.strata.tools.run;

import dev.strata.emulator.cpu.translate.BlockTranslator;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * The {@code --stats} line on the work beside the CPU thread that makes the guest's code fast: the JVM's JIT
 * compilers (which compile Strata and the translations) and the translating tier's background thread. On a host with
 * few cores they compete for the same one, and how soon translations get compiled decides much of a long run's speed.
 */
final class JitWork {

    private JitWork() {
    }

    /** The line (with its line break), or nothing where the JVM measures neither. */
    static String describe() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        boolean compilers = jit != null && jit.isCompilationTimeMonitoringSupported();
        long translator = BlockTranslator.backgroundCpuNanos();
        if (!compilers && translator < 0) {
            return "";
        }
        StringBuilder line = new StringBuilder("strata:");
        if (compilers) {
            // elapsed time of each compilation, added up over the compiler threads, since the JVM started
            line.append(String.format(Locale.ROOT, " the JVM's JIT compilers took %.3f s (their threads' times added"
                    + " up, from the JVM's start)", jit.getTotalCompilationTime() / 1e3));
        }
        if (translator >= 0) {
            line.append(compilers ? "," : "").append(String.format(Locale.ROOT,
                    " the translator thread took %.3f s of CPU time", translator / 1e9));
        }
        return line.append(System.lineSeparator()).toString();
    }
}
