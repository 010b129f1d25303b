package dev.strata.storage.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs qemu-img and qemu-io for the interop tests: required when CI=true, skipped loudly otherwise (Debian package
 * qemu-utils).
 */
public final class QemuTools {
    private QemuTools() {
    }

    /** What a command printed (standard output and error together) and how it exited. */
    public record Result(int exit, String output) {
    }

    /** Fails under CI=true and aborts the test class otherwise when qemu-img or qemu-io is missing. */
    public static void require(String testName) {
        boolean present = works("qemu-img", "--version") && works("qemu-io", "--version");
        if (!present) {
            String msg = "qemu-img/qemu-io not found on the PATH: install qemu-utils to run " + testName;
            if ("true".equals(System.getenv("CI"))) {
                fail(msg + " (required because CI=true)");
            }
            System.err.println("\n*** SKIPPED " + testName + ": " + msg + " ***\n");
            Assumptions.abort(msg);
        }
    }

    private static boolean works(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Runs {@code cmd} in {@code dir}. */
    public static Result exec(Path dir, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "timed out: " + String.join(" ", cmd));
        return new Result(p.exitValue(), out);
    }

    /** Runs {@code cmd} in {@code dir} and fails the test unless it exits 0; returns its output. */
    public static String run(Path dir, String... cmd) throws Exception {
        Result r = exec(dir, cmd);
        assertEquals(0, r.exit(), String.join(" ", cmd) + " failed:\n" + r.output());
        return r.output();
    }
}
