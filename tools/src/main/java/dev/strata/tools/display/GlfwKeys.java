package dev.strata.tools.display;

import static org.lwjgl.glfw.GLFW.*;

import dev.strata.emulator.device.keyboard.Key;
import java.util.HashMap;
import java.util.Map;

/**
 * Which PC key each GLFW key code stands for. GLFW names keys by where they sit on a US keyboard, whatever the
 * host's layout, which is what a PC keyboard's scan codes do too; the guest applies its own layout.
 */
public final class GlfwKeys {

    // The GLFW_KEY_* names are compile-time constants: this table loads no LWJGL class.
    private static final Map<Integer, Key> KEYS = new HashMap<>();

    static {
        for (int i = 0; i < 26; i++) {
            map(GLFW_KEY_A + i, Key.valueOf(String.valueOf((char) ('A' + i))));
        }
        Key[] digits = {Key.DIGIT_0, Key.DIGIT_1, Key.DIGIT_2, Key.DIGIT_3, Key.DIGIT_4, Key.DIGIT_5, Key.DIGIT_6,
                Key.DIGIT_7, Key.DIGIT_8, Key.DIGIT_9};
        Key[] keypad = {Key.KEYPAD_0, Key.KEYPAD_1, Key.KEYPAD_2, Key.KEYPAD_3, Key.KEYPAD_4, Key.KEYPAD_5,
                Key.KEYPAD_6, Key.KEYPAD_7, Key.KEYPAD_8, Key.KEYPAD_9};
        for (int i = 0; i < 10; i++) {
            map(GLFW_KEY_0 + i, digits[i]);
            map(GLFW_KEY_KP_0 + i, keypad[i]);
        }
        Key[] functions = {Key.F1, Key.F2, Key.F3, Key.F4, Key.F5, Key.F6, Key.F7, Key.F8, Key.F9, Key.F10, Key.F11,
                Key.F12};
        for (int i = 0; i < functions.length; i++) {
            map(GLFW_KEY_F1 + i, functions[i]);
        }
        map(GLFW_KEY_SPACE, Key.SPACE);
        map(GLFW_KEY_APOSTROPHE, Key.QUOTE);
        map(GLFW_KEY_COMMA, Key.COMMA);
        map(GLFW_KEY_MINUS, Key.MINUS);
        map(GLFW_KEY_PERIOD, Key.PERIOD);
        map(GLFW_KEY_SLASH, Key.SLASH);
        map(GLFW_KEY_SEMICOLON, Key.SEMICOLON);
        map(GLFW_KEY_EQUAL, Key.EQUALS);
        map(GLFW_KEY_LEFT_BRACKET, Key.LEFT_BRACKET);
        map(GLFW_KEY_BACKSLASH, Key.BACKSLASH);
        map(GLFW_KEY_RIGHT_BRACKET, Key.RIGHT_BRACKET);
        map(GLFW_KEY_GRAVE_ACCENT, Key.BACK_QUOTE);
        map(GLFW_KEY_WORLD_1, Key.INTL_BACKSLASH); // the key beside left Shift on ISO keyboards
        map(GLFW_KEY_ESCAPE, Key.ESCAPE);
        map(GLFW_KEY_ENTER, Key.ENTER);
        map(GLFW_KEY_TAB, Key.TAB);
        map(GLFW_KEY_BACKSPACE, Key.BACKSPACE);
        map(GLFW_KEY_INSERT, Key.INSERT);
        map(GLFW_KEY_DELETE, Key.DELETE);
        map(GLFW_KEY_RIGHT, Key.RIGHT);
        map(GLFW_KEY_LEFT, Key.LEFT);
        map(GLFW_KEY_DOWN, Key.DOWN);
        map(GLFW_KEY_UP, Key.UP);
        map(GLFW_KEY_PAGE_UP, Key.PAGE_UP);
        map(GLFW_KEY_PAGE_DOWN, Key.PAGE_DOWN);
        map(GLFW_KEY_HOME, Key.HOME);
        map(GLFW_KEY_END, Key.END);
        map(GLFW_KEY_CAPS_LOCK, Key.CAPS_LOCK);
        map(GLFW_KEY_SCROLL_LOCK, Key.SCROLL_LOCK);
        map(GLFW_KEY_NUM_LOCK, Key.NUM_LOCK);
        map(GLFW_KEY_PRINT_SCREEN, Key.PRINT_SCREEN);
        map(GLFW_KEY_PAUSE, Key.PAUSE);
        map(GLFW_KEY_KP_DECIMAL, Key.KEYPAD_PERIOD);
        map(GLFW_KEY_KP_DIVIDE, Key.KEYPAD_DIVIDE);
        map(GLFW_KEY_KP_MULTIPLY, Key.KEYPAD_MULTIPLY);
        map(GLFW_KEY_KP_SUBTRACT, Key.KEYPAD_MINUS);
        map(GLFW_KEY_KP_ADD, Key.KEYPAD_PLUS);
        map(GLFW_KEY_KP_ENTER, Key.KEYPAD_ENTER);
        map(GLFW_KEY_LEFT_SHIFT, Key.LEFT_SHIFT);
        map(GLFW_KEY_LEFT_CONTROL, Key.LEFT_CTRL);
        map(GLFW_KEY_LEFT_ALT, Key.LEFT_ALT);
        map(GLFW_KEY_LEFT_SUPER, Key.LEFT_GUI);
        map(GLFW_KEY_RIGHT_SHIFT, Key.RIGHT_SHIFT);
        map(GLFW_KEY_RIGHT_CONTROL, Key.RIGHT_CTRL);
        map(GLFW_KEY_RIGHT_ALT, Key.RIGHT_ALT);
        map(GLFW_KEY_RIGHT_SUPER, Key.RIGHT_GUI);
        map(GLFW_KEY_MENU, Key.MENU);
    }

    private GlfwKeys() {
    }

    private static void map(int glfwKey, Key key) {
        if (KEYS.put(glfwKey, key) != null) {
            throw new IllegalStateException("GLFW key " + glfwKey + " is mapped twice");
        }
    }

    /** The PC key for GLFW key code {@code glfwKey}, or null for a key a PC keyboard does not have (F13 and up). */
    public static Key key(int glfwKey) {
        return KEYS.get(glfwKey);
    }
}
