package dev.strata.guests.vga;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.strata.bios.RomFonts;
import dev.strata.emulator.device.vga.TextScreen;
import dev.strata.emulator.device.vga.VgaDevice;
import dev.strata.emulator.display.Frame;
import dev.strata.emulator.machine.MachineSettings;
import dev.strata.emulator.machine.PcMachine;
import dev.strata.guests.GuestBoot;
import dev.strata.guests.HostTools;
import dev.strata.guests.SharedData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FreeDOS on Strata's BIOS runs the two VGA test programs from a copy of its floppy: VGADRAW.COM (guests/vga/
 * vgadraw.asm built as a DOS program) draws in modes 12h and 13h through INT 10h and the registers and reads its
 * dots back, and LINES50.COM makes the console 80x50 as {@code mode con lines=50} does. FreeDOS's shell then lists
 * the floppy on 50 rows, drawn with the BIOS's 8x8 font.
 */
class FreeDosVgaTest {

    @TempDir
    Path dir;

    @Test
    void graphicsProgramAndFiftyLineConsoleUnderFreeDos() throws Exception {
        Optional<Path> shared = SharedData.find("guests/freedos/freedos722.img");
        assumeTrue(shared.isPresent(), "FreeDOS floppy not available");
        Path floppy = Files.copy(shared.get(), dir.resolve("freedos.img"));
        HostTools.dosProgram("guests/vga/vgadraw.asm", floppy, "VGADRAW.COM", "DOS");
        HostTools.dosProgram("guests/vga/lines50.asm", floppy, "LINES50.COM");

        AtomicReference<PcMachine> machine = new AtomicReference<>();
        VgaDrawReports reports = new VgaDrawReports(machine::get);
        MachineSettings settings = new MachineSettings().floppy(0, floppy).bootOrder("a").debugConsole(reports);
        GuestBoot.Result boot = GuestBoot.run(settings, List.of("done", "rows 50", "bytes free"), "A:\\>",
                "vgadraw\rlines50\rdir\r", 300, machine::set);
        String output = reports.output();
        assertTrue(boot.allMet(), boot.describe() + "\nE9h: " + output);
        assertEquals("12h ok\n13h ok\ndone\nrows 50\n", output, "VGADRAW read back every dot it drew");
        VgaDevice vga = machine.get().vga();
        reports.assertPictures();

        TextScreen screen = vga.textScreen();
        assertEquals(50, screen.rows(), boot.screen());
        // the listing went on past row 25 without scrolling: DOS took the BIOS's 50 rows
        assertTrue(screen.cursorRow() > 25 && screen.line(0).isBlank(), boot.screen());
        assertTrue(boot.screen().contains("VGADRAW  COM") && boot.screen().contains("LINES50  COM"), boot.screen());
        assertTextDrawnWithTheEightByEightFont(vga, screen);
    }

    /** Every cell but the cursor's is its character in the 8x8 font, in its attribute's colours. */
    private static void assertTextDrawnWithTheEightByEightFont(VgaDevice vga, TextScreen screen) {
        Frame frame = vga.renderFrame();
        assertEquals(720, frame.width());
        assertEquals(400, frame.height());
        byte[] font = RomFonts.font(8);
        int[] expected = new int[720 * 400];
        for (int y = 0; y < 400; y++) {
            for (int x = 0; x < 720; x++) {
                int row = y / 8;
                int column = x / 9;
                if (row == screen.cursorRow() && column == screen.cursorColumn()) {
                    expected[y * 720 + x] = frame.pixel(x, y); // the cursor blinks
                    continue;
                }
                int ch = screen.charAt(row, column);
                int attr = screen.attributeAt(row, column);
                int bits = font[ch * 8 + y % 8] & 0xFF;
                int dot = x % 9;
                boolean on = dot < 8 ? (bits << dot & 0x80) != 0 : ch >= 0xC0 && ch <= 0xDF && (bits & 1) != 0;
                expected[y * 720 + x] = attributeColour(vga, on ? attr & 0x0F : attr >> 4 & 0x07);
            }
        }
        assertArrayEquals(expected, frame.pixels());
    }

    /** A text colour through plane enable, the attribute palette and colour select, then the DAC. */
    private static int attributeColour(VgaDevice vga, int value) {
        int mode = vga.attributeRegister(0x10);
        int index = vga.attributeRegister(value & vga.attributeRegister(0x12) & 0x0F) & 0x3F;
        int select = vga.attributeRegister(0x14);
        if ((mode & 0x80) != 0) {
            index = index & 0x0F | (select & 3) << 4;
        }
        return VgaDrawReports.dacColour(vga, index | (select >> 2 & 3) << 6);
    }
}
