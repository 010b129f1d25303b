package dev.strata.emulator.device.ata;

import static dev.strata.emulator.device.ata.AtaRegisters.*;
import static dev.strata.emulator.device.ata.IdeTestRig.assertSector;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.storage.image.DiskImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Non-data commands and channel control: SET FEATURES, FLUSH CACHE, INITIALIZE DEVICE PARAMETERS, power
 * commands, EXECUTE DEVICE DIAGNOSTIC, SRST and signatures, nIEN, device selection.
 */
class AtaDiskControlTest {

    private static final int SECTORS = 2048;

    @TempDir
    Path dir;
    private IdeTestRig rig;
    private FaultyImage image;
    private AtaDisk disk;

    @BeforeEach
    void setUp() throws IOException {
        rig = new IdeTestRig();
        IdeTestRig.rawDisk(dir, "disk.img", SECTORS, false).close();
        image = new FaultyImage(DiskImages.open(dir.resolve("disk.img"), false));
        disk = rig.ide.attachDisk(IdeController.PRIMARY, IdeController.MASTER, image);
        rig.select(0);
    }

    @AfterEach
    void tearDown() throws IOException {
        image.close();
    }

    private int[] identify() {
        rig.command(AtaCommands.IDENTIFY_DEVICE);
        byte[] data = rig.pioRead(1, 1);
        int[] w = new int[256];
        for (int i = 0; i < 256; i++) {
            w[i] = (data[2 * i] & 0xFF) | (data[2 * i + 1] & 0xFF) << 8;
        }
        return w;
    }

    private void setFeatures(int feature, int count) {
        rig.out(ERROR_FEATURES, feature);
        rig.out(SECTOR_COUNT, count);
        rig.command(AtaCommands.SET_FEATURES);
    }

    private void assertOk() {
        assertEquals(STATUS_DRDY | STATUS_DSC, rig.status());
    }

    private void assertAborted() {
        assertEquals(STATUS_DRDY | STATUS_DSC | STATUS_ERR, rig.status());
        assertEquals(ERROR_ABRT, rig.error());
    }

    @Test
    void setFeaturesTransferModeShowsInIdentifyWords63And88() {
        setFeatures(AtaCommands.FEATURE_SET_TRANSFER_MODE, 0x45); // UDMA 5
        assertOk();
        int[] w = identify();
        assertEquals(0x203F, w[88]);
        assertEquals(0x0007, w[63]);
        setFeatures(AtaCommands.FEATURE_SET_TRANSFER_MODE, 0x22); // MWDMA 2
        assertOk();
        w = identify();
        assertEquals(0x0407, w[63]);
        assertEquals(0x003F, w[88], "UDMA deselected");
        setFeatures(AtaCommands.FEATURE_SET_TRANSFER_MODE, 0x0C); // PIO 4
        assertOk();
        setFeatures(AtaCommands.FEATURE_SET_TRANSFER_MODE, 0x46); // UDMA 6: not supported
        assertAborted();
        setFeatures(AtaCommands.FEATURE_SET_TRANSFER_MODE, 0x23); // MWDMA 3: not supported
        assertAborted();
    }

    @Test
    void setFeaturesWriteCacheTogglesWord85AndWritesFlushWhenOff() {
        assertTrue((identify()[85] & 0x20) != 0, "write cache on at power-on");
        setFeatures(AtaCommands.FEATURE_DISABLE_WRITE_CACHE, 0);
        assertOk();
        assertFalse(disk.writeCacheEnabled());
        assertEquals(0, identify()[85] & 0x20);
        int flushes = image.flushes;
        rig.lba28(0, 1, 1);
        rig.command(AtaCommands.WRITE_SECTORS);
        rig.pioWrite(new byte[512], 1, 1);
        assertOk();
        assertEquals(flushes + 1, image.flushes, "write-through without the cache");
        setFeatures(AtaCommands.FEATURE_ENABLE_WRITE_CACHE, 0);
        assertOk();
        flushes = image.flushes;
        rig.lba28(0, 1, 1);
        rig.command(AtaCommands.WRITE_SECTORS);
        rig.pioWrite(new byte[512], 1, 1);
        assertEquals(flushes, image.flushes, "cached writes wait for FLUSH CACHE");
    }

    @Test
    void setFeaturesUnknownSubcommandIsAborted() {
        setFeatures(0x5D, 0);
        assertAborted();
        setFeatures(AtaCommands.FEATURE_ENABLE_READ_LOOK_AHEAD, 0);
        assertOk();
    }

    @Test
    void flushCacheAndFlushCacheExtReachTheImage() {
        int flushes = image.flushes;
        rig.command(AtaCommands.FLUSH_CACHE);
        assertTrue(rig.irq14.high);
        assertOk();
        rig.command(AtaCommands.FLUSH_CACHE_EXT);
        assertOk();
        assertEquals(flushes + 2, image.flushes);
    }

    @Test
    void initializeDeviceParametersChangesTheChsTranslation() {
        rig.out(SECTOR_COUNT, 32);
        rig.out(DEVICE, 0xA0 | 3); // 4 heads
        rig.command(AtaCommands.INITIALIZE_DEVICE_PARAMETERS);
        assertOk();
        assertEquals(new DiskGeometry(16, 4, 32), disk.currentGeometry());
        int[] w = identify();
        assertEquals(16, w[54]);
        assertEquals(4, w[55]);
        assertEquals(32, w[56]);
        assertEquals(16 * 4 * 32, w[57] | w[58] << 16);
        assertEquals(1, w[53] & 1);
        assertEquals(2, w[1], "default geometry unchanged");
        // C/H/S 2/1/3 -> (2 * 4 + 1) * 32 + 2 = 290
        rig.chs(0, 2, 1, 3, 1);
        rig.command(AtaCommands.READ_SECTORS);
        assertSector(rig.pioRead(1, 1), 0, 290);
        // head 4 is outside the new translation
        rig.chs(0, 0, 4, 1, 1);
        rig.command(AtaCommands.READ_SECTORS);
        assertEquals(ERROR_IDNF | ERROR_ABRT, rig.error());
    }

    @Test
    void initializeDeviceParametersWithZeroSectorsIsAborted() {
        rig.out(SECTOR_COUNT, 0);
        rig.out(DEVICE, 0xA0 | 15);
        rig.command(AtaCommands.INITIALIZE_DEVICE_PARAMETERS);
        assertAborted();
    }

    @Test
    void powerCommandsAndCheckPowerMode() {
        rig.command(AtaCommands.CHECK_POWER_MODE);
        assertOk();
        assertEquals(0xFF, rig.in(SECTOR_COUNT), "active");
        for (int standby : new int[] {AtaCommands.STANDBY, AtaCommands.STANDBY_IMMEDIATE}) {
            rig.command(standby);
            assertTrue(rig.irq14.high);
            assertOk();
            rig.command(AtaCommands.CHECK_POWER_MODE);
            assertOk();
            assertEquals(0x00, rig.in(SECTOR_COUNT), "standby");
            rig.command(AtaCommands.IDLE);
            assertOk();
            rig.command(AtaCommands.CHECK_POWER_MODE);
            assertEquals(0xFF, rig.in(SECTOR_COUNT), "idle");
        }
        rig.command(AtaCommands.STANDBY_IMMEDIATE);
        rig.lba28(0, 0, 1);
        rig.command(AtaCommands.READ_SECTORS); // a media access wakes the disk
        rig.pioRead(1, 1);
        rig.command(AtaCommands.CHECK_POWER_MODE);
        assertEquals(0xFF, rig.in(SECTOR_COUNT));
        rig.command(AtaCommands.IDLE_IMMEDIATE);
        assertOk();
    }

    @Test
    void sleepingDiskAbortsCommandsUntilAReset() {
        rig.command(AtaCommands.SLEEP);
        assertOk();
        rig.command(AtaCommands.CHECK_POWER_MODE);
        assertAborted();
        rig.deviceControl(CONTROL_SRST);
        rig.deviceControl(0);
        rig.waitNotBusy();
        rig.command(AtaCommands.CHECK_POWER_MODE);
        assertOk();
        assertEquals(0xFF, rig.in(SECTOR_COUNT));
    }

    @Test
    void softResetShowsBsyThenTheAtaSignature() {
        rig.out(LBA_MID, 0x55);
        rig.deviceControl(CONTROL_SRST);
        assertEquals(STATUS_BSY, rig.altStatus());
        assertEquals(STATUS_BSY, rig.status());
        rig.deviceControl(0);
        rig.waitNotBusy();
        assertEquals(STATUS_DRDY | STATUS_DSC, rig.altStatus());
        assertEquals(1, rig.in(SECTOR_COUNT));
        assertEquals(1, rig.in(LBA_LOW));
        assertEquals(0, rig.in(LBA_MID));
        assertEquals(0, rig.in(LBA_HIGH));
        assertEquals(0, rig.in(DEVICE) & 0x5F, "device 0 selected");
        assertEquals(0x01, rig.error(), "diagnostic code: no error");
        assertFalse(rig.irq14.high, "no interrupt after SRST");
    }

    @Test
    void softResetCancelsATransferInProgress() {
        rig.lba28(0, 0, 4);
        rig.command(AtaCommands.READ_SECTORS);
        rig.status();
        rig.readData(100);
        rig.deviceControl(CONTROL_SRST);
        rig.deviceControl(0);
        assertEquals(0, rig.altStatus() & STATUS_DRQ);
        rig.lba28(0, 3, 1);
        rig.command(AtaCommands.READ_SECTORS);
        assertSector(rig.pioRead(1, 1), 0, 3);
    }

    @Test
    void executeDeviceDiagnosticResetsBothDevicesAndInterrupts() throws IOException {
        AtapiCdrom cd = rig.ide.attachCdrom(IdeController.PRIMARY, IdeController.SLAVE);
        rig.select(1);
        rig.command(AtaCommands.EXECUTE_DEVICE_DIAGNOSTIC);
        assertTrue(rig.irq14.high, "device 0 interrupts");
        assertEquals(0, rig.in(DEVICE) & DEVICE_DEV, "device 0 selected afterwards");
        assertEquals(STATUS_DRDY | STATUS_DSC, rig.status());
        assertEquals(0x01, rig.error());
        assertEquals(0x00, rig.in(LBA_MID));
        rig.out(DEVICE, DEVICE_DEV);
        assertEquals(0x14, rig.in(LBA_MID), "the slave shows the ATAPI signature");
        assertEquals(0xEB, rig.in(LBA_HIGH));
        assertEquals(0x01, rig.error());
        assertEquals(0x00, rig.status(), "packet device after reset: DRDY clear");
        assertTrue(cd.isPacketDevice());
    }

    @Test
    void nienKeepsTheWireLowButTheDeviceStillReportsCompletion() {
        rig.deviceControl(CONTROL_NIEN);
        rig.command(AtaCommands.FLUSH_CACHE);
        assertFalse(rig.irq14.high);
        assertEquals(0, rig.bmStatus() & BusMasterChannel.STATUS_INTERRUPT);
        assertEquals(STATUS_DRDY | STATUS_DSC, rig.altStatus());
        rig.command(AtaCommands.FLUSH_CACHE);
        rig.deviceControl(0); // the pending interrupt shows once nIEN clears
        assertTrue(rig.irq14.high);
        rig.status();
        assertFalse(rig.irq14.high);
    }

    @Test
    void absentSlaveReadsZeroStatusIgnoresCommandsButEchoesTheTaskfile() {
        rig.out(DEVICE, 0xA0 | DEVICE_DEV);
        assertEquals(0, rig.status());
        assertEquals(0, rig.altStatus());
        assertEquals(0, rig.error());
        rig.out(SECTOR_COUNT, 0x55);
        rig.out(LBA_LOW, 0xAA);
        assertEquals(0x55, rig.in(SECTOR_COUNT));
        assertEquals(0xAA, rig.in(LBA_LOW));
        rig.command(AtaCommands.IDENTIFY_DEVICE);
        assertFalse(rig.irq14.high);
        assertEquals(0, rig.status());
        rig.out(DEVICE, 0xA0);
        assertEquals(STATUS_DRDY | STATUS_DSC, rig.status(), "the master is still there");
    }

    @Test
    void emptyChannelReadsZeroStatus() {
        rig.secondary();
        assertEquals(0, rig.status());
        assertEquals(0, rig.altStatus());
        rig.command(AtaCommands.IDENTIFY_DEVICE);
        assertFalse(rig.irq15.high);
    }

    @Test
    void onlyTheSelectedDeviceDrivesTheWire() throws IOException {
        IdeTestRig.rawDisk(dir, "slave.img", 64, false).close();
        try (var slaveImage = DiskImages.open(dir.resolve("slave.img"), false)) {
            rig.ide.attachDisk(IdeController.PRIMARY, IdeController.SLAVE, slaveImage);
            rig.command(AtaCommands.FLUSH_CACHE); // master, interrupt pending
            assertTrue(rig.irq14.high);
            rig.out(DEVICE, 0xA0 | DEVICE_DEV);
            assertFalse(rig.irq14.high, "the slave has nothing pending");
            rig.out(DEVICE, 0xA0);
            assertTrue(rig.irq14.high, "the master's request is still pending");
        }
    }

    @Test
    void hardwareResetRestoresPowerOnSettings() {
        setFeatures(AtaCommands.FEATURE_DISABLE_WRITE_CACHE, 0);
        rig.out(SECTOR_COUNT, 2);
        rig.command(AtaCommands.SET_MULTIPLE_MODE);
        rig.out(SECTOR_COUNT, 17);
        rig.out(DEVICE, 0xA0 | 1);
        rig.command(AtaCommands.INITIALIZE_DEVICE_PARAMETERS);
        rig.ide.reset();
        assertTrue(disk.writeCacheEnabled());
        assertEquals(disk.defaultGeometry(), disk.currentGeometry());
        assertEquals(0, rig.bmStatus());
        rig.select(0);
        assertEquals(0x0110, identify()[59]);
    }

    @Test
    void recalibrateAndSeekComplete() {
        rig.command(0x10);
        assertOk();
        rig.command(0x70);
        assertOk();
    }

    @Test
    void runtimeFailureOfTheImageIsReportedToTheGuestNotThrown() {
        image.failReads = true;
        image.throwRuntime = true;
        rig.lba28(0, 0, 1);
        rig.command(AtaCommands.READ_DMA);
        assertEquals(STATUS_DRDY | STATUS_DSC | STATUS_ERR, rig.status());
        assertEquals(ERROR_UNC, rig.error());
    }

    @Test
    void geometryForTinyAndHugeDisks() {
        assertEquals(new DiskGeometry(1, 1, 10), DiskGeometry.forSectors(10));
        assertEquals(new DiskGeometry(1, 2, 63), DiskGeometry.forSectors(130));
        assertEquals(new DiskGeometry(16383, 16, 63), DiskGeometry.forSectors(1L << 32));
        DiskGeometry g = DiskGeometry.forSectors(1_000_000);
        assertEquals(992, g.cylinders());
        assertEquals(15 * 63 + 54, g.lbaOf(0, 15, 55));
        assertEquals(-1, g.lbaOf(992, 0, 1));
    }

    @Test
    void identifyOfAHugeDiskCapsLba28AndChs() throws IOException {
        Path big = dir.resolve("big.img");
        try (var ch = java.nio.channels.FileChannel.open(big, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(0);
            ch.position((1L << 28) * 512 + 1024 * 512 - 1); // past the LBA28 limit (sparse)
            ch.write(java.nio.ByteBuffer.wrap(new byte[1]));
        }
        try (var bigImage = DiskImages.open(big, false)) {
            rig.ide.attachDisk(IdeController.SECONDARY, IdeController.MASTER, bigImage);
            rig.secondary();
            rig.select(0);
            int[] w = identify();
            assertEquals(0x0FFFFFFF, w[60] | w[61] << 16);
            assertEquals((1L << 28) + 1024, (w[100] & 0xFFFFL) | (long) w[101] << 16 | (long) w[102] << 32);
            assertEquals(16383, w[1]);
            rig.lba28(0, 0x0FFFFFFF, 1);
            rig.command(AtaCommands.READ_SECTORS);
            assertEquals(ERROR_IDNF | ERROR_ABRT, rig.error(), "LBA28 cannot reach past 0FFFFFFEh");
            rig.lba48(0, 1L << 28, 1);
            rig.command(AtaCommands.READ_SECTORS_EXT);
            rig.pioRead(1, 1);
            assertEquals(STATUS_DRDY | STATUS_DSC, rig.status());
        }
        Files.delete(big);
    }
}
