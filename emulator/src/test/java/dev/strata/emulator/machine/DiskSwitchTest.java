package dev.strata.emulator.machine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.clock.ClockMode;
import dev.strata.storage.image.DiskImage;
import dev.strata.storage.image.DiskImages;
import dev.strata.storage.image.ImageFormat;
import dev.strata.storage.image.ImageVariant;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An online snapshot switches a running machine's hard disk to a new differencing image the same way whichever bus
 * holds it: the drive device then reads and writes through the new chain and the old top stays as it was.
 */
class DiskSwitchTest {
    @TempDir
    Path dir;

    private static MachineSettings settings() {
        return new MachineSettings().memoryMb(2).clockMode(ClockMode.DETERMINISTIC)
                .firmware(new TestFirmware(TestFirmware.HALT));
    }

    private Path vdi(String name) throws IOException {
        Path file = dir.resolve(name);
        try (DiskImage image = DiskImages.create(file, ImageFormat.VDI, ImageVariant.STANDARD, 1 << 20)) {
            image.write(0, sector(0x11), 0, 512);
        }
        return file;
    }

    private Path diffOver(Path base, String name) throws IOException {
        Path diff = dir.resolve(name);
        try (DiskImage parent = DiskImages.open(base, true)) {
            DiskImages.createDiff(diff, parent).close();
        }
        return diff;
    }

    private static byte[] sector(int fill) {
        byte[] s = new byte[512];
        Arrays.fill(s, (byte) fill);
        return s;
    }

    private static byte[] read(Path image) throws IOException {
        try (DiskImage d = dev.strata.storage.chain.FileChains.opener().open(image, true)) {
            byte[] s = new byte[512];
            d.read(0, s, 0, 512);
            return s;
        }
    }

    private void switchesAndWritesGoToTheDiff(MachineSettings settings, DriveSlot slot, Path base,
            java.util.function.Function<PcMachine, DiskImage> image) throws IOException {
        Path diff = diffOver(base, "diff.vdi");
        try (PcMachine m = new PcMachine(settings)) {
            m.switchHardDisk(slot, diff);
            DiskImage now = image.apply(m);
            assertEquals(diff, now.path());
            byte[] seen = new byte[512];
            now.read(0, seen, 0, 512);
            assertArrayEquals(sector(0x11), seen, "the diff reads what the base held");
            now.write(0, sector(0x22), 0, 512);
        }
        assertArrayEquals(sector(0x11), read(base), "the old top is frozen");
        assertArrayEquals(sector(0x22), read(diff));
    }

    @Test
    void anIdeDiskSwitchesToANewDiff() throws IOException {
        Path base = vdi("ide.vdi");
        switchesAndWritesGoToTheDiff(settings().hardDisk(1, base), DriveSlot.ide(1), base, m -> m.hardDisk(1));
    }

    @Test
    void aSataDiskSwitchesToANewDiffUnderItsAhciDevice() throws IOException {
        Path base = vdi("sata.vdi");
        switchesAndWritesGoToTheDiff(settings().sata(4, SataDrive.hardDisk(base, false)), DriveSlot.sata(4), base,
                m -> {
                    assertSame(m.sataImage(4), m.ahci().device(4).disk().image(), "the device uses the new chain");
                    return m.sataImage(4);
                });
    }

    @Test
    void aSlotWithoutAHardDiskIsRefusedByName() throws IOException {
        Path base = vdi("sata.vdi");
        try (PcMachine m = new PcMachine(settings().sata(0, SataDrive.dvd(base)))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> m.switchHardDisk(DriveSlot.sata(0), base));
            assertTrue(e.getMessage().startsWith("SATA port 0 holds no hard disk"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> m.switchHardDisk(DriveSlot.ide(0), base));
            assertTrue(e.getMessage().startsWith("IDE drive 0 holds no hard disk"), e.getMessage());
        }
    }

    @Test
    void aFailedSwitchKeepsTheSataDiskOnItsOldImage() throws IOException {
        Path base = vdi("sata.vdi");
        try (PcMachine m = new PcMachine(settings().sata(2, SataDrive.hardDisk(base, false)))) {
            assertThrows(IOException.class, () -> m.switchHardDisk(DriveSlot.sata(2), dir.resolve("gone.vdi")));
            assertEquals(base, m.sataImage(2).path());
            assertSame(m.sataImage(2), m.ahci().device(2).disk().image());
            byte[] seen = new byte[512];
            m.sataImage(2).read(0, seen, 0, 512);
            assertArrayEquals(sector(0x11), seen);
        }
    }
}
