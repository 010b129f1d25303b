package dev.strata.tools.display;

/** {@code --gui} was asked for where no window can open: no display, or GLFW or OpenGL would not start. */
public final class DisplayUnavailableException extends IllegalStateException {

    public DisplayUnavailableException(String message) {
        super(message);
    }
}
