package dev.strata.emulator.device.keyboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Key names as scenarios and guest tests write them. */
class KeyNamesTest {

    @Test
    void keysGoByTheirNamesInAnyCaseByShortNamesAndByTheirCharacter() {
        assertEquals(Key.F8, KeyNames.key("f8"));
        assertEquals(Key.PAGE_DOWN, KeyNames.key("Page-Down"));
        assertEquals(Key.PAGE_DOWN, KeyNames.key("pgdn"));
        assertEquals(Key.ESCAPE, KeyNames.key("esc"));
        assertEquals(Key.LEFT_CTRL, KeyNames.key("ctrl"));
        assertEquals(Key.A, KeyNames.key("a"));
        assertEquals(Key.DIGIT_7, KeyNames.key("7"));
        assertEquals(Key.KEYPAD_ENTER, KeyNames.key("keypad_enter"));
    }

    @Test
    void chordsAreKeysHeldTogetherAndSpacesSeparateThem() {
        assertEquals(List.of(Key.LEFT_CTRL, Key.LEFT_ALT, Key.DELETE), KeyNames.chord("ctrl+alt+del"));
        assertEquals(List.of(List.of(Key.DOWN), List.of(Key.DOWN), List.of(Key.LEFT_SHIFT, Key.TAB)),
                KeyNames.chords(" down down  shift+tab "));
        assertEquals("left-ctrl+left-alt+delete", KeyNames.name(KeyNames.chord("ctrl+alt+delete")));
    }

    @Test
    void anUnknownOrMissingKeyIsNamedWithWhatThereIs() {
        String unknown = assertThrows(IllegalArgumentException.class, () -> KeyNames.chord("ctl+c")).getMessage();
        assertTrue(unknown.startsWith("unknown key 'ctl': give a key such as enter, esc"), unknown);
        assertEquals("'ctrl+': a key name is missing around '+'",
                assertThrows(IllegalArgumentException.class, () -> KeyNames.chord("ctrl+")).getMessage());
        assertEquals("no key given",
                assertThrows(IllegalArgumentException.class, () -> KeyNames.chords(" ")).getMessage());
    }
}
