package dev.strata.vm.scenario;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A scenario's {@code host} step: a shell command on the host, run while the machine waits, with
 * {@code STRATA_OUTPUT} naming the run's output folder, where the serial log and screen so far and the states saved
 * so far are.
 */
final class HostCommand {

    /** How much of a failed command's output a report quotes. */
    private static final int QUOTED = 400;

    private HostCommand() {
    }

    /** Runs {@code step}; null when it exited 0 in time, else why not, with the end of what it printed. */
    static String run(Step.Host step, Path output) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(List.of("sh", "-c", step.command())).directory(step.folder().toFile())
                .redirectErrorStream(true);
        pb.environment().put("STRATA_OUTPUT", output.toAbsolutePath().toString());
        Process p = pb.start();
        p.getOutputStream().close();
        byte[][] printed = new byte[1][];
        Thread reader = new Thread(() -> {
            try {
                printed[0] = p.getInputStream().readAllBytes();
            } catch (IOException e) {
                printed[0] = new byte[0];
            }
        }, "strata-host-step");
        reader.start();
        try {
            if (!p.waitFor(step.timeoutMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                return "still running after " + Scenario.seconds(step.timeoutMillis() * 1_000_000) + " s; stopped";
            }
            reader.join();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return "interrupted";
        }
        if (p.exitValue() == 0) {
            return null;
        }
        String out = new String(printed[0] == null ? new byte[0] : printed[0], StandardCharsets.UTF_8).strip();
        if (out.length() > QUOTED) {
            out = "..." + out.substring(out.length() - QUOTED);
        }
        return "exited with status " + p.exitValue() + (out.isEmpty() ? "" : ": " + out);
    }
}
