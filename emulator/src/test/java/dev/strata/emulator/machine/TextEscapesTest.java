package dev.strata.emulator.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The escapes of typed and expected text: control characters by letter, every other backslash kept. */
class TextEscapesTest {

    @Test
    void escapesCoverControlCharactersAndLeaveOtherBackslashesAlone() {
        assertEquals("A:\\>", TextEscapes.unescape("A:\\>"));
        assertEquals("dir\r\n\t\u001b\b\\", TextEscapes.unescape("dir\\r\\n\\t\\e\\b\\\\"));
        assertEquals("end\\", TextEscapes.unescape("end\\"));
        assertEquals("C:\\DOS\\x", TextEscapes.unescape("C:\\DOS\\x"));
    }
}
