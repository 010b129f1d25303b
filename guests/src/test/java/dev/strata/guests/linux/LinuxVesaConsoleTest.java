package dev.strata.guests.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.display.Frame;
import dev.strata.emulator.machine.KernelBoot;
import dev.strata.emulator.machine.MachineSettings;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Debian's kernel booted with {@code vga=0x344}: its real-mode setup asks Strata's BIOS for VBE mode 144h
 * (1024x768x32) with the linear frame buffer, vesafb takes the mode the setup left, and the text console (fbcon,
 * 128x48 cells of 8x16) prints the boot log on the frame buffer. The guest then reads its console's characters
 * back from /dev/vcs1; every cell of the frame is lit exactly where that text has a character. The same in
 * 1024x768x8 ({@code vga=0x305}), whose palette vesafb sets through the BIOS's protected-mode interface.
 */
@Timeout(1200)
class LinuxVesaConsoleTest {

    static final int COLUMNS = 128;
    static final int ROWS = 48;
    static final int BLACK = 0xFF000000;

    /** Quietens the console (nothing may scroll it while the test looks), then sends its text between markers. */
    static final String COMMANDS = "dmesg -n 1; echo VCSBEGIN; cat /dev/vcs1; echo; echo VCS$((1+1))END\r";

    @Test
    void vesafbShowsTheBootLogOnTheVbeFrameBuffer() throws Exception {
        Console c = boot("0x344");
        assertTrue(c.serial.contains("vesafb: mode is 1024x768x32, linelength=4096"), c.serial);
        assertTrue(c.serial.contains("switching to colour frame buffer device 128x48"), c.serial);
        assertFrameShowsText(c);
    }

    /**
     * {@code vga=0x305}, 1024x768 in 8 bits per pixel: the kernel's setup asks INT 10h AX=4F0Ah for the protected-mode
     * interface, and vesafb (a 32-bit kernel) sets the console's colours through its set palette routine.
     */
    @Test
    void vesafbSetsThePaletteOfAn8BitModeThroughTheProtectedModeInterface() throws Exception {
        Console c = boot("0x305");
        assertTrue(c.serial.contains("vesafb: mode is 1024x768x8, linelength=1024"), c.serial);
        assertTrue(c.serial.contains("vesafb: protected mode interface info at f000:4900"), c.serial);
        assertTrue(c.serial.contains("vesafb: pmi: set display start = "), c.serial);
        // the kernel prints each port on a line of its own
        String stamp = "\\s*(\\[[ 0-9.]+\\] )?";
        assertTrue(java.util.regex.Pattern.compile("vesafb: pmi: ports = " + stamp + "1ce " + stamp + "1cf " + stamp
                + "3c8 " + stamp + "3c9 ").matcher(c.serial).find(), c.serial);
        assertFrameShowsText(c);
    }

    private record Console(String serial, String text, Frame frame) {
    }

    /** Boots with {@code vga=MODE}, reads /dev/vcs1 back and takes the frame. */
    private static Console boot(String mode) throws Exception {
        LinuxGuest guest = LinuxGuest.get();
        MachineSettings settings = new MachineSettings().memoryMb(LinuxBootTest.MEMORY_MB)
                .kernelBoot(new KernelBoot(guest.kernel, guest.initrd, "vga=" + mode + " console=tty0"
                        + " console=ttyS0,115200 " + LinuxBootTest.QUICK));
        LinuxConsole.Result r;
        Frame frame;
        try (LinuxConsole console = new LinuxConsole(settings)) {
            console.onSerial(LinuxGuest.PROMPT, COMMANDS);
            r = console.run(List.of(LinuxGuest.PROMPT, "VCS2END"), LinuxBootTest.HOST_SECONDS);
            frame = console.machine.vga().renderFrame();
        }
        assertTrue(r.allMet(), r.describe());
        String serial = r.serial();
        int begin = serial.lastIndexOf("VCSBEGIN");
        String text = serial.substring(serial.indexOf('\n', begin) + 1).replace("\r", "");
        assertTrue(text.length() >= COLUMNS * ROWS, "/dev/vcs1 gave less than a screen: " + r.describe());
        text = text.substring(0, COLUMNS * ROWS);
        assertTrue(text.contains("Run /init as init process"), "the console does not hold the boot log: " + text);
        return new Console(serial, text, frame);
    }

    /** Every cell of the frame is lit exactly where /dev/vcs1 has a character, in the console's grey. */
    private static void assertFrameShowsText(Console c) {
        Frame frame = c.frame;
        String text = c.text;
        assertEquals(1024, frame.width());
        assertEquals(768, frame.height());
        int rowsWithText = 0;
        int mismatches = 0;
        StringBuilder where = new StringBuilder();
        for (int row = 0; row < ROWS; row++) {
            boolean any = false;
            for (int column = 0; column < COLUMNS; column++) {
                boolean character = text.charAt(row * COLUMNS + column) != ' ';
                any |= character;
                if (lit(frame, column, row) != character) {
                    mismatches++;
                    where.append(' ').append(row).append(',').append(column);
                }
            }
            rowsWithText += any ? 1 : 0;
        }
        // one cell may differ: the blinking cursor, drawn over a blank cell in its on phase
        assertTrue(mismatches <= 1, mismatches + " cells differ from /dev/vcs1 (row,column):" + where);
        assertTrue(rowsWithText >= ROWS - 4, "only " + rowsWithText + " of the console's rows hold text");
        java.util.Set<Integer> colours = new java.util.TreeSet<>();
        for (int p : frame.pixels()) {
            colours.add(p);
        }
        assertEquals(java.util.Set.of(BLACK, 0xFFAAAAAA), colours, "the console's colours: black and its grey");
    }

    /** Whether any dot of the 8x16 cell at column, row differs from the console's black background. */
    private static boolean lit(Frame frame, int column, int row) {
        for (int y = row * 16; y < row * 16 + 16; y++) {
            for (int x = column * 8; x < column * 8 + 8; x++) {
                if (frame.pixel(x, y) != BLACK) {
                    return true;
                }
            }
        }
        return false;
    }
}
