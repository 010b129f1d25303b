package dev.strata.tools.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * The CPU seconds an emulator process has used so far: its emulating thread's (the one that runs the guest's
 * instructions, found by name among the process's threads in /proc) and all its threads' together (JIT compilers,
 * I/O threads and the rest included). CPU seconds leave out the time the process waited for a core while other work
 * ran, and the emulating thread's are the emulator's own work on the guest. A figure that cannot be read (no /proc on
 * this host, the thread not there) is NaN.
 */
final class EmulatorCpuClock {

    /** Strata's thread that runs the guest ({@code MachineRunner}'s). */
    static final String STRATA_THREAD = "strata-cpu";
    /** QEMU's TCG thread of the first virtual CPU, as QEMU names it when started with {@code debug-threads=on}. */
    static final String QEMU_THREAD = "CPU 0/TCG";

    /** Linux reports a process's times in clock ticks of USER_HZ, 100 a second on every architecture it runs on. */
    private static final double TICKS_PER_SECOND = 100.0;

    private final ProcessHandle process;
    private final Path tasks;
    private final String threadName;
    /** The emulating thread's directory under {@link #tasks}, once found (by either of the timer's threads). */
    private volatile Path thread;
    /** The figures the last {@link #sample} read. */
    private volatile double[] last = {Double.NaN, Double.NaN};

    /** A clock for {@code process}, whose threads are listed under {@code procRoot}/pid/task. */
    EmulatorCpuClock(ProcessHandle process, Path procRoot, String threadName) {
        this.process = process;
        this.tasks = procRoot.resolve(Long.toString(process.pid())).resolve("task");
        this.threadName = threadName;
    }

    /**
     * The CPU seconds so far: [0] the emulating thread's, [1] all the process's threads' together. A figure that can
     * no longer be read (the thread or the process has just ended) is the last one read, so a timer that samples
     * every few milliseconds while the process runs still has one for output that came just before the end; NaN when
     * none ever was.
     */
    double[] sample() {
        double[] now = {threadSeconds(), processSeconds()};
        double[] before = last;
        double[] figures = {Double.isNaN(now[0]) ? before[0] : now[0], Double.isNaN(now[1]) ? before[1] : now[1]};
        last = figures;
        return figures;
    }

    /**
     * All the process's threads' CPU seconds, ended ones included: user and system time from its {@code stat} in
     * /proc (clock ticks, a hundredth of a second on Linux), else as the JDK tells it.
     */
    private double processSeconds() {
        try {
            String stat = Files.readString(tasks.getParent().resolve("stat"));
            // the command's name, in brackets, may hold spaces: fields are counted from the last ')'
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return process.isAlive()
                    ? process.info().totalCpuDuration().map(EmulatorCpuClock::seconds).orElse(Double.NaN)
                    : Double.NaN;
        }
    }

    private double threadSeconds() {
        Path t = thread;
        if (t == null) {
            t = find(tasks, threadName);
            thread = t;
        }
        return t != null ? cpuSeconds(t) : Double.NaN;
    }

    /** The directory of the thread named {@code name} among those under {@code tasks}, or null. */
    static Path find(Path tasks, String name) {
        try (Stream<Path> threads = Files.list(tasks)) {
            return threads.filter(t -> name.equals(comm(t))).findFirst().orElse(null);
        } catch (IOException | SecurityException e) {
            return null; // no /proc here, or the process has ended
        }
    }

    private static String comm(Path thread) {
        try {
            return Files.readString(thread.resolve("comm")).trim();
        } catch (IOException e) {
            return null; // the thread ended while we looked
        }
    }

    /**
     * The thread's time on a CPU from its {@code schedstat} (nanoseconds, the first of its three numbers), or NaN
     * once it has ended.
     */
    static double cpuSeconds(Path thread) {
        try {
            String s = Files.readString(thread.resolve("schedstat")).trim();
            int space = s.indexOf(' ');
            return Long.parseLong(space < 0 ? s : s.substring(0, space)) / 1e9;
        } catch (IOException | NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }
}
