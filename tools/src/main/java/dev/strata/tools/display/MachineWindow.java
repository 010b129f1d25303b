package dev.strata.tools.display;

import dev.strata.emulator.display.Frame;
import dev.strata.emulator.machine.MachineRunner;

/**
 * The {@code --gui} window of one running machine, as the console sees it: opened before the CPU starts, closed
 * after it stopped. {@link #open} is the only way in, so LWJGL loads only when a window is asked for.
 */
public interface MachineWindow extends AutoCloseable {

    /**
     * Opens a window titled {@code name} on {@code runner}'s machine; closing it stops the runner (the machine powers
     * off). Throws {@link DisplayUnavailableException} when there is no display to open it on.
     */
    static MachineWindow open(MachineRunner runner, String name) {
        requireDisplay();
        return GlfwWindow.open(runner, name);
    }

    /** Throws {@link DisplayUnavailableException} when no display is named at all: checked before a machine is built. */
    static void requireDisplay() {
        String display = System.getenv("DISPLAY");
        if ((display == null || display.isEmpty()) && System.getenv("WAYLAND_DISPLAY") == null) {
            throw new DisplayUnavailableException("--gui needs a display, and DISPLAY is not set: run on a desktop"
                    + " session (or ssh -X), or use --headless or the terminal screen instead");
        }
    }

    /** Frames drawn so far. */
    long framesDrawn();

    /** Frames rendered from the CPU thread's pictures, on the window thread. */
    long framesRendered();

    /** CPU time the window thread spent rendering frames, in nanoseconds. */
    long renderNanos();

    /**
     * CPU time the CPU thread spent on the window's pictures (the change checks and the copies), in nanoseconds:
     * what the window costs the guest besides sharing the host's cores.
     */
    long captureNanos();

    /** The CPU thread's whole CPU time when it last checked for a picture, in nanoseconds (0 before the first). */
    long cpuThreadNanos();

    /**
     * Handles a key event on the window thread exactly as GLFW's key callback does ({@code action} is GLFW_PRESS,
     * GLFW_RELEASE or GLFW_REPEAT); for tests, which cannot press a host key.
     */
    void keyEvent(int glfwKey, int action);

    /** Handles a mouse button event on the window thread as GLFW's button callback does (for tests). */
    void mouseButton(int glfwButton, int action);

    /** Handles a pointer position on the window thread as GLFW's cursor position callback does (for tests). */
    void mouseMoved(double x, double y);

    /** The window's pixels as the display shows them now, read back on the window thread (for tests). */
    Frame readPixels() throws InterruptedException;

    /** Closes the window; closing it again does nothing. */
    @Override
    void close();
}
