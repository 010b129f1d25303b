package dev.strata.emulator.device.keyboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScanCodeTranslatorTest {

    private static List<Integer> translate(int... set2) {
        ScanCodeTranslator t = new ScanCodeTranslator();
        List<Integer> out = new ArrayList<>();
        for (int b : set2) {
            int r = t.translate(b);
            if (r >= 0) {
                out.add(r);
            }
        }
        return out;
    }

    private static int set1Make(Key key) {
        return ScanCodeTranslator.translateCode(key.set2Code());
    }

    @Test
    void knownKeysGetTheirSet1Codes() {
        assertEquals(0x01, set1Make(Key.ESCAPE));
        assertEquals(0x1E, set1Make(Key.A));
        assertEquals(0x1C, set1Make(Key.ENTER));
        assertEquals(0x41, set1Make(Key.F7));
        assertEquals(0x44, set1Make(Key.F10));
        assertEquals(0x57, set1Make(Key.F11));
        assertEquals(0x58, set1Make(Key.F12));
        assertEquals(0x39, set1Make(Key.SPACE));
        assertEquals(0x2A, set1Make(Key.LEFT_SHIFT));
        assertEquals(0x36, set1Make(Key.RIGHT_SHIFT));
        assertEquals(0x56, set1Make(Key.INTL_BACKSLASH));
        assertEquals(0x45, set1Make(Key.NUM_LOCK));
        assertEquals(0x53, set1Make(Key.KEYPAD_PERIOD));
        assertEquals(0x48, set1Make(Key.UP));
        assertEquals(0x35, set1Make(Key.KEYPAD_DIVIDE));
        assertEquals(0x5B, set1Make(Key.LEFT_GUI));
        assertEquals(0x5D, set1Make(Key.MENU));
    }

    @Test
    void everyKeyHasItsOwnSet1Code() {
        Map<Integer, Key> seen = new HashMap<>();
        for (Key key : Key.values()) {
            if (key == Key.PAUSE || key == Key.PRINT_SCREEN) {
                continue;
            }
            int code = (key.extended() ? 0x100 : 0) | set1Make(key);
            Key other = seen.put(code, key);
            assertTrue(other == null, key + " and " + other + " share set 1 code " + Integer.toHexString(code));
            assertTrue((code & 0xFF) < 0x80, key + " has a make code with bit 7 set");
        }
    }

    @Test
    void breakPrefixSetsBit7OfTheNextCode() {
        assertEquals(List.of(0x9E), translate(0xF0, 0x1C));
        assertEquals(List.of(0xE0, 0xC8), translate(0xE0, 0xF0, 0x75));
        assertEquals(List.of(0xC1), translate(0xF0, 0x83));
    }

    @Test
    void pauseAndPrintScreenBecomeTheirSet1Sequences() {
        assertEquals(List.of(0xE1, 0x1D, 0x45, 0xE1, 0x9D, 0xC5), translate(Key.PAUSE.set2Make()));
        assertEquals(List.of(0xE0, 0x2A, 0xE0, 0x37), translate(Key.PRINT_SCREEN.set2Make()));
        assertEquals(List.of(0xE0, 0xB7, 0xE0, 0xAA), translate(Key.PRINT_SCREEN.set2Break()));
    }

    @Test
    void repliesPassThroughAndOverrunBecomesFF() {
        assertEquals(List.of(0xFA, 0xAA, 0xEE, 0xFE, 0xFF), translate(0xFA, 0xAA, 0xEE, 0xFE, 0x00));
        assertEquals(0x43, ScanCodeTranslator.translateCode(0x01));
        assertEquals(0x41, ScanCodeTranslator.translateCode(0x02));
        assertEquals(0x3F, ScanCodeTranslator.translateCode(0x03));
    }
}
