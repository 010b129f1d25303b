package dev.strata.tools.display;

/** The window system's side of capturing the mouse: hiding the host pointer and keeping it in the window. */
public interface PointerGrab {

    /** Captures the host pointer ({@code true}) or gives it back. */
    void grab(boolean captured);
}
