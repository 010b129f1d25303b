package dev.strata.emulator.device.keyboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.device.keyboard.TextTyper.KeyStroke;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextTyperTest {

    @Test
    void lettersDigitsAndShiftedSymbols() {
        assertEquals(List.of(new KeyStroke(Key.D, true), new KeyStroke(Key.I, false), new KeyStroke(Key.R, false),
                new KeyStroke(Key.SPACE, false), new KeyStroke(Key.C, true), new KeyStroke(Key.SEMICOLON, true),
                new KeyStroke(Key.BACKSLASH, false), new KeyStroke(Key.DIGIT_8, true),
                new KeyStroke(Key.PERIOD, false), new KeyStroke(Key.DIGIT_1, false), new KeyStroke(Key.ENTER, false)),
                TextTyper.strokes("Dir C:\\*.1\n"));
    }

    @Test
    void everyPrintableAsciiCharacterHasAKey() {
        for (char c = ' '; c < 127; c++) {
            TextTyper.stroke(c, 0);
        }
        assertEquals(new KeyStroke(Key.QUOTE, true), TextTyper.stroke('"', 0));
        assertEquals(new KeyStroke(Key.BACK_QUOTE, true), TextTyper.stroke('~', 0));
        assertEquals(new KeyStroke(Key.EQUALS, true), TextTyper.stroke('+', 0));
    }

    @Test
    void carriageReturnLineFeedIsOneEnter() {
        assertEquals(List.of(new KeyStroke(Key.ENTER, false), new KeyStroke(Key.TAB, false),
                new KeyStroke(Key.BACKSPACE, false), new KeyStroke(Key.ESCAPE, false)),
                TextTyper.strokes("\r\n\t\b\u001b"));
    }

    @Test
    void characterWithoutAKeyIsRefusedWithItsPosition() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TextTyper.strokes("caf\u00e9"));
        assertTrue(e.getMessage().contains("U+00E9") && e.getMessage().contains("index 3"), e.getMessage());
    }
}
