package dev.strata.tools.display;

import static org.lwjgl.glfw.GLFW.GLFW_KEY_DELETE;
import static org.lwjgl.glfw.GLFW.GLFW_KEY_P;
import static org.lwjgl.glfw.GLFW.GLFW_KEY_Q;
import static org.lwjgl.glfw.GLFW.GLFW_KEY_R;
import static org.lwjgl.glfw.GLFW.GLFW_KEY_RIGHT_CONTROL;
import static org.lwjgl.glfw.GLFW.GLFW_PRESS;
import static org.lwjgl.glfw.GLFW.GLFW_RELEASE;

import dev.strata.emulator.device.keyboard.Key;
import java.util.EnumSet;
import java.util.Set;

/**
 * Turns the window's key events into key presses and releases on the guest's keyboard, and catches the host key.
 *
 * <p>As in VirtualBox, Right Ctrl is the host key and never reaches the guest (its Left Ctrl does): pressing it
 * releases every key the guest holds and a captured mouse pointer, and while it is down Delete sends Ctrl-Alt-Del, P pauses or resumes, R resets
 * and Q powers off. Host auto-repeat is dropped: the guest's keyboard repeats a held key at the rate the guest set.
 * Losing the focus releases the held keys, so none stays down in the guest while the user types elsewhere.
 */
public final class KeyboardInput {

    /** The GLFW key that is Strata's host key. */
    public static final int HOST_KEY = GLFW_KEY_RIGHT_CONTROL;

    private final GuestKeyboard guest;
    private final HostCommands host;
    private final Set<Key> held = EnumSet.noneOf(Key.class);
    private boolean hostDown;

    public KeyboardInput(GuestKeyboard guest, HostCommands host) {
        this.guest = guest;
        this.host = host;
    }

    /** A GLFW key event ({@code action} is GLFW_PRESS, GLFW_RELEASE or GLFW_REPEAT), as GLFW's key callback gets it. */
    public void keyEvent(int glfwKey, int action) {
        if (glfwKey == HOST_KEY) {
            hostDown = action != GLFW_RELEASE;
            if (action == GLFW_PRESS) {
                releaseAll();
                host.releaseMouse();
            }
            return;
        }
        if (hostDown) {
            if (action == GLFW_PRESS) {
                hostCombination(glfwKey);
            }
            return;
        }
        Key key = GlfwKeys.key(glfwKey);
        if (key == null) {
            return;
        }
        if (action == GLFW_PRESS && held.add(key)) {
            guest.press(key);
        } else if (action == GLFW_RELEASE && held.remove(key)) {
            guest.release(key);
        }
    }

    /** The window lost (or gained) the focus: the guest must not keep keys down it will never see released. */
    public void focusChanged(boolean focused) {
        if (!focused) {
            hostDown = false;
            releaseAll();
        }
    }

    /** True while the host key is down. */
    public boolean hostKeyDown() {
        return hostDown;
    }

    private void hostCombination(int glfwKey) {
        switch (glfwKey) {
            case GLFW_KEY_DELETE -> {
                guest.press(Key.LEFT_CTRL);
                guest.press(Key.LEFT_ALT);
                guest.press(Key.DELETE);
                guest.release(Key.DELETE);
                guest.release(Key.LEFT_ALT);
                guest.release(Key.LEFT_CTRL);
            }
            case GLFW_KEY_P -> host.togglePause();
            case GLFW_KEY_R -> host.reset();
            case GLFW_KEY_Q -> host.powerOff();
            default -> { } // other host combinations are kept for later commands
        }
    }

    private void releaseAll() {
        for (Key key : held) {
            guest.release(key);
        }
        held.clear();
    }
}
