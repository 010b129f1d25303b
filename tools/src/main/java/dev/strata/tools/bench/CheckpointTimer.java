package dev.strata.tools.bench;

import dev.strata.tools.bench.BenchGuest.Checkpoint;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Starts one emulator process and notes the wall seconds from its start until each checkpoint's text first shows
 * on its standard output (in order); ends the process after the last.
 */
final class CheckpointTimer {

    private final int timeoutSeconds;

    CheckpointTimer(int timeoutSeconds) {
        this.timeoutSeconds = timeoutSeconds;
    }

    /** Seconds to each checkpoint; {@code workload} names the run in the error when one never shows. */
    double[] time(List<String> command, List<Checkpoint> checkpoints, String workload)
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
        long[] seenAt = new long[checkpoints.size()];
        CountDownLatch over = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (InputStream in = p.getInputStream()) {
                for (int k = 0; k < seenAt.length; k++) {
                    if (!new OutputMarker(checkpoints.get(k).text()).awaitIn(in)) {
                        break;
                    }
                    seenAt[k] = System.nanoTime();
                }
            } catch (IOException e) {
                // the process was ended; seenAt tells which checkpoints came first
            } finally {
                over.countDown();
            }
        }, "strata-bench-reader");
        reader.setDaemon(true);
        reader.start();
        boolean finished = over.await(timeoutSeconds, TimeUnit.SECONDS);
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
        return seconds;
    }
}
