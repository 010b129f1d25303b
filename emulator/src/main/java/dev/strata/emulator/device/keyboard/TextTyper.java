package dev.strata.emulator.device.keyboard;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns text into the key strokes a person would type on a US keyboard: letters and digits, Shift for capitals and
 * the shifted symbols, Enter for a line break ({@code \n}, {@code \r} or {@code \r\n}), Tab, Backspace ({@code \b})
 * and Escape ({@code \u001b}).
 */
public final class TextTyper {

    /** One key to tap, with Shift held around it or not. */
    public record KeyStroke(Key key, boolean shift) {
    }

    private static final String UNSHIFTED = "`1234567890-=[]\\;',./ ";
    private static final String SHIFTED = "~!@#$%^&*()_+{}|:\"<>?";
    private static final Key[] UNSHIFTED_KEYS = {
        Key.BACK_QUOTE, Key.DIGIT_1, Key.DIGIT_2, Key.DIGIT_3, Key.DIGIT_4, Key.DIGIT_5, Key.DIGIT_6, Key.DIGIT_7,
        Key.DIGIT_8, Key.DIGIT_9, Key.DIGIT_0, Key.MINUS, Key.EQUALS, Key.LEFT_BRACKET, Key.RIGHT_BRACKET,
        Key.BACKSLASH, Key.SEMICOLON, Key.QUOTE, Key.COMMA, Key.PERIOD, Key.SLASH, Key.SPACE,
    };
    private static final Key[] SHIFTED_KEYS = {
        Key.BACK_QUOTE, Key.DIGIT_1, Key.DIGIT_2, Key.DIGIT_3, Key.DIGIT_4, Key.DIGIT_5, Key.DIGIT_6, Key.DIGIT_7,
        Key.DIGIT_8, Key.DIGIT_9, Key.DIGIT_0, Key.MINUS, Key.EQUALS, Key.LEFT_BRACKET, Key.RIGHT_BRACKET,
        Key.BACKSLASH, Key.SEMICOLON, Key.QUOTE, Key.COMMA, Key.PERIOD, Key.SLASH,
    };

    private TextTyper() {
    }

    /**
     * The strokes that type {@code text}.
     *
     * @throws IllegalArgumentException naming the character and its index when the US layout has no key for it
     */
    public static List<KeyStroke> strokes(String text) {
        List<KeyStroke> out = new ArrayList<>(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' && i > 0 && text.charAt(i - 1) == '\r') {
                continue;
            }
            out.add(stroke(c, i));
        }
        return out;
    }

    /** The stroke for one character. */
    public static KeyStroke stroke(char c, int index) {
        if (c >= 'a' && c <= 'z') {
            return new KeyStroke(Key.valueOf(String.valueOf((char) (c - 32))), false);
        }
        if (c >= 'A' && c <= 'Z') {
            return new KeyStroke(Key.valueOf(String.valueOf(c)), true);
        }
        int u = UNSHIFTED.indexOf(c);
        if (u >= 0) {
            return new KeyStroke(UNSHIFTED_KEYS[u], false);
        }
        int s = SHIFTED.indexOf(c);
        if (s >= 0) {
            return new KeyStroke(SHIFTED_KEYS[s], true);
        }
        switch (c) {
            case '\n':
            case '\r':
                return new KeyStroke(Key.ENTER, false);
            case '\t':
                return new KeyStroke(Key.TAB, false);
            case '\b':
                return new KeyStroke(Key.BACKSPACE, false);
            case '\u001b':
                return new KeyStroke(Key.ESCAPE, false);
            default:
                throw new IllegalArgumentException(String.format(
                        "cannot type character '%s' (U+%04X) at index %d: the US keyboard layout has no key for it",
                        Character.isISOControl(c) ? "?" : String.valueOf(c), (int) c, index));
        }
    }
}
