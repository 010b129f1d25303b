package dev.strata.tools.display;

import static org.lwjgl.glfw.GLFW.*;

import dev.strata.emulator.clock.ClockMode;
import dev.strata.emulator.display.Frame;
import dev.strata.emulator.machine.MachineRunner;
import dev.strata.emulator.machine.MachineSettings;
import dev.strata.emulator.machine.PcMachine;
import dev.strata.tools.run.DefaultFirmware;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A child JVM for {@link GuiWindowTest}, started with DISPLAY pointing at a virtual X server: boots the FreeDOS
 * floppy in a --gui window, checks the window shows exactly the VGA's frame and that keys typed in it reach the
 * guest. Prints "OK ..." and exits 0, or prints what went wrong and exits 1.
 */
public final class WindowProbe {

    private WindowProbe() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 1 && args[1].equals("vbe")) {
            vbe(Path.of(args[0]));
            return;
        }
        MachineSettings settings = new MachineSettings().floppy(0, Path.of(args[0])).bootOrder("a")
                .firmware(DefaultFirmware.create())
                // virtual time stands still while paused, so the cursor blinks in no frame the comparison makes
                .clockMode(ClockMode.DETERMINISTIC);
        try (PcMachine machine = new PcMachine(settings)) {
            MachineRunner runner = new MachineRunner(machine);
            try (MachineWindow window = MachineWindow.open(runner, "window probe")) {
                runner.start();
                waitForScreen(runner, "A:\\>", 180);
                String comparison = compareWhilePaused(runner, window);
                long framesBefore = window.framesDrawn();
                long before = System.nanoTime();
                Thread.sleep(2000);
                double fps = (window.framesDrawn() - framesBefore) / ((System.nanoTime() - before) / 1e9);
                if (fps > 25) {
                    // at the prompt only the cursor blinks: the window must skip the frames that show nothing new
                    throw new AssertionError(String.format(Locale.ROOT, "%.1f frames per second at an idle prompt;"
                            + " unchanged frames should be skipped", fps));
                }
                type(window, "ver");
                waitForScreen(runner, "FreeCom version", 60);
                String mouse = clickAndMove(runner, window);
                runner.stop();
                System.out.printf(Locale.ROOT, "OK %s; %.1f frames per second at the prompt; %s%n", comparison, fps,
                        mouse);
            }
        } catch (AssertionError | RuntimeException e) {
            System.out.println("FAILED: " + e.getMessage());
            System.out.flush();
            System.exit(1);
        }
        System.exit(0);
    }

    /**
     * Boots the VBE guest ({@code guests/vga/vbelfb.asm} on a floppy), waits for its "done" on port E9h and compares
     * the window with the 1024x768 frame of its linear frame buffer.
     */
    private static void vbe(Path floppy) throws Exception {
        MachineSettings settings = new MachineSettings().floppy(0, floppy).bootOrder("a")
                .firmware(DefaultFirmware.create()).clockMode(ClockMode.DETERMINISTIC);
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        StringBuilder e9 = new StringBuilder();
        try (PcMachine machine = new PcMachine(settings)) {
            machine.addDebugConsoleListener(b -> {
                e9.append((char) b);
                if (e9.toString().endsWith("done")) {
                    done.countDown();
                }
            });
            MachineRunner runner = new MachineRunner(machine);
            try (MachineWindow window = MachineWindow.open(runner, "window probe")) {
                runner.start();
                if (!done.await(120, java.util.concurrent.TimeUnit.SECONDS)) {
                    throw new AssertionError("the VBE guest did not finish drawing; port E9h: " + e9);
                }
                String comparison = compareWhilePaused(runner, window);
                runner.stop();
                System.out.printf(Locale.ROOT, "OK vbe: %s%n", comparison);
            }
        } catch (AssertionError | RuntimeException e) {
            System.out.println("FAILED: " + e.getMessage());
            System.out.flush();
            System.exit(1);
        }
        System.exit(0);
    }

    /**
     * With the machine paused, the window's next frames show exactly what renderFrame() gives, scaled. The window
     * looks for a new picture at least every 50 ms and a paused machine still renders for it, but on a loaded host
     * (Mesa draws in software) its first frames of a new mode can take longer than any fixed wait: the comparison
     * is repeated until the window shows the paused screen, for up to 30 s, and the last difference is reported.
     */
    private static String compareWhilePaused(MachineRunner runner, MachineWindow window) throws Exception {
        runner.pause();
        long deadline = System.nanoTime() + 30_000_000_000L;
        String result;
        do {
            Thread.sleep(250);
            result = comparison(window.readPixels(), onCpu(runner, m -> m.vga().renderFrame()), window);
        } while (!result.startsWith("OK ") && System.nanoTime() < deadline);
        runner.resume();
        if (window.framesRendered() == 0) {
            throw new AssertionError("the window showed frames but rendered none from the CPU thread's pictures");
        }
        if (!result.startsWith("OK ")) {
            throw new AssertionError(result);
        }
        return result.substring(3);
    }

    /** "OK " and what the window shows when it shows {@code rendered} scaled pixel for pixel, else what differs. */
    private static String comparison(Frame shown, Frame rendered, MachineWindow window) {
        Viewport v = Viewport.fit(rendered.width(), rendered.height(), shown.width(), shown.height());
        int scale = v.width() / rendered.width();
        if (scale < 1 || v.width() != rendered.width() * scale || v.height() != rendered.height() * scale) {
            return "the " + shown.width() + "x" + shown.height() + " window does not show the "
                    + rendered.width() + "x" + rendered.height() + " frame at a whole scale: " + v;
        }
        int differ = 0;
        String first = null;
        for (int y = 0; y < v.height(); y++) {
            for (int x = 0; x < v.width(); x++) {
                int want = rendered.pixel(x / scale, y / scale);
                int got = shown.pixel(v.x() + x, v.y() + y);
                if (want != got) {
                    if (first == null) {
                        first = String.format(Locale.ROOT, "window %d,%d is %08X, frame %d,%d is %08X", v.x() + x,
                                v.y() + y, got, x / scale, y / scale, want);
                    }
                    differ++;
                }
            }
        }
        if (differ > 0) {
            return differ + " window pixels differ from the frame; first: " + first;
        }
        return String.format(Locale.ROOT, "OK the %dx%d window shows the %dx%d frame at %dx, pixel for pixel (%d"
                + " frames rendered on the window thread)", shown.width(), shown.height(), rendered.width(),
                rendered.height(), scale, window.framesRendered());
    }

    /**
     * Turns the mouse's reporting on (as a driver would), then clicks to capture the pointer, moves it and presses
     * the right button in the window: the mouse's packets must come out of the 8042, the last with the right button.
     * (The motion itself depends on where the window system put the captured pointer, so only its form is checked.)
     */
    private static String clickAndMove(MachineRunner runner, MachineWindow window) throws Exception {
        onCpu(runner, m -> {
            m.mouse().receive(0xF4);
            return null;
        });
        window.mouseButton(GLFW_MOUSE_BUTTON_LEFT, GLFW_PRESS); // captures the pointer; the click stays here
        window.mouseButton(GLFW_MOUSE_BUTTON_LEFT, GLFW_RELEASE);
        window.mouseMoved(100, 100);
        window.mouseMoved(107, 95);
        window.mouseButton(GLFW_MOUSE_BUTTON_RIGHT, GLFW_PRESS);
        java.util.List<Integer> bytes = new java.util.ArrayList<>();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline && (bytes.size() < 4 || (bytes.get(bytes.size() - 3) & 0x07) != 0x02)) {
            Thread.sleep(50);
            bytes.addAll(onCpu(runner, m -> {
                java.util.List<Integer> out = new java.util.ArrayList<>();
                var kbc = m.keyboardController();
                while ((kbc.status() & 0x21) == 0x21) { // output full, from the auxiliary port
                    out.add(kbc.readDataForFirmware());
                }
                return out;
            }));
        }
        window.keyEvent(KeyboardInput.HOST_KEY, GLFW_PRESS); // gives the pointer back
        window.keyEvent(KeyboardInput.HOST_KEY, GLFW_RELEASE);
        if (bytes.isEmpty() || bytes.get(0) != 0xFA || (bytes.size() - 1) % 3 != 0 || bytes.size() < 4
                || (bytes.get(bytes.size() - 3) & 0x0F) != 0x0A) {
            throw new AssertionError("the mouse's bytes after a click, a move and the right button: " + bytes);
        }
        return (bytes.size() - 1) / 3 + " mouse packets after a click in the window";
    }

    private static void type(MachineWindow window, String letters) throws InterruptedException {
        for (char c : letters.toCharArray()) {
            int key = GLFW_KEY_A + (c - 'a');
            window.keyEvent(key, GLFW_PRESS);
            window.keyEvent(key, GLFW_REPEAT); // host auto-repeat must not type the letter twice
            window.keyEvent(key, GLFW_RELEASE);
        }
        window.keyEvent(GLFW_KEY_ENTER, GLFW_PRESS);
        window.keyEvent(GLFW_KEY_ENTER, GLFW_RELEASE);
    }

    private static void waitForScreen(MachineRunner runner, String text, int seconds) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (onCpu(runner, m -> m.vga().screenShows(text))) {
                return;
            }
            if (runner.outcome() != null) {
                break;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the screen never showed \"" + text + "\"; it shows:\n"
                + onCpu(runner, m -> m.vga().textScreen().toText()));
    }

    private static <T> T onCpu(MachineRunner runner, Function<PcMachine, T> question) throws Exception {
        if (runner.outcome() != null) {
            return question.apply(runner.machine());
        }
        CompletableFuture<T> answer = new CompletableFuture<>();
        runner.execute(m -> answer.complete(question.apply(m)));
        return answer.get();
    }
}
