package dev.strata.guests.freedos;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.strata.emulator.machine.MachineSettings;
import dev.strata.emulator.machine.SataDrive;
import dev.strata.guests.GuestBoot;
import dev.strata.guests.HostTools;
import dev.strata.storage.image.DiskImages;
import dev.strata.storage.image.ImageChecker;
import dev.strata.storage.image.ImageFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * FreeDOS boots from its floppy with a FAT16 hard disk (a VDI, VHD, VMDK or qcow2 built by {@link FatHardDisk}) as C:,
 * or from a VMDK, VHD or qcow2 hard disk alone ({@link FreeDosBootDisk}), on IDE or
 * on a SATA port (served by the BIOS's INT 13h either way), writes a file there typed on the keyboard, and the file is
 * in the image after power-off; in snapshot mode the image is left exactly as it was.
 */
class FreeDosHardDiskTest {

    static final String PROMPT = "A:\\>";
    static final String COMMANDS = "echo strata>C:\\HELLO.TXT\rdir C:\r";
    static final Pattern LISTED = Pattern.compile("HELLO\\s+TXT");

    @TempDir
    Path dir;
    private Path floppy;

    @BeforeEach
    void floppy() throws Exception {
        Optional<Path> shared = FreeDosFloppy.shared();
        assumeTrue(shared.isPresent(), "FreeDOS floppy not available");
        HostTools.require("mkfs.vfat:dosfstools", "mtype:mtools", "mcopy:mtools");
        floppy = FreeDosFloppy.copy(shared.get(), dir.resolve("freedos.img"));
    }

    private GuestBoot.Result bootAndWrite(Path disk, boolean snapshot) throws Exception {
        MachineSettings settings = new MachineSettings().floppy(0, floppy).hardDisk(0, disk).bootOrder("a")
                .snapshot(snapshot);
        return GuestBoot.run(settings, List.of(PROMPT, "bytes free"), PROMPT, COMMANDS, 180);
    }

    private void writesAFileToC(int partitionType) throws Exception {
        Path disk = FatHardDisk.create(dir.resolve("c.vdi"), partitionType);
        GuestBoot.Result r = bootAndWrite(disk, false);
        assertTrue(r.allMet(), r.describe());
        assertTrue(LISTED.matcher(r.screen()).find(), r.describe());
        assertEquals("strata\r\n", FatHardDisk.readFile(disk, "HELLO.TXT"));
    }

    @Test
    void writesAFileToAnLbaTypedFat16Partition() throws Exception {
        writesAFileToC(0x0E);
    }

    @Test
    void writesAFileToAChsTypedFat16PartitionMatchingTheBiosGeometry() throws Exception {
        writesAFileToC(0x06);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ImageFormat.class, names = {"VHD", "VMDK", "QCOW2"})
    void writesAFileToADiskOfAnotherFormat(ImageFormat format) throws Exception {
        Path disk = FatHardDisk.create(dir.resolve("c." + format.name().toLowerCase(java.util.Locale.ROOT)), 0x0E,
                format);
        assertEquals(format, DiskImages.detect(disk));
        GuestBoot.Result r = bootAndWrite(disk, false);
        assertTrue(r.allMet(), r.describe());
        assertTrue(LISTED.matcher(r.screen()).find(), r.describe());
        assertEquals("strata\r\n", FatHardDisk.readFile(disk, "HELLO.TXT"));
        assertFalse(ImageChecker.hasErrors(ImageChecker.check(disk)), ImageChecker.check(disk).toString());
    }

    /** No floppy: the BIOS boots the disk's MBR, FreeDOS's boot sector loads its kernel, and C: takes the write. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ImageFormat.class, names = {"VMDK", "VHD", "QCOW2"})
    void bootsFromADiskOfAnotherFormatAndWritesToIt(ImageFormat format) throws Exception {
        HostTools.require("nasm:nasm");
        Path disk = FreeDosBootDisk.create(dir.resolve("boot." + format.name().toLowerCase(java.util.Locale.ROOT)),
                format, floppy, dir);
        MachineSettings settings = new MachineSettings().hardDisk(0, disk).bootOrder("c");
        GuestBoot.Result r = GuestBoot.run(settings, List.of("C:\\>", "bytes free"), "C:\\>", COMMANDS, 180);
        assertTrue(r.allMet(), r.describe());
        assertTrue(LISTED.matcher(r.screen()).find(), r.describe());
        assertEquals("strata\r\n", FatHardDisk.readFile(disk, "HELLO.TXT"));
        assertFalse(ImageChecker.hasErrors(ImageChecker.check(disk)), ImageChecker.check(disk).toString());
    }

    @Test
    void writesAFileToCOnASataDiskThroughTheBios() throws Exception {
        Path disk = FatHardDisk.create(dir.resolve("sata.vdi"), 0x0E);
        MachineSettings settings = new MachineSettings().floppy(0, floppy).sata(0, SataDrive.hardDisk(disk, false))
                .bootOrder("a");
        GuestBoot.Result r = GuestBoot.run(settings, List.of(PROMPT, "bytes free"), PROMPT, COMMANDS, 180);
        assertTrue(r.allMet(), r.describe());
        assertTrue(LISTED.matcher(r.screen()).find(), r.describe());
        assertEquals("strata\r\n", FatHardDisk.readFile(disk, "HELLO.TXT"));
    }

    @Test
    void snapshotModeLeavesTheImageUnchanged() throws Exception {
        Path disk = FatHardDisk.create(dir.resolve("snap.vdi"), 0x0E);
        byte[] before = Files.readAllBytes(disk);
        GuestBoot.Result r = bootAndWrite(disk, true);
        assertTrue(r.allMet(), r.describe());
        assertTrue(LISTED.matcher(r.screen()).find(), r.describe());
        assertArrayEquals(before, Files.readAllBytes(disk));
    }
}
