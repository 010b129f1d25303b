package dev.strata.tools.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.device.vga.TextScreen;
import org.junit.jupiter.api.Test;

/** The terminal screen shows each of a text mode's 16 foreground and background colours as its ANSI colour. */
class AnsiScreenTest {

    private static TextScreen screen(byte[] characters, byte[] attributes, boolean blink) {
        return new TextScreen(characters.length, 1, characters, attributes, 0, 0, false, blink, false);
    }

    @Test
    void sixteenForegroundsAndBackgroundsBecomeTheirAnsiColours() {
        byte[] chars = new byte[16];
        byte[] attrs = new byte[16];
        for (int i = 0; i < 16; i++) {
            chars[i] = (byte) ('A' + i);
            attrs[i] = (byte) (i | (15 - i) << 4); // foreground i on background 15 - i
        }
        String out = AnsiScreen.render(screen(chars, attrs, false));
        // VGA order black, blue, green, cyan, red, magenta, brown, grey; then the bright eight
        int[] ansi = {30, 34, 32, 36, 31, 35, 33, 37, 90, 94, 92, 96, 91, 95, 93, 97};
        for (int i = 0; i < 16; i++) {
            String cell = "\u001b[0;" + ansi[i] + ";" + (ansi[15 - i] + 10) + "m" + (char) ('A' + i);
            assertTrue(out.contains(cell), "colour " + i + ": " + out.replace('\u001b', '^'));
        }
        assertTrue(out.endsWith("\u001b[?25l"), "the cursor is hidden");
    }

    @Test
    void withBlinkOnTheTopAttributeBitBlinksInsteadOfBrighteningTheBackground() {
        byte[] chars = {'x'};
        byte[] attrs = {(byte) 0x9E}; // blink, blue background, yellow
        assertTrue(AnsiScreen.render(screen(chars, attrs, true)).contains("\u001b[0;93;44mx"));
        assertTrue(AnsiScreen.render(screen(chars, attrs, false)).contains("\u001b[0;93;104mx"));
    }

    @Test
    void aGraphicsModeSaysSoInsteadOfDrawing() {
        TextScreen graphics = new TextScreen(1, 1, new byte[] {'x'}, new byte[] {7}, 0, 0, false, false, true);
        String out = AnsiScreen.render(graphics);
        assertEquals("\u001b[H\u001b[0m\u001b[2J"
                + "(the guest switched to a graphics mode, which this terminal cannot show)", out);
    }
}
