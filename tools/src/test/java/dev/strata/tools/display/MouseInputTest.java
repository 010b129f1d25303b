package dev.strata.tools.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lwjgl.glfw.GLFW.GLFW_MOUSE_BUTTON_4;
import static org.lwjgl.glfw.GLFW.GLFW_MOUSE_BUTTON_LEFT;
import static org.lwjgl.glfw.GLFW.GLFW_MOUSE_BUTTON_MIDDLE;
import static org.lwjgl.glfw.GLFW.GLFW_MOUSE_BUTTON_RIGHT;
import static org.lwjgl.glfw.GLFW.GLFW_PRESS;
import static org.lwjgl.glfw.GLFW.GLFW_RELEASE;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MouseInputTest {

    private final List<String> events = new ArrayList<>();
    private final MouseInput input = new MouseInput(new GuestMouse() {
        @Override
        public void move(int right, int down) {
            events.add("move " + right + "," + down);
        }

        @Override
        public void buttons(int held) {
            events.add("buttons " + held);
        }

        @Override
        public void wheel(int down) {
            events.add("wheel " + down);
        }
    }, captured -> events.add(captured ? "grab" : "ungrab"));

    @Test
    void theFirstClickCapturesThePointerAndStaysWithTheHost() {
        input.cursorMoved(10, 10);
        input.buttonEvent(GLFW_MOUSE_BUTTON_LEFT, GLFW_PRESS);
        input.buttonEvent(GLFW_MOUSE_BUTTON_LEFT, GLFW_RELEASE);
        assertTrue(input.captured());
        assertEquals(List.of("grab"), events, "no motion before the capture, no button for the capturing click");
    }

    @Test
    void capturedScrollingTurnsTheGuestsWheelTheOtherWayRoundInWholeNotches() {
        input.scrolled(1); // not captured: the host's
        input.buttonEvent(GLFW_MOUSE_BUTTON_LEFT, GLFW_PRESS);
        input.scrolled(1);
        input.scrolled(-2);
        input.scrolled(0.5);
        input.scrolled(0.5); // a touchpad's halves make a notch
        assertEquals(List.of("grab", "wheel -1", "wheel 2", "wheel -1"), events);
    }

    @Test
    void capturedMotionGoesToTheGuestAsDifferences() {
        input.buttonEvent(GLFW_MOUSE_BUTTON_LEFT, GLFW_PRESS);
        input.cursorMoved(100, 100); // the position the capture starts from
        input.cursorMoved(103, 98);
        input.cursorMoved(103.4, 98);
        input.cursorMoved(103.8, 98); // fractions add up to a count
        assertEquals(List.of("grab", "move 3,-2", "move 1,0"), events);
    }

    @Test
    void buttonsMapToThePs2BitsAndSideButtonsAreIgnored() {
        input.buttonEvent(GLFW_MOUSE_BUTTON_LEFT, GLFW_PRESS);
        input.buttonEvent(GLFW_MOUSE_BUTTON_LEFT, GLFW_RELEASE);
        input.buttonEvent(GLFW_MOUSE_BUTTON_LEFT, GLFW_PRESS);
        input.buttonEvent(GLFW_MOUSE_BUTTON_RIGHT, GLFW_PRESS);
        input.buttonEvent(GLFW_MOUSE_BUTTON_MIDDLE, GLFW_PRESS);
        input.buttonEvent(GLFW_MOUSE_BUTTON_4, GLFW_PRESS);
        input.buttonEvent(GLFW_MOUSE_BUTTON_RIGHT, GLFW_RELEASE);
        assertEquals(List.of("grab", "buttons 1", "buttons 3", "buttons 7", "buttons 5"), events);
    }

    @Test
    void releaseGivesThePointerBackAndLetsGoOfHeldButtons() {
        input.buttonEvent(GLFW_MOUSE_BUTTON_LEFT, GLFW_PRESS);
        input.buttonEvent(GLFW_MOUSE_BUTTON_RIGHT, GLFW_PRESS);
        input.release();
        assertFalse(input.captured());
        input.cursorMoved(5, 5);
        input.cursorMoved(50, 50);
        input.release();
        assertEquals(List.of("grab", "buttons 2", "buttons 0", "ungrab"), events);
    }
}
