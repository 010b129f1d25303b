package dev.strata.emulator.machine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.clock.ClockMode;
import dev.strata.emulator.io.IoBus;
import dev.strata.storage.image.DiskImage;
import dev.strata.storage.image.DiskImages;
import dev.strata.storage.image.ImageFormat;
import dev.strata.storage.image.ImageVariant;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PcMachineDisksTest {

    static final int STATUS_ERR = 0x01, STATUS_DRQ = 0x08;

    @TempDir
    Path dir;

    private static MachineSettings settings() {
        return new MachineSettings().memoryMb(2).clockMode(ClockMode.DETERMINISTIC)
                .firmware(new TestFirmware(TestFirmware.HALT));
    }

    /** A 1 MiB VDI whose sector 7 is filled with {@code fill}. */
    private Path vdi(String name, int fill) throws IOException {
        Path file = dir.resolve(name);
        try (DiskImage image = DiskImages.create(file, ImageFormat.VDI, ImageVariant.STANDARD, 1 << 20)) {
            byte[] s = new byte[512];
            Arrays.fill(s, (byte) fill);
            image.write(7 * 512, s, 0, 512);
        }
        return file;
    }

    /** Issues an LBA28 PIO command for one sector at {@code lba} on the primary master. */
    private static void command(IoBus io, int base, int command, int lba) {
        io.out(base + 6, 1, 0xE0 | lba >>> 24 & 0x0F);
        io.out(base + 2, 1, 1);
        io.out(base + 3, 1, lba);
        io.out(base + 4, 1, lba >>> 8);
        io.out(base + 5, 1, lba >>> 16);
        io.out(base + 7, 1, command);
    }

    private static byte[] readSector(IoBus io, int lba) {
        command(io, 0x1F0, 0x20, lba);
        assertEquals(STATUS_DRQ, io.in(0x1F7, 1) & (STATUS_DRQ | STATUS_ERR));
        byte[] s = new byte[512];
        for (int i = 0; i < 512; i += 2) {
            int w = io.in(0x1F0, 2);
            s[i] = (byte) w;
            s[i + 1] = (byte) (w >>> 8);
        }
        return s;
    }

    /** Writes one sector of {@code fill}; returns the status after the data went out. */
    private static int writeSector(IoBus io, int lba, int fill) {
        command(io, 0x1F0, 0x30, lba);
        if ((io.in(0x1F7, 1) & STATUS_DRQ) != 0) {
            for (int i = 0; i < 256; i++) {
                io.out(0x1F0, 2, fill | fill << 8);
            }
        }
        return io.in(0x1F7, 1);
    }

    private static byte[] sector(int fill) {
        byte[] s = new byte[512];
        Arrays.fill(s, (byte) fill);
        return s;
    }

    @Test
    void hardDiskOnThePrimaryMasterReadsThroughTheAtaPorts() throws IOException {
        Path disk = vdi("hda.vdi", 0x5A);
        try (PcMachine m = new PcMachine(settings().hardDisk(0, disk))) {
            assertArrayEquals(sector(0x5A), readSector(m.io(), 7));
            assertEquals(0, writeSector(m.io(), 8, 0x11) & STATUS_ERR);
        }
        try (DiskImage image = DiskImages.open(disk, true)) {
            byte[] s = new byte[512];
            image.read(8 * 512, s, 0, 512);
            assertArrayEquals(sector(0x11), s);
        }
    }

    @Test
    void aDifferencingChainOpensWithItsParent() throws IOException {
        Path base = vdi("base.vdi", 0x33);
        Path child = dir.resolve("child.vdi");
        try (DiskImage parent = DiskImages.open(base, true)) {
            DiskImages.createDiff(child, parent).close();
        }
        // written through the chain, which copies the rest of the block up from the parent
        try (DiskImage chain = dev.strata.storage.chain.FileChains.opener().open(child, false)) {
            chain.write(9 * 512, sector(0x44), 0, 512);
        }
        try (PcMachine m = new PcMachine(settings().hardDisk(0, child))) {
            assertArrayEquals(sector(0x33), readSector(m.io(), 7));
            assertArrayEquals(sector(0x44), readSector(m.io(), 9));
        }
    }

    @Test
    void aReadOnlyMediumRefusesTheGuestsWrites() throws IOException {
        Path disk = vdi("ro.vdi", 0x5A);
        byte[] before = Files.readAllBytes(disk);
        try (PcMachine m = new PcMachine(settings().hardDisk(0, disk).hardDiskReadOnly(0, true))) {
            assertEquals(STATUS_ERR, writeSector(m.io(), 7, 0x99) & STATUS_ERR);
            assertArrayEquals(sector(0x5A), readSector(m.io(), 7));
        }
        assertArrayEquals(before, Files.readAllBytes(disk));
    }

    @Test
    void snapshotModeWritesToAThrowawayDiffAndDeletesIt() throws IOException {
        Path disk = vdi("snap.vdi", 0x5A);
        byte[] before = Files.readAllBytes(disk);
        Path scratch;
        try (PcMachine m = new PcMachine(settings().hardDisk(0, disk).snapshot(true))) {
            scratch = m.snapshotFolder();
            assertNotNull(scratch);
            assertTrue(Files.isDirectory(scratch));
            assertEquals(0, writeSector(m.io(), 7, 0x99) & STATUS_ERR);
            assertArrayEquals(sector(0x99), readSector(m.io(), 7));
            assertEquals(2, ((dev.strata.storage.chain.DiskChain) m.hardDisk(0)).depth());
        }
        assertFalse(Files.exists(scratch));
        assertArrayEquals(before, Files.readAllBytes(disk));
    }

    @Test
    void snapshotModePutsASataDiskOverAThrowawayDiffAsWell() throws IOException {
        Path disk = vdi("sata-snap.vdi", 0x5A);
        byte[] before = Files.readAllBytes(disk);
        Path scratch;
        try (PcMachine m = new PcMachine(settings().sata(3, SataDrive.hardDisk(disk, false)).snapshot(true))) {
            scratch = m.snapshotFolder();
            assertNotNull(scratch);
            DiskImage image = m.ahci().device(3).disk().image();
            assertEquals(2, ((dev.strata.storage.chain.DiskChain) image).depth(), "the SATA disk over its diff");
            byte[] s = new byte[512];
            Arrays.fill(s, (byte) 0x99);
            image.write(7 * 512, s, 0, 512);
            byte[] back = new byte[512];
            image.read(7 * 512, back, 0, 512);
            assertArrayEquals(s, back);
        }
        assertFalse(Files.exists(scratch));
        assertArrayEquals(before, Files.readAllBytes(disk));
    }

    @Test
    void theCdDriveIsAnAtapiDeviceOnTheSecondaryMaster() throws IOException {
        Path iso = dir.resolve("cd.iso");
        Files.write(iso, new byte[20 * 2048]);
        try (PcMachine m = new PcMachine(settings().cdrom(iso))) {
            assertNotNull(m.cdrom());
            assertTrue(m.cdrom().readOnly());
            IoBus io = m.io();
            io.out(0x176, 1, 0xA0);
            // ATAPI devices leave their signature 14h EBh in the cylinder registers
            assertEquals(0x14, io.in(0x174, 1));
            assertEquals(0xEB, io.in(0x175, 1));
        }
    }

    @Test
    void aCdAndAThirdHardDiskCannotShareTheSecondaryMaster() throws IOException {
        Path iso = dir.resolve("cd.iso");
        Files.write(iso, new byte[20 * 2048]);
        Path disk = vdi("hdc.vdi", 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PcMachine(settings().cdrom(iso).hardDisk(2, disk)));
        assertTrue(e.getMessage().contains("secondary master"), e.getMessage());
    }

    @Test
    void anIsoThatIsNotWholeCdSectorsIsRefusedWithItsName() throws IOException {
        Path iso = dir.resolve("odd.iso");
        Files.write(iso, new byte[3 * 512]);
        IOException e = assertThrows(IOException.class, () -> new PcMachine(settings().cdrom(iso)));
        assertTrue(e.getMessage().contains("odd.iso"), e.getMessage());
    }
}
