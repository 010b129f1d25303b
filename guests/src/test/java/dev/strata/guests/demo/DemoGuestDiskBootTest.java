package dev.strata.guests.demo;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.machine.MachineSettings;
import dev.strata.guests.GuestBoot;
import dev.strata.guests.HostTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo guest boots from a hard disk (DL = 80h) and from an El Torito CD made by xorriso. */
class DemoGuestDiskBootTest {

    @TempDir
    Path dir;

    @Test
    void bootsFromAHardDisk() throws Exception {
        Path img = DemoGuest.copyTo(dir.resolve("demo-hd.img"));
        GuestBoot.Result r = GuestBoot.run(new MachineSettings().hardDisk(0, img).bootOrder("c"),
                List.of(DemoGuest.READY_LINE), null, 60);
        assertTrue(r.allMet(), r.describe());
        assertTrue(r.screen().contains("Strata demo guest"), r.describe());
    }

    @Test
    void bootsFromAnElToritoCdWithFloppyEmulation() throws Exception {
        HostTools.require("xorriso");
        Path tree = Files.createDirectory(dir.resolve("cd"));
        DemoGuest.copyTo(tree.resolve("demo.img"));
        Path iso = dir.resolve("demo.iso");
        HostTools.run("xorriso", "-as", "mkisofs", "-quiet", "-b", "demo.img", "-o", iso.toString(), tree.toString());
        GuestBoot.Result r = GuestBoot.run(new MachineSettings().cdrom(iso).bootOrder("dc"),
                List.of(DemoGuest.READY_LINE), null, 60);
        assertTrue(r.allMet(), r.describe());
        assertTrue(r.serial().contains(DemoGuest.READY_LINE), r.describe());
    }
}
