package dev.strata.tools.display;

import static org.lwjgl.glfw.GLFW.*;
import static org.lwjgl.opengl.GL11.*;
import static org.lwjgl.opengl.GL12.GL_BGRA;
import static org.lwjgl.opengl.GL12.GL_CLAMP_TO_EDGE;
import static org.lwjgl.opengl.GL12.GL_UNSIGNED_INT_8_8_8_8_REV;

import dev.strata.emulator.device.keyboard.Key;
import dev.strata.emulator.device.vga.PictureExchange;
import dev.strata.emulator.device.vga.ScreenRenderer;
import dev.strata.emulator.device.vga.VgaDevice;
import dev.strata.emulator.device.vga.VgaPicture;
import dev.strata.emulator.display.Frame;
import dev.strata.emulator.machine.MachineRunner;
import dev.strata.emulator.machine.MachineStatistics;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.lwjgl.glfw.GLFWErrorCallback;
import org.lwjgl.glfw.GLFWVidMode;
import org.lwjgl.opengl.GL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A GLFW window with an OpenGL texture showing the machine's screen, on a thread of its own ("strata-window").
 *
 * <p>Frames are rendered on this thread, never on the CPU thread. Once per refresh period of the display it looks
 * whether the picture may have changed (the VGA's change count, read from this thread without a lock) and only then
 * asks the CPU thread for a picture: between two batches, where the VGA's registers and memory hold still, the CPU
 * thread copies what the picture is made of ({@link VgaDevice#capture}: registers, DAC, the video memory the mode
 * shows) into a {@link VgaPicture} it reuses and hands it over through a {@link PictureExchange}; this thread renders
 * it with the {@link ScreenRenderer} screenshots use, into a frame it reuses, and uploads it as the texture. It also
 * asks every {@link #BLINK_CHECK_NANOS}, for the cursor's and text's blinking and for any change the racy read
 * missed; the CPU thread then copies only when the change count or the blink phase differ from the last picture's.
 * The window draws and swaps buffers only when a new frame came, the window was exposed or resized, or a test reads
 * its pixels; swapping waits for vertical sync, and otherwise (no new picture, or a virtual X server without
 * vertical sync) the loop sleeps out the rest of the refresh period. An unchanged screen thus costs the CPU thread
 * a few checks a second and the window thread almost nothing. As on hardware, a frame may show the guest half way
 * through drawing.
 */
final class GlfwWindow implements MachineWindow, GuestKeyboard, GuestMouse, PointerGrab, HostCommands {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private static final Logger LOG = LoggerFactory.getLogger(GlfwWindow.class);
    private static final long TITLE_NANOS = 500_000_000L;
    /** How often the CPU thread is asked for a frame even when the change count stands still (blinking, races). */
    private static final long BLINK_CHECK_NANOS = 50_000_000L;

    private final MachineRunner runner;
    private final String name;
    private final KeyboardInput keyboard = new KeyboardInput(this, this);
    private final MouseInput mouse = new MouseInput(this, this);
    private final PictureExchange exchange = new PictureExchange();
    /** Window thread only: the renderer and the frame it renders into, reused while the mode stays. */
    private final ScreenRenderer renderer = new ScreenRenderer();
    private Frame shown;
    private final AtomicBoolean frameAsked = new AtomicBoolean();
    private final ConcurrentLinkedQueue<Runnable> windowTasks = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<CompletableFuture<Frame>> readRequests = new ConcurrentLinkedQueue<>();
    private final CompletableFuture<Void> opened = new CompletableFuture<>();
    private volatile boolean open = true;
    private volatile long framesDrawn;
    /** Written on the window thread only: frames rendered, and its CPU time spent rendering them. */
    private volatile long framesRendered;
    private volatile long renderNanos;
    /** Written on the CPU thread only: its CPU time spent capturing pictures, and its whole CPU time at the last. */
    private volatile long captureNanos;
    private volatile long cpuThreadNanos;
    /** The change count and blink phase of the last picture captured; CPU thread only. */
    private int capturedChanges;
    private long capturedBlinkPhase = -1;
    /** The change count this thread last saw, and when it last asked for a frame; window thread only. */
    private int seenChanges;
    private long lastAskAt;
    /** The window was exposed or resized: draw again even without a new frame; window thread only. */
    private boolean redraw = true;
    private Thread thread;
    private long window;
    private int texture;
    private int textureWidth;
    private int textureHeight;
    private long refreshNanos = 1_000_000_000L / 60;
    private final WindowTitle title;
    private long lastTitleAt;

    private GlfwWindow(MachineRunner runner, String name) {
        this.runner = runner;
        this.name = name;
        this.title = new WindowTitle(name);
    }

    /** Starts the window thread and waits until the window is open, or throws why it could not open. */
    static GlfwWindow open(MachineRunner runner, String name) {
        GlfwWindow w = new GlfwWindow(runner, name);
        w.thread = new Thread(w::windowThread, "strata-window");
        w.thread.setDaemon(true);
        w.thread.start();
        try {
            w.opened.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            w.close();
            throw new DisplayUnavailableException("--gui: interrupted while the window opened");
        }
        return w;
    }

    private void windowThread() {
        StringBuilder glfwError = new StringBuilder();
        GLFWErrorCallback errors = GLFWErrorCallback.create((code, description) -> {
            if (glfwError.isEmpty()) {
                glfwError.append(GLFWErrorCallback.getDescription(description));
            }
        });
        glfwSetErrorCallback(errors);
        try {
            if (System.getenv("WAYLAND_DISPLAY") == null) {
                // X11 straight away: probing for Wayland first prints a complaint about XDG_RUNTIME_DIR
                glfwInitHint(GLFW_PLATFORM, GLFW_PLATFORM_X11);
            }
            if (!glfwInit()) {
                opened.completeExceptionally(new DisplayUnavailableException("--gui could not reach the display "
                        + System.getenv("DISPLAY") + (glfwError.isEmpty() ? "" : " (" + glfwError + ")")
                        + ": check DISPLAY, or use --headless or the terminal screen instead"));
                return;
            }
            try {
                if (!createWindow(glfwError)) {
                    return;
                }
                opened.complete(null);
                loop();
            } finally {
                if (window != 0) {
                    glfwDestroyWindow(window);
                }
                glfwTerminate();
            }
        } catch (Throwable t) {
            if (!opened.isDone()) {
                opened.completeExceptionally(new DisplayUnavailableException("--gui could not open a window: " + t));
            } else {
                // the machine runs on without its window; the log says why it went
                LOG.warn("the window of '{}' failed and closed; the machine keeps running", name, t);
            }
        } finally {
            glfwSetErrorCallback(null);
            errors.free();
        }
    }

    private boolean createWindow(StringBuilder glfwError) {
        Frame first = renderNow();
        int scale = 1;
        GLFWVidMode mode = glfwGetVideoMode(glfwGetPrimaryMonitor());
        if (mode != null) {
            if (mode.refreshRate() > 0) {
                refreshNanos = 1_000_000_000L / mode.refreshRate();
            }
            // twice the size when that still leaves room for the desktop around it
            if (first.width() * 2 <= mode.width() * 9 / 10 && first.height() * 2 <= mode.height() * 9 / 10) {
                scale = 2;
            }
        }
        glfwDefaultWindowHints();
        glfwWindowHint(GLFW_RESIZABLE, GLFW_TRUE);
        window = glfwCreateWindow(first.width() * scale, first.height() * scale,
                title.initial(state(), mouse.captured()), 0, 0);
        if (window == 0) {
            opened.completeExceptionally(new DisplayUnavailableException("--gui could not open an OpenGL window on "
                    + System.getenv("DISPLAY") + (glfwError.isEmpty() ? "" : " (" + glfwError + ")")));
            return false;
        }
        glfwMakeContextCurrent(window);
        GL.createCapabilities();
        glfwSwapInterval(1);
        glfwSetKeyCallback(window, (w, key, scancode, action, mods) -> keyboard.keyEvent(key, action));
        glfwSetWindowFocusCallback(window, (w, focused) -> {
            keyboard.focusChanged(focused);
            if (!focused) {
                mouse.release();
            }
        });
        glfwSetMouseButtonCallback(window, (w, button, action, mods) -> mouse.buttonEvent(button, action));
        glfwSetCursorPosCallback(window, (w, x, y) -> mouse.cursorMoved(x, y));
        glfwSetScrollCallback(window, (w, x, y) -> mouse.scrolled(y));
        glfwSetWindowCloseCallback(window, w -> runner.stop()); // as the terminal's Ctrl-] q: the machine powers off
        glfwSetWindowRefreshCallback(window, w -> redraw = true);
        glfwSetFramebufferSizeCallback(window, (w, width, height) -> redraw = true);
        texture = glGenTextures();
        glBindTexture(GL_TEXTURE_2D, texture);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
        glEnable(GL_TEXTURE_2D);
        upload(first);
        return true;
    }

    /** The first frame, before the CPU thread runs: nothing else touches the VGA yet. */
    private Frame renderNow() {
        VgaDevice vga = runner.machine().vga();
        seenChanges = vga.changeCount();
        capturedChanges = seenChanges;
        capturedBlinkPhase = vga.blinkPhase();
        VgaPicture first = new VgaPicture();
        vga.capture(first);
        shown = renderer.render(first, null);
        return shown;
    }

    private void loop() {
        long lastSwap = System.nanoTime();
        while (open) {
            glfwPollEvents();
            Runnable task;
            while ((task = windowTasks.poll()) != null) {
                task.run();
            }
            askForFrameIfChanged();
            Frame frame = renderNewest();
            if (frame != null) {
                upload(frame);
            }
            if (frame != null || redraw || !readRequests.isEmpty()) {
                redraw = false;
                draw();
                answerReadRequests();
                glfwSwapBuffers(window);
                framesDrawn++;
            }
            long now = System.nanoTime();
            long early = refreshNanos - (now - lastSwap);
            if (early > 1_000_000L) {
                // no vertical sync to wait for (a virtual display): wait out the refresh period ourselves
                sleepNanos(early);
                now = System.nanoTime();
            }
            lastSwap = now;
            if (now - lastTitleAt >= TITLE_NANOS) {
                updateTitle(now);
            }
        }
    }

    /** Renders the newest picture the CPU thread handed over, on this thread; null when none came. */
    private Frame renderNewest() {
        VgaPicture picture = exchange.takeNewest();
        if (picture == null) {
            return null;
        }
        long start = THREADS.getCurrentThreadCpuTime();
        shown = renderer.render(picture, shown);
        renderNanos += THREADS.getCurrentThreadCpuTime() - start;
        framesRendered++;
        return shown;
    }

    /**
     * Asks the CPU thread for a picture when the VGA's change count moved, or when {@link #BLINK_CHECK_NANOS} passed
     * since the last question, unless one is already on its way, so requests never pile up. The count is a plain
     * int the CPU thread writes: read here without synchronisation it may be stale, which costs at most one blink
     * check period, since the CPU thread compares the exact count before it renders.
     */
    private void askForFrameIfChanged() {
        long now = System.nanoTime();
        int changes = runner.machine().vga().changeCount();
        if (changes == seenChanges && now - lastAskAt < BLINK_CHECK_NANOS) {
            return;
        }
        if (frameAsked.compareAndSet(false, true)) {
            seenChanges = changes;
            lastAskAt = now;
            runner.execute(m -> {
                // CPU time, not host time: on a busy host the thread is also preempted while it copies
                long start = THREADS.getCurrentThreadCpuTime();
                captureIfChanged(m.vga());
                long end = THREADS.getCurrentThreadCpuTime();
                captureNanos += end - start;
                cpuThreadNanos = end;
                frameAsked.set(false);
            });
        }
    }

    /** On the CPU thread: hands over a picture for the window unless it would show what the last one showed. */
    private void captureIfChanged(VgaDevice vga) {
        int changes = vga.changeCount();
        long blinkPhase = vga.blinkPhase();
        if (changes != capturedChanges || blinkPhase != capturedBlinkPhase) {
            capturedChanges = changes;
            capturedBlinkPhase = blinkPhase;
            vga.capture(exchange.back());
            exchange.publish();
        }
    }

    private void upload(Frame frame) {
        glBindTexture(GL_TEXTURE_2D, texture);
        if (frame.width() != textureWidth || frame.height() != textureHeight) {
            textureWidth = frame.width();
            textureHeight = frame.height();
            glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, textureWidth, textureHeight, 0, GL_BGRA,
                    GL_UNSIGNED_INT_8_8_8_8_REV, frame.pixels());
        } else {
            glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, textureWidth, textureHeight, GL_BGRA,
                    GL_UNSIGNED_INT_8_8_8_8_REV, frame.pixels());
        }
    }

    private void draw() {
        int[] w = new int[1];
        int[] h = new int[1];
        glfwGetFramebufferSize(window, w, h);
        glViewport(0, 0, w[0], h[0]);
        glClearColor(0, 0, 0, 1);
        glClear(GL_COLOR_BUFFER_BIT);
        Viewport v = Viewport.fit(textureWidth, textureHeight, w[0], h[0]);
        // GL counts rows from the bottom
        glViewport(v.x(), h[0] - v.y() - v.height(), v.width(), v.height());
        glBindTexture(GL_TEXTURE_2D, texture);
        glBegin(GL_QUADS);
        glTexCoord2f(0, 1);
        glVertex2f(-1, -1);
        glTexCoord2f(1, 1);
        glVertex2f(1, -1);
        glTexCoord2f(1, 0);
        glVertex2f(1, 1);
        glTexCoord2f(0, 0);
        glVertex2f(-1, 1);
        glEnd();
    }

    private void updateTitle(long now) {
        lastTitleAt = now;
        MachineStatistics stats = runner.statistics();
        String text = title.next(now, stats.instructions(), stats.mips(), state(), mouse.captured());
        if (text != null) {
            glfwSetWindowTitle(window, text);
        }
    }

    private WindowTitle.State state() {
        return runner.outcome() != null ? WindowTitle.State.POWERED_OFF
                : runner.isPaused() ? WindowTitle.State.PAUSED : WindowTitle.State.RUNNING;
    }

    private static void sleepNanos(long nanos) {
        try {
            Thread.sleep(nanos / 1_000_000L, (int) (nanos % 1_000_000L));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public long framesDrawn() {
        return framesDrawn;
    }

    @Override
    public long framesRendered() {
        return framesRendered;
    }

    @Override
    public long renderNanos() {
        return renderNanos;
    }

    @Override
    public long captureNanos() {
        return captureNanos;
    }

    @Override
    public long cpuThreadNanos() {
        return cpuThreadNanos;
    }

    @Override
    public void keyEvent(int glfwKey, int action) {
        windowTasks.add(() -> keyboard.keyEvent(glfwKey, action));
    }

    @Override
    public Frame readPixels() throws InterruptedException {
        CompletableFuture<Frame> read = new CompletableFuture<>();
        windowTasks.add(() -> readRequests.add(read));
        try {
            return read.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Reads the frame just drawn from the back buffer, before it is swapped to the screen. */
    private void answerReadRequests() {
        CompletableFuture<Frame> read;
        while ((read = readRequests.poll()) != null) {
            int[] w = new int[1];
            int[] h = new int[1];
            glfwGetFramebufferSize(window, w, h);
            int[] pixels = new int[w[0] * h[0]];
            glReadBuffer(GL_BACK);
            glReadPixels(0, 0, w[0], h[0], GL_BGRA, GL_UNSIGNED_INT_8_8_8_8_REV, pixels);
            int[] topDown = new int[pixels.length];
            for (int y = 0; y < h[0]; y++) {
                System.arraycopy(pixels, (h[0] - 1 - y) * w[0], topDown, y * w[0], w[0]);
            }
            for (int i = 0; i < topDown.length; i++) {
                topDown[i] |= 0xFF000000; // a window has no transparency; its visual may keep no alpha at all
            }
            read.complete(new Frame(w[0], h[0], topDown));
        }
    }

    // GuestKeyboard: key events go to the CPU thread in the order they came

    @Override
    public void press(Key key) {
        runner.execute(m -> m.keyInput().press(key));
    }

    @Override
    public void release(Key key) {
        runner.execute(m -> m.keyInput().release(key));
    }

    // GuestMouse: motion and buttons go to the CPU thread in the order they came

    @Override
    public void move(int right, int down) {
        runner.execute(m -> m.mouse().move(right, down));
    }

    @Override
    public void buttons(int held) {
        runner.execute(m -> m.mouse().setButtons(held));
    }

    @Override
    public void wheel(int down) {
        runner.execute(m -> m.mouse().wheel(down));
    }

    // PointerGrab: on the window thread, from MouseInput

    @Override
    public void grab(boolean captured) {
        glfwSetInputMode(window, GLFW_CURSOR, captured ? GLFW_CURSOR_DISABLED : GLFW_CURSOR_NORMAL);
        if (glfwRawMouseMotionSupported()) {
            glfwSetInputMode(window, GLFW_RAW_MOUSE_MOTION, captured ? GLFW_TRUE : GLFW_FALSE);
        }
        lastTitleAt = 0; // the title says whether the mouse is captured: update it now
    }

    @Override
    public void mouseButton(int glfwButton, int action) {
        windowTasks.add(() -> mouse.buttonEvent(glfwButton, action));
    }

    @Override
    public void mouseMoved(double x, double y) {
        windowTasks.add(() -> mouse.cursorMoved(x, y));
    }

    // HostCommands

    @Override
    public void togglePause() {
        if (runner.isPaused()) {
            runner.resume();
        } else {
            new Thread(runner::pause, "strata-pause").start(); // pause() waits for the CPU thread to park
        }
    }

    @Override
    public void reset() {
        runner.execute(m -> m.requestReset());
    }

    @Override
    public void powerOff() {
        runner.stop();
    }

    @Override
    public void releaseMouse() {
        mouse.release();
    }

    @Override
    public void close() {
        open = false;
        if (thread != null && Thread.currentThread() != thread) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
