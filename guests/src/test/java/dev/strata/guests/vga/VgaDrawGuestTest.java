package dev.strata.guests.vga;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.machine.MachineSettings;
import dev.strata.emulator.machine.PcMachine;
import dev.strata.guests.GuestBoot;
import dev.strata.guests.HostTools;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Boots guests/vga/vgadraw.asm (assembled here with nasm) from a floppy on Strata's BIOS: it draws in modes 12h and
 * 13h through INT 10h and straight through the VGA's registers and memory, and reads its own dots back. The frame
 * rendered at each of its reports is compared dot by dot with the picture its colour formulas give, through the
 * attribute palette and the DAC.
 */
class VgaDrawGuestTest {

    @TempDir
    Path dir;

    @Test
    void drawsAndReadsBackInModes12hAnd13h() throws Exception {
        Path floppy = HostTools.floppy("guests/vga/vgadraw.asm", dir);
        AtomicReference<PcMachine> machine = new AtomicReference<>();
        VgaDrawReports reports = new VgaDrawReports(machine::get);
        MachineSettings settings = new MachineSettings().floppy(0, floppy).bootOrder("a").debugConsole(reports);
        GuestBoot.Result boot = GuestBoot.run(settings, List.of("done"), null, null, 300, machine::set);
        String output = reports.output();
        assertTrue(boot.allMet(), boot.describe() + "\nE9h: " + output);
        assertTrue(output.startsWith("12h ok\n13h ok\ndone"), "the guest read back every dot it drew: " + output);
        reports.assertPictures();
    }
}
