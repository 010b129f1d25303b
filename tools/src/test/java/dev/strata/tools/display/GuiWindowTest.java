package dev.strata.tools.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.strata.guests.BootSectorFloppy;
import dev.strata.guests.SharedData;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The --gui window on a virtual X server (Xvfb, with Mesa's software OpenGL): FreeDOS's prompt shows in it pixel for
 * pixel as the VGA renders it, keys typed in it reach the guest, and a click captures the mouse, whose motion and
 * buttons reach the PS/2 mouse; a 1024x768x32 VBE mode drawn through the linear frame buffer shows pixel for pixel.
 * Xvfb is required in CI and skipped loudly elsewhere. The window runs in a child JVM, the only way to give GLFW a DISPLAY of the test's own.
 */
class GuiWindowTest {

    @TempDir
    Path dir;

    @Test
    void windowShowsTheVgaFrameAndTypingReachesTheGuest() throws Exception {
        Optional<Path> xvfb = xvfb();
        assumeTrue(xvfb.isPresent(), "Xvfb not installed");
        Optional<Path> shared = SharedData.find("guests/freedos/freedos722.img");
        assumeTrue(shared.isPresent(), "FreeDOS floppy not available");
        Path floppy = Files.copy(shared.get(), dir.resolve("fd.img"));
        String log = probe(xvfb.get(), floppy.toString());
        assertTrue(log.contains("OK the 1440x800 window shows the 720x400 frame at 2x, pixel for pixel"), log);
        assertTrue(log.contains("mouse packets after a click in the window"), log);
    }

    @Test
    void windowShowsA1024x768x32VbeModePixelForPixel() throws Exception {
        Optional<Path> xvfb = xvfb();
        assumeTrue(xvfb.isPresent(), "Xvfb not installed");
        Path floppy;
        try {
            floppy = BootSectorFloppy.build("guests/vga/vbelfb.asm", dir);
        } catch (BootSectorFloppy.NasmMissing e) {
            assertFalse(SharedData.inCi(), "nasm is required in CI (CI=true): " + e.getMessage());
            System.err.println("*** SKIPPING: " + e.getMessage());
            assumeTrue(false, e.getMessage());
            return;
        }
        String log = probe(xvfb.get(), floppy.toString(), "vbe");
        assertTrue(log.contains("OK vbe: the 1440x800 window shows the 1024x768 frame at 1x, pixel for pixel"), log);
    }

    /** Runs {@link WindowProbe} with {@code args} in a child JVM on a fresh Xvfb display; returns its output. */
    private String probe(Path xvfb, String... args) throws Exception {
        Process server = new ProcessBuilder(xvfb.toString(), "-displayfd", "1", "-screen", "0", "1600x1200x24",
                "-nolisten", "tcp").redirectError(dir.resolve("xvfb.log").toFile()).start();
        try {
            String display = new BufferedReader(new InputStreamReader(server.getInputStream(),
                    StandardCharsets.US_ASCII)).readLine();
            assertTrue(display != null && display.matches("\\d+"), "Xvfb did not say its display: " + display
                    + " " + Files.readString(dir.resolve("xvfb.log")));
            List<String> command = new java.util.ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), WindowProbe.class.getName()));
            command.addAll(List.of(args));
            ProcessBuilder child = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("probe.log").toFile());
            child.environment().put("DISPLAY", ":" + display);
            child.environment().put("XDG_RUNTIME_DIR", dir.toString());
            Process probe = child.start();
            boolean ended = probe.waitFor(300, TimeUnit.SECONDS);
            if (!ended) {
                probe.destroyForcibly();
            }
            String log = Files.readString(dir.resolve("probe.log"));
            System.err.println("GuiWindowTest: " + log.strip());
            assertTrue(ended, "the window probe did not end in 300 s: " + log);
            assertEquals(0, probe.exitValue(), log);
            return log;
        } finally {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void withoutADisplayGuiFailsWithOneLineAndStatusOne() throws Exception {
        Process run = strataWithDisplay(null, "run", "--gui");
        String out = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(run.waitFor(120, TimeUnit.SECONDS), out);
        assertEquals(1, run.exitValue(), out);
        assertEquals("strata: --gui needs a display, and DISPLAY is not set: run on a desktop session (or ssh -X),"
                + " or use --headless or the terminal screen instead", out.strip());
    }

    @Test
    void aDisplayNobodyServesFailsWithOneLineAndStatusOne() throws Exception {
        Process run = strataWithDisplay(":9999", "run", "--gui");
        String out = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(run.waitFor(120, TimeUnit.SECONDS), out);
        assertEquals(1, run.exitValue(), out);
        assertTrue(out.strip().startsWith("strata: --gui could not reach the display :9999"), out);
        assertEquals(1, out.strip().lines().count(), out);
    }

    /** {@code strata ARGS} in a child JVM with DISPLAY set to {@code display} (unset when null), output merged. */
    private Process strataWithDisplay(String display, String... args) throws IOException {
        List<String> cmd = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-D" + dev.strata.storage.media.StrataHome.PROPERTY + "=" + dir.resolve("home"), "-cp", System.getProperty("java.class.path"),
                dev.strata.tools.StrataCli.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("WAYLAND_DISPLAY");
        if (display == null) {
            pb.environment().remove("DISPLAY");
        } else {
            pb.environment().put("DISPLAY", display);
        }
        return pb.start();
    }

    /** Xvfb on the PATH; in CI its absence fails the test instead of skipping it. */
    private static Optional<Path> xvfb() throws IOException {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            Path p = Path.of(dir, "Xvfb");
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        if (SharedData.inCi()) {
            throw new IllegalStateException("Xvfb is missing, and CI=true needs it for the --gui test: apt-get"
                    + " install xvfb libgl1-mesa-dri");
        }
        System.err.println("*** SKIPPING GuiWindowTest: Xvfb not found on the PATH (apt-get install xvfb"
                + " libgl1-mesa-dri)");
        return Optional.empty();
    }
}
