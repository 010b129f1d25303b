package dev.strata.tools.bench;

import dev.strata.tools.bench.BenchGuest.Checkpoint;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Starts one emulator process and notes the wall seconds from its start until each checkpoint's text first shows
 * on its standard output (in order), with the CPU seconds the process had used by then ({@link EmulatorCpuClock});
 * ends the process after the last.
 */
final class CheckpointTimer {

    private static final long SAMPLE_EVERY_NANOS = 10_000_000L;

    private final int timeoutSeconds;

    CheckpointTimer(int timeoutSeconds) {
        this.timeoutSeconds = timeoutSeconds;
    }

    /**
     * The figures at each checkpoint; {@code thread} names the emulator's thread that runs the guest
     * ({@link EmulatorCpuClock#STRATA_THREAD} and the like), {@code workload} the run in the error when a checkpoint
     * never shows.
     */
    RunTimes time(List<String> command, List<Checkpoint> checkpoints, String thread, String workload)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
        long start = System.nanoTime();
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new IllegalStateException(workload + ": cannot start " + command.get(0) + ": " + e.getMessage());
        }
        p.getOutputStream().close();
        EmulatorCpuClock clock = new EmulatorCpuClock(p.toHandle(), Path.of("/proc"), thread);
        long[] seenAt = new long[checkpoints.size()];
        double[] threadCpu = new double[seenAt.length];
        double[] processCpu = new double[seenAt.length];
        Arrays.fill(threadCpu, Double.NaN);
        Arrays.fill(processCpu, Double.NaN);
        CountDownLatch over = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (InputStream in = p.getInputStream()) {
                for (int k = 0; k < seenAt.length; k++) {
                    if (!new OutputMarker(checkpoints.get(k).text()).awaitIn(in)) {
                        break;
                    }
                    seenAt[k] = System.nanoTime();
                    double[] cpu = clock.sample(); // at once: Strata powers off after its last expectation
                    threadCpu[k] = cpu[0];
                    processCpu[k] = cpu[1];
                }
            } catch (IOException e) {
                // the process was ended; seenAt tells which checkpoints came first
            } finally {
                over.countDown();
            }
        }, "strata-bench-reader");
        reader.setDaemon(true);
        reader.start();
        // the CPU seconds are read every 10 ms too: the last figures read stand in for ones the process's end made
        // unreadable between its output and the reader's look
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        boolean finished = false;
        for (long left = deadline - System.nanoTime(); !finished && left > 0; left = deadline - System.nanoTime()) {
            clock.sample();
            finished = over.await(Math.min(left, SAMPLE_EVERY_NANOS), TimeUnit.NANOSECONDS);
        }
        p.destroy();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
        }
        over.await(5, TimeUnit.SECONDS); // the reader ends once the process's output closes
        double[] seconds = new double[seenAt.length];
        for (int k = 0; k < seenAt.length; k++) {
            if (seenAt[k] == 0) {
                String why = finished ? "ended (exit code " + p.exitValue() + ")" : "timed out after " + timeoutSeconds
                        + " s";
                throw new IllegalStateException(workload + ": " + command.get(0) + " " + why + " before its output "
                        + "showed \"" + checkpoints.get(k).text() + "\" (" + checkpoints.get(k).label() + ")");
            }
            seconds[k] = (seenAt[k] - start) / 1e9;
        }
        return new RunTimes(seconds, threadCpu, processCpu);
    }
}
