package dev.strata.tools.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lwjgl.glfw.GLFW.*;

import dev.strata.emulator.device.keyboard.Key;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyboardInputTest {

    private final List<String> events = new ArrayList<>();
    private int mouseReleases;
    private final KeyboardInput input = new KeyboardInput(new GuestKeyboard() {
        @Override
        public void press(Key key) {
            events.add("+" + key);
        }

        @Override
        public void release(Key key) {
            events.add("-" + key);
        }
    }, new HostCommands() {
        @Override
        public void togglePause() {
            events.add("pause");
        }

        @Override
        public void reset() {
            events.add("reset");
        }

        @Override
        public void powerOff() {
            events.add("poweroff");
        }

        @Override
        public void releaseMouse() {
            mouseReleases++;
        }
    });

    @Test
    void pressAndReleaseReachTheGuestAndHostRepeatIsDropped() {
        input.keyEvent(GLFW_KEY_LEFT_SHIFT, GLFW_PRESS);
        input.keyEvent(GLFW_KEY_A, GLFW_PRESS);
        input.keyEvent(GLFW_KEY_A, GLFW_REPEAT);
        input.keyEvent(GLFW_KEY_A, GLFW_REPEAT);
        input.keyEvent(GLFW_KEY_A, GLFW_RELEASE);
        input.keyEvent(GLFW_KEY_LEFT_SHIFT, GLFW_RELEASE);
        assertEquals(List.of("+LEFT_SHIFT", "+A", "-A", "-LEFT_SHIFT"), events);
    }

    @Test
    void aReleaseOfAKeyTheGuestNeverSawDownIsNotSent() {
        input.keyEvent(GLFW_KEY_B, GLFW_RELEASE);
        assertTrue(events.isEmpty(), events.toString());
    }

    @Test
    void hostKeyReleasesHeldKeysAndNeverReachesTheGuest() {
        input.keyEvent(GLFW_KEY_LEFT_ALT, GLFW_PRESS);
        input.keyEvent(KeyboardInput.HOST_KEY, GLFW_PRESS);
        input.keyEvent(KeyboardInput.HOST_KEY, GLFW_RELEASE);
        input.keyEvent(GLFW_KEY_LEFT_ALT, GLFW_RELEASE); // already released in the guest
        assertEquals(List.of("+LEFT_ALT", "-LEFT_ALT"), events);
        assertEquals(1, mouseReleases, "the host key also releases a captured mouse pointer");
    }

    @Test
    void hostDeleteSendsCtrlAltDel() {
        input.keyEvent(KeyboardInput.HOST_KEY, GLFW_PRESS);
        input.keyEvent(GLFW_KEY_DELETE, GLFW_PRESS);
        input.keyEvent(GLFW_KEY_DELETE, GLFW_RELEASE);
        input.keyEvent(KeyboardInput.HOST_KEY, GLFW_RELEASE);
        assertEquals(List.of("+LEFT_CTRL", "+LEFT_ALT", "+DELETE", "-DELETE", "-LEFT_ALT", "-LEFT_CTRL"), events);
    }

    @Test
    void hostCombinationsPauseResetAndPowerOff() {
        input.keyEvent(KeyboardInput.HOST_KEY, GLFW_PRESS);
        input.keyEvent(GLFW_KEY_P, GLFW_PRESS);
        input.keyEvent(GLFW_KEY_R, GLFW_PRESS);
        input.keyEvent(GLFW_KEY_Q, GLFW_PRESS);
        input.keyEvent(KeyboardInput.HOST_KEY, GLFW_RELEASE);
        input.keyEvent(GLFW_KEY_Q, GLFW_PRESS);
        assertEquals(List.of("pause", "reset", "poweroff", "+Q"), events);
    }

    @Test
    void losingTheFocusReleasesHeldKeys() {
        input.keyEvent(GLFW_KEY_LEFT_CONTROL, GLFW_PRESS);
        input.keyEvent(GLFW_KEY_C, GLFW_PRESS);
        input.focusChanged(false);
        assertEquals(List.of("+LEFT_CTRL", "+C", "-C", "-LEFT_CTRL"), events);
    }
}
