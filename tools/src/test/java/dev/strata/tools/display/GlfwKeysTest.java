package dev.strata.tools.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.lwjgl.glfw.GLFW.*;

import dev.strata.emulator.device.keyboard.Key;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GlfwKeysTest {

    @Test
    void lettersDigitsAndFunctionKeysMapByPosition() {
        assertEquals(Key.A, GlfwKeys.key(GLFW_KEY_A));
        assertEquals(Key.Z, GlfwKeys.key(GLFW_KEY_Z));
        assertEquals(Key.DIGIT_0, GlfwKeys.key(GLFW_KEY_0));
        assertEquals(Key.DIGIT_9, GlfwKeys.key(GLFW_KEY_9));
        assertEquals(Key.F1, GlfwKeys.key(GLFW_KEY_F1));
        assertEquals(Key.F12, GlfwKeys.key(GLFW_KEY_F12));
        assertEquals(Key.KEYPAD_7, GlfwKeys.key(GLFW_KEY_KP_7));
        assertEquals(Key.BACK_QUOTE, GlfwKeys.key(GLFW_KEY_GRAVE_ACCENT));
        assertEquals(Key.QUOTE, GlfwKeys.key(GLFW_KEY_APOSTROPHE));
    }

    @Test
    void extendedKeysKeepTheirE0PrefixedScanCodes() {
        Key right = GlfwKeys.key(GLFW_KEY_RIGHT);
        assertEquals(Key.RIGHT, right);
        assertEquals(0xE0, right.set2Make()[0]);
        assertEquals(Key.KEYPAD_ENTER, GlfwKeys.key(GLFW_KEY_KP_ENTER));
        assertEquals(0xE0, GlfwKeys.key(GLFW_KEY_KP_ENTER).set2Make()[0]);
        assertEquals(0x5A, GlfwKeys.key(GLFW_KEY_ENTER).set2Make()[0], "the main Enter is not extended");
        assertEquals(Key.RIGHT_ALT, GlfwKeys.key(GLFW_KEY_RIGHT_ALT));
        assertEquals(Key.KEYPAD_DIVIDE, GlfwKeys.key(GLFW_KEY_KP_DIVIDE));
    }

    @Test
    void keysAPcKeyboardLacksMapToNothing() {
        assertNull(GlfwKeys.key(GLFW_KEY_F13));
        assertNull(GlfwKeys.key(GLFW_KEY_UNKNOWN));
    }

    @Test
    void everyPcKeyCanBeTypedFromTheHost() {
        Set<Key> reached = EnumSet.noneOf(Key.class);
        for (int code = 0; code <= GLFW_KEY_LAST; code++) {
            Key k = GlfwKeys.key(code);
            if (k != null) {
                reached.add(k);
            }
        }
        assertEquals(EnumSet.allOf(Key.class), reached);
    }
}
