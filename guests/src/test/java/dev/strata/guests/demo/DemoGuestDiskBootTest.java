package dev.strata.guests.demo;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.machine.MachineSettings;
import dev.strata.guests.GuestBoot;
import dev.strata.guests.HostTools;
import java.util.HexFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo guest boots from a hard disk (DL = 80h) and from an El Torito CD made by xorriso (floppy emulation); a
 * no-emulation boot image reads the CD's volume descriptor with INT 13h AH=42h on the drive the BIOS gave in DL.
 */
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

    /**
     * Loaded at 07C0:0000: PUSH CS; POP DS; MOV SI,packet; MOV AH,42h; INT 13h; JC fail; then sends bytes 1..5 of
     * the sector read to 0000:8000h (CD sector 16, the primary volume descriptor: "CD001") and a newline to E9h and
     * halts; fail sends "!". The packet: 16 bytes, 1 sector, buffer 0000:8000h, LBA 16.
     */
    private static final String NO_EMULATION_BOOT = "0e1fbe2a00b442cd13721931c08ec0be0180b90500bae900268a04ee46e2f9"
            + "b00aeefaf4b021e6e9faf410000100008000001000000000000000";

    @Test
    void aNoEmulationBootImageReadsTheCdThroughTheDriveInDl() throws Exception {
        HostTools.require("xorriso");
        Path tree = Files.createDirectory(dir.resolve("cd"));
        Files.write(tree.resolve("boot.bin"), HexFormat.of().parseHex(NO_EMULATION_BOOT));
        Path iso = dir.resolve("noemul.iso");
        HostTools.run("xorriso", "-as", "mkisofs", "-quiet", "-b", "boot.bin", "-no-emul-boot", "-boot-load-size", "4",
                "-o", iso.toString(), tree.toString());
        GuestBoot.Result r = GuestBoot.run(new MachineSettings().cdrom(iso).bootOrder("d"), List.of("CD001\n"),
                null, 60);
        assertTrue(r.allMet(), r.describe());
        assertTrue(r.screen().contains("no emulation"), r.describe());
    }
}
