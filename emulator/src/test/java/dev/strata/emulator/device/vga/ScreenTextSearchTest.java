package dev.strata.emulator.device.vga;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.clock.MachineClock;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ScreenTextSearchTest {

    private final VgaDevice vga = new VgaDevice(MachineClock.deterministic(1).clock());

    private void put(int row, int column, String text) {
        for (int i = 0; i < text.length(); i++) {
            vga.writeMemory(0xB8000 + (row * 80 + column + i) * 2, text.charAt(i));
        }
    }

    @Test
    void findsTextWithinARowAndAcrossRowEnds() {
        put(3, 0, "A:\\>dir");
        put(4, 0, "Volume in drive A");
        assertTrue(vga.screenShows("A:\\>dir"));
        assertTrue(vga.screenShows("dir\nVolume"), "a row's blank tail is not part of the text");
        assertFalse(vga.screenShows("dir \n"), "trailing blanks are dropped, as in the screen's text");
        assertFalse(vga.screenShows("A:\\>dire"));
    }

    @Test
    void followsTheStartAddressAsHardwareScrollingMovesIt() {
        put(1, 0, "second row");
        vga.writePort(0x3D4, 0x0C);
        vga.writePort(0x3D5, 0);
        vga.writePort(0x3D4, 0x0D);
        vga.writePort(0x3D5, 80);
        assertTrue(vga.screenShows("second row"));
        assertFalse(vga.screenShows("\nsecond row"), "now on the first row");
    }

    @Test
    void answersAsTheSnapshotsTextDoesOnRandomScreens() {
        Random random = new Random(42);
        byte[] alphabet = {' ', ' ', ' ', 'a', 'b', 0, (byte) 0xFF, (byte) 0xC4, '\t', 0x0A};
        for (int round = 0; round < 200; round++) {
            for (int cell = 0; cell < 80 * 25; cell++) {
                vga.writeMemory(0xB8000 + cell * 2, alphabet[random.nextInt(alphabet.length)]);
            }
            String text = vga.textScreen().toText();
            for (int probe = 0; probe < 20; probe++) {
                String wanted;
                if (random.nextBoolean()) {
                    int from = random.nextInt(text.length());
                    wanted = text.substring(from, Math.min(text.length(), from + 1 + random.nextInt(120)));
                } else {
                    StringBuilder b = new StringBuilder();
                    for (int k = 1 + random.nextInt(4); k > 0; k--) {
                        b.append(Cp437.toUnicode(alphabet[random.nextInt(alphabet.length)]));
                    }
                    wanted = b.toString();
                }
                assertEquals(text.contains(wanted), vga.screenShows(wanted), "round " + round + ": " + wanted);
            }
        }
    }
}
