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

    @Test
    void aTextNotFoundIsLookedForAgainOnlyInTheRowsWrittenSince() {
        ScreenTextSearch search = new ScreenTextSearch();
        byte[] plane0 = new byte[VgaMemory.PLANE_SIZE];
        assertFalse(search.contains(plane0, 0, 80, 80, 25, "READY"));
        poke(plane0, 20 * 80, "READY"); // the search is not told: as if nothing had been written there
        poke(plane0, 7 * 80 + 3, "x");
        search.written(plane0Write(7 * 80 + 3));
        assertFalse(search.contains(plane0, 0, 80, 80, 25, "READY"), "only row 7 was written");
        poke(plane0, 12 * 80 + 40, "READY");
        search.written(plane0Write(12 * 80 + 44));
        assertTrue(search.contains(plane0, 0, 80, 80, 25, "READY"));
        assertTrue(search.contains(plane0, 0, 80, 80, 25, "READY"), "found, it is still there when asked again");
        poke(plane0, 12 * 80 + 40, "-----");
        search.written(plane0Write(12 * 80 + 40));
        assertTrue(search.contains(plane0, 0, 80, 80, 25, "READY"), "asked again after a find: every row");
        poke(plane0, 20 * 80, "-----");
        assertFalse(search.contains(plane0, 0, 80, 80, 25, "READY"));
        poke(plane0, 20 * 80, "READY");
        search.written(0xA0000 | (20 * 80 * 2 + 1)); // planes 1 and 3: an attribute, not a character
        assertFalse(search.contains(plane0, 0, 80, 80, 25, "READY"), "no character was written");
        assertTrue(search.contains(plane0, 80, 80, 80, 24, "READY"), "the screen moved: every row");
        poke(plane0, 20 * 80, "-----");
        assertFalse(search.contains(plane0, 80, 80, 80, 24, "READY"));
        poke(plane0, 20 * 80, "READY");
        search.changedAnywhere();
        assertTrue(search.contains(plane0, 80, 80, 80, 24, "READY"), "after a change the search was not told of");
    }

    /** Characters from cell {@code cell} up, in plane 0 as text mode keeps them (at even offsets). */
    private static void poke(byte[] plane0, int cell, String text) {
        for (int i = 0; i < text.length(); i++) {
            plane0[(cell + i) * 2] = (byte) text.charAt(i);
        }
    }

    /** What {@link VgaMemory#write} reports for the character byte of cell {@code cell}: planes 0 and 2. */
    private static int plane0Write(int cell) {
        return 0x50000 | cell * 2;
    }

    @Test
    void answersAsTheSnapshotsTextDoesWhileAFewCellsChangeBetweenQuestions() {
        Random random = new Random(7);
        byte[] alphabet = {' ', ' ', 'a', 'b', 'c', 0, (byte) 0xC4};
        String[] texts = {"abc", "ba", "cab", "b\u2500a", "aa b", "c\na"};
        String wanted = texts[0];
        for (int round = 0; round < 3000; round++) {
            for (int k = random.nextInt(4); k > 0; k--) {
                int cell = random.nextInt(80 * 25);
                vga.writeMemory(0xB8000 + cell * 2 + random.nextInt(2), alphabet[random.nextInt(alphabet.length)]);
            }
            if (random.nextInt(10) == 0) {
                wanted = texts[random.nextInt(texts.length)];
            }
            assertEquals(vga.textScreen().toText().contains(wanted), vga.screenShows(wanted),
                    "round " + round + ": " + wanted);
        }
    }
}
