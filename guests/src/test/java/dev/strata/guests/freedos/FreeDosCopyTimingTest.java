package dev.strata.guests.freedos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.strata.emulator.machine.MachineSettings;
import dev.strata.emulator.machine.SataDrive;
import dev.strata.guests.GuestBoot;
import dev.strata.guests.HostTools;
import dev.strata.storage.image.ImageFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The issue's DOS half of the SATA-against-IDE timing: FreeDOS copies a 4 MiB file on C: (COPY, through the BIOS's
 * INT 13h) with C: on IDE and with C: on SATA, from the same image. Each bus boots twice, with and without the copy;
 * the difference of the runs' instruction counts (deterministic) is what the copy cost the guest. SATA must not cost
 * more than IDE.
 */
@Timeout(600)
class FreeDosCopyTimingTest {

    static final int FILE_BYTES = 4 << 20;
    static final String VERSION = "ver /r\r";
    static final String COPY = "copy C:\\BIG.DAT C:\\BIG2.DAT\r" + VERSION;

    @TempDir
    Path dir;
    private Path floppy;
    private Path image;

    @BeforeEach
    void disk() throws Exception {
        Optional<Path> shared = FreeDosFloppy.shared();
        assumeTrue(shared.isPresent(), "FreeDOS floppy not available");
        HostTools.require("mkfs.vfat:dosfstools", "mcopy:mtools");
        floppy = FreeDosFloppy.copy(shared.get(), dir.resolve("freedos.img"));
        image = FatHardDisk.create(dir.resolve("c.img"), 0x0E, ImageFormat.RAW);
        byte[] data = new byte[FILE_BYTES];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31 + (i >>> 9));
        }
        Path big = Files.write(dir.resolve("big.dat"), data);
        HostTools.run("mcopy", "-i", image + "@@" + FatHardDisk.OFFSET, big.toString(), "::BIG.DAT");
    }

    @Test
    void copyingAFileOnASataDiskCostsTheGuestNoMoreThanOnIde() throws Exception {
        long ide = copyCost(false);
        long sata = copyCost(true);
        System.out.printf("FreeDOS COPY of 4 MiB: IDE %,d instructions, SATA %,d instructions%n", ide, sata);
        assertTrue(sata <= ide, "SATA " + sata + " against IDE " + ide + " instructions");
    }

    /** Instructions the copy added to a boot with C: on SATA (or IDE), checking the copy's bytes afterwards. */
    private long copyCost(boolean sata) throws Exception {
        long without = boot(sata, VERSION, "plain").instructions();
        GuestBoot.Result r = boot(sata, COPY, "copy");
        assertTrue(r.screen().contains("C:\\BIG.DAT => C:\\BIG2.DAT"), r.describe());
        Path raw = dir.resolve((sata ? "sata" : "ide") + "-copy.img");
        Path out = dir.resolve("big2.dat");
        Files.deleteIfExists(out);
        HostTools.run("mcopy", "-i", raw + "@@" + FatHardDisk.OFFSET, "::BIG2.DAT", out.toString());
        assertEquals(-1, Files.mismatch(dir.resolve("big.dat"), out), "the copy holds the file's bytes");
        return r.instructions() - without;
    }

    private GuestBoot.Result boot(boolean sata, String commands, String name) throws Exception {
        Path disk = Files.copy(image, dir.resolve((sata ? "sata" : "ide") + "-" + name + ".img"));
        MachineSettings s = new MachineSettings().floppy(0, FreeDosFloppy.copy(floppy, dir.resolve(name + "-"
                + sata + "-fd.img"))).bootOrder("a");
        if (sata) {
            s.sata(0, SataDrive.hardDisk(disk, false));
        } else {
            s.hardDisk(0, disk);
        }
        GuestBoot.Result r = GuestBoot.run(s, List.of(FreeDosHardDiskTest.PROMPT, "kernel version"),
                FreeDosHardDiskTest.PROMPT, commands, 180);
        assertTrue(r.allMet(), r.describe());
        return r;
    }
}
