package dev.strata.emulator.device.keyboard;

/**
 * The keys of a US 102/104-key AT keyboard, each with its scan code set 2 make code (and whether it is sent with
 * the E0h prefix). Break codes are the make code after F0h. Print Screen and Pause have their own sequences.
 */
public enum Key {
    ESCAPE(0x76), F1(0x05), F2(0x06), F3(0x04), F4(0x0C), F5(0x03), F6(0x0B), F7(0x83), F8(0x0A), F9(0x01),
    F10(0x09), F11(0x78), F12(0x07), PRINT_SCREEN(0x7C, true), SCROLL_LOCK(0x7E), PAUSE(0x77),

    BACK_QUOTE(0x0E), DIGIT_1(0x16), DIGIT_2(0x1E), DIGIT_3(0x26), DIGIT_4(0x25), DIGIT_5(0x2E), DIGIT_6(0x36),
    DIGIT_7(0x3D), DIGIT_8(0x3E), DIGIT_9(0x46), DIGIT_0(0x45), MINUS(0x4E), EQUALS(0x55), BACKSPACE(0x66),

    TAB(0x0D), Q(0x15), W(0x1D), E(0x24), R(0x2D), T(0x2C), Y(0x35), U(0x3C), I(0x43), O(0x44), P(0x4D),
    LEFT_BRACKET(0x54), RIGHT_BRACKET(0x5B), BACKSLASH(0x5D),

    CAPS_LOCK(0x58), A(0x1C), S(0x1B), D(0x23), F(0x2B), G(0x34), H(0x33), J(0x3B), K(0x42), L(0x4B),
    SEMICOLON(0x4C), QUOTE(0x52), ENTER(0x5A),

    LEFT_SHIFT(0x12), INTL_BACKSLASH(0x61), Z(0x1A), X(0x22), C(0x21), V(0x2A), B(0x32), N(0x31), M(0x3A),
    COMMA(0x41), PERIOD(0x49), SLASH(0x4A), RIGHT_SHIFT(0x59),

    LEFT_CTRL(0x14), LEFT_GUI(0x1F, true), LEFT_ALT(0x11), SPACE(0x29), RIGHT_ALT(0x11, true),
    RIGHT_GUI(0x27, true), MENU(0x2F, true), RIGHT_CTRL(0x14, true),

    INSERT(0x70, true), HOME(0x6C, true), PAGE_UP(0x7D, true), DELETE(0x71, true), END(0x69, true),
    PAGE_DOWN(0x7A, true), UP(0x75, true), LEFT(0x6B, true), DOWN(0x72, true), RIGHT(0x74, true),

    NUM_LOCK(0x77), KEYPAD_DIVIDE(0x4A, true), KEYPAD_MULTIPLY(0x7C), KEYPAD_MINUS(0x7B), KEYPAD_7(0x6C),
    KEYPAD_8(0x75), KEYPAD_9(0x7D), KEYPAD_PLUS(0x79), KEYPAD_4(0x6B), KEYPAD_5(0x73), KEYPAD_6(0x74),
    KEYPAD_1(0x69), KEYPAD_2(0x72), KEYPAD_3(0x7A), KEYPAD_0(0x70), KEYPAD_PERIOD(0x71), KEYPAD_ENTER(0x5A, true);

    private final int set2Code;
    private final boolean extended;

    Key(int set2Code) {
        this(set2Code, false);
    }

    Key(int set2Code, boolean extended) {
        this.set2Code = set2Code;
        this.extended = extended;
    }

    /** The set 2 make code without its prefix. */
    public int set2Code() {
        return set2Code;
    }

    /** True when the key's codes carry the E0h prefix. */
    public boolean extended() {
        return extended;
    }

    /** The bytes set 2 sends when the key goes down. */
    public int[] set2Make() {
        if (this == PRINT_SCREEN) {
            return new int[] {0xE0, 0x12, 0xE0, 0x7C};
        }
        if (this == PAUSE) {
            return new int[] {0xE1, 0x14, 0x77, 0xE1, 0xF0, 0x14, 0xF0, 0x77};
        }
        return extended ? new int[] {0xE0, set2Code} : new int[] {set2Code};
    }

    /** The bytes set 2 sends when the key comes up; none for Pause, which has no break code. */
    public int[] set2Break() {
        if (this == PRINT_SCREEN) {
            return new int[] {0xE0, 0xF0, 0x7C, 0xE0, 0xF0, 0x12};
        }
        if (this == PAUSE) {
            return new int[0];
        }
        return extended ? new int[] {0xE0, 0xF0, set2Code} : new int[] {0xF0, set2Code};
    }

    /** True for keys the keyboard repeats while held (every key but Pause). */
    public boolean typematic() {
        return this != PAUSE;
    }
}
