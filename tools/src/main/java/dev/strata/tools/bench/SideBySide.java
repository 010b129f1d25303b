package dev.strata.tools.bench;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs two emulator commands at the same time and times each to the same checkpoints: on a host that other work
 * loads unevenly from minute to minute, two builds run side by side meet the same load, where runs one after the
 * other can differ by more than the change being measured.
 */
final class SideBySide {

    private final CheckpointTimer timer;

    SideBySide(CheckpointTimer timer) {
        this.timer = timer;
    }

    /**
     * The figures at each checkpoint for {@code a} ([0]) and {@code b} ([1]), two Stratas started together;
     * {@code aFirst} says which one's process starts a moment before the other's (callers take turns: the order can
     * favour one).
     */
    RunTimes[] time(List<String> a, List<String> b, boolean aFirst, List<BenchGuest.Checkpoint> checkpoints,
                    String workload) throws IOException, InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "strata-bench-side");
            t.setDaemon(true);
            return t;
        });
        try {
            String thread = EmulatorCpuClock.STRATA_THREAD;
            Future<RunTimes> first = pool.submit(() -> timer.time(aFirst ? a : b, checkpoints, thread, workload));
            Future<RunTimes> second = pool.submit(() -> timer.time(aFirst ? b : a, checkpoints, thread, workload));
            // both are waited for even when one fails (each ends within the timer's timeout), so that no process
            // is left running when the error is reported
            ExecutionException failed = null;
            RunTimes f = null;
            RunTimes s = null;
            try {
                f = first.get();
            } catch (ExecutionException e) {
                failed = e;
            }
            try {
                s = second.get();
            } catch (ExecutionException e) {
                failed = failed != null ? failed : e;
            }
            if (failed != null) {
                throw rethrown(failed.getCause());
            }
            return aFirst ? new RunTimes[] {f, s} : new RunTimes[] {s, f};
        } finally {
            pool.shutdownNow();
        }
    }

    private static IOException rethrown(Throwable cause) {
        if (cause instanceof RuntimeException r) {
            throw r;
        }
        if (cause instanceof Error e) {
            throw e;
        }
        return cause instanceof IOException io ? io : new IOException(cause);
    }
}
