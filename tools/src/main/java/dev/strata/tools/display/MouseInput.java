package dev.strata.tools.display;

import static org.lwjgl.glfw.GLFW.GLFW_MOUSE_BUTTON_MIDDLE;
import static org.lwjgl.glfw.GLFW.GLFW_PRESS;
import static org.lwjgl.glfw.GLFW.GLFW_RELEASE;

/**
 * Turns the window's mouse events into the guest's PS/2 mouse, as VirtualBox does without guest additions: a click
 * in the window captures the host pointer (that click stays with the host), then motion goes to the guest as
 * relative counts and the left, right and middle buttons as its buttons, until the host key or the loss of the focus
 * releases the pointer. Releasing lets go of every button the guest holds, so none stays down in the guest.
 */
public final class MouseInput {

    private final GuestMouse guest;
    private final PointerGrab grab;
    private boolean captured;
    private boolean havePosition;
    private double lastX;
    private double lastY;
    private int buttons;
    /** Wheel turns not yet sent: a touchpad scrolls in fractions of a notch. */
    private double wheelRest;

    public MouseInput(GuestMouse guest, PointerGrab grab) {
        this.guest = guest;
        this.grab = grab;
    }

    /** True while the pointer belongs to the guest. */
    public boolean captured() {
        return captured;
    }

    /** A GLFW mouse button event ({@code action} GLFW_PRESS or GLFW_RELEASE), as the button callback gets it. */
    public void buttonEvent(int glfwButton, int action) {
        if (!captured) {
            if (action == GLFW_PRESS) {
                captured = true;
                havePosition = false;
                grab.grab(true);
            }
            return;
        }
        if (glfwButton < 0 || glfwButton > GLFW_MOUSE_BUTTON_MIDDLE) {
            return; // side buttons: a standard PS/2 mouse has three
        }
        int bit = 1 << glfwButton; // GLFW numbers left, right, middle 0, 1, 2, as the PS/2 packet's bits
        int now = action == GLFW_RELEASE ? buttons & ~bit : buttons | bit;
        if (now != buttons) {
            buttons = now;
            guest.buttons(now);
        }
    }

    /** The pointer is at {@code x, y} in the window (unbounded while captured): the guest gets the difference. */
    public void cursorMoved(double x, double y) {
        if (!captured) {
            return;
        }
        if (havePosition) {
            int right = (int) Math.round(x - lastX);
            int down = (int) Math.round(y - lastY);
            if (right == 0 && down == 0) {
                return; // less than a count: keep the old position, so the fractions add up
            }
            guest.move(right, down);
            x = lastX + right;
            y = lastY + down;
        }
        lastX = x;
        lastY = y;
        havePosition = true;
    }

    /**
     * The wheel (or a touchpad) scrolled {@code up} notches, as GLFW's scroll callback counts them (positive away
     * from the user): while captured the guest's wheel turns the other way round, toward the user being positive.
     */
    public void scrolled(double up) {
        if (!captured) {
            return;
        }
        wheelRest -= up;
        int down = (int) wheelRest; // whole notches; the fraction waits for the next scroll
        if (down != 0) {
            wheelRest -= down;
            guest.wheel(down);
        }
    }

    /** The host key was pressed or the window lost the focus: the pointer goes back to the host. */
    public void release() {
        if (!captured) {
            return;
        }
        captured = false;
        if (buttons != 0) {
            buttons = 0;
            guest.buttons(0);
        }
        grab.grab(false);
    }
}
