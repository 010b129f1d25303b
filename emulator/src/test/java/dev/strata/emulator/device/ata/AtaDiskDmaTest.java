package dev.strata.emulator.device.ata;

import static dev.strata.emulator.device.ata.AtaRegisters.*;
import static dev.strata.emulator.device.ata.BusMasterChannel.STATUS_ACTIVE;
import static dev.strata.emulator.device.ata.BusMasterChannel.STATUS_ERROR;
import static dev.strata.emulator.device.ata.BusMasterChannel.STATUS_INTERRUPT;
import static dev.strata.emulator.device.ata.IdeTestRig.assertSector;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.storage.image.DiskImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** READ/WRITE DMA (+EXT) through the bus-master registers and PRD tables in guest RAM. */
class AtaDiskDmaTest {

    private static final int SECTORS = 4096; // 2 MiB
    private static final int TABLE = 0x1000;

    @TempDir
    Path dir;
    private IdeTestRig rig;
    private DiskImage image;

    @BeforeEach
    void setUp() throws IOException {
        rig = new IdeTestRig();
        image = IdeTestRig.rawDisk(dir, "disk.img", SECTORS, false);
        rig.ide.attachDisk(IdeController.PRIMARY, IdeController.MASTER, image);
        rig.select(0);
    }

    @AfterEach
    void tearDown() throws IOException {
        image.close();
    }

    @Test
    void readDmaScattersSectorsOverSeveralPrdEntries() {
        // 3 sectors: 1000 bytes at 0x20000, 536 bytes at 0x30000 (two regions, not sector aligned)
        rig.prdTable(TABLE, 0x20000, 1000, 0x30000, 536);
        rig.lba28(0, 40, 3);
        rig.command(AtaCommands.READ_DMA);
        assertFalse(rig.irq14.high, "nothing happens until the bus master starts");
        rig.bmStart(true);
        assertTrue(rig.irq14.high, "completion interrupt");
        assertEquals(STATUS_INTERRUPT, rig.bmStatus(), "table and data ended together: active clear, interrupt set");
        rig.bmStop();
        assertEquals(STATUS_DRDY | STATUS_DSC, rig.status());
        byte[] joined = new byte[1536];
        System.arraycopy(rig.ramBytes(0x20000, 1000), 0, joined, 0, 1000);
        System.arraycopy(rig.ramBytes(0x30000, 536), 0, joined, 1000, 536);
        for (int s = 0; s < 3; s++) {
            assertSector(joined, s * 512, 40 + s);
        }
        rig.bmClearStatus();
        assertEquals(0, rig.bmStatus());
        assertEquals(42, rig.in(LBA_LOW));
    }

    @Test
    void busMasterStartedBeforeTheCommandAlsoWorks() {
        rig.prdTable(TABLE, 0x20000, 512);
        rig.bmStart(true);
        assertEquals(STATUS_ACTIVE, rig.bmStatus(), "active, waiting for the device");
        rig.lba28(0, 9, 1);
        rig.command(AtaCommands.READ_DMA);
        assertEquals(STATUS_INTERRUPT, rig.bmStatus());
        assertSector(rig.ramBytes(0x20000, 512), 0, 9);
    }

    @Test
    void zeroByteCountMeans64KiB() {
        rig.prdTable(TABLE, 0x40000, 0); // 64 KiB
        rig.lba48(0, 1000, 128);
        rig.command(AtaCommands.READ_DMA_EXT);
        rig.bmStart(true);
        assertEquals(STATUS_INTERRUPT, rig.bmStatus());
        byte[] data = rig.ramBytes(0x40000, 65536);
        assertSector(data, 0, 1000);
        assertSector(data, 127 * 512, 1127);
    }

    @Test
    void largeReadDmaExtCrossesTheDevicesChunks() {
        // 600 sectors (300 KiB) in five 64 KiB regions and a short one
        rig.prdTable(TABLE, 0x10000, 0, 0x20000, 0, 0x30000, 0, 0x40000, 0, 0x50000, 300 * 1024 - 4 * 65536);
        rig.lba48(0, 3000, 600);
        rig.command(AtaCommands.READ_DMA_EXT);
        rig.bmStart(true);
        assertEquals(STATUS_INTERRUPT, rig.bmStatus());
        assertEquals(STATUS_DRDY | STATUS_DSC, rig.status());
        byte[] data = rig.ramBytes(0x10000, 300 * 1024);
        for (int s = 0; s < 600; s += 37) {
            assertSector(data, s * 512, 3000 + s);
        }
        assertSector(data, 599 * 512, 3599);
    }

    @Test
    void writeDmaAndWriteDmaExtGatherFromMemory() throws IOException {
        byte[] payload = new byte[4 * 512];
        new Random(9).nextBytes(payload);
        rig.ram.load(0x50000, java.util.Arrays.copyOfRange(payload, 0, 1024));
        rig.ram.load(0x60000, java.util.Arrays.copyOfRange(payload, 1024, 2048));
        rig.prdTable(TABLE, 0x50000, 1024, 0x60000, 1024);
        rig.lba28(0, 77, 4);
        rig.command(AtaCommands.WRITE_DMA);
        rig.bmStart(false);
        assertEquals(STATUS_INTERRUPT, rig.bmStatus());
        assertEquals(STATUS_DRDY | STATUS_DSC, rig.status());
        byte[] back = new byte[payload.length];
        image.read(77 * 512L, back, 0, back.length);
        assertArrayEquals(payload, back);

        rig.bmStop();
        rig.bmClearStatus();
        rig.prdTable(TABLE, 0x50000, 1024, 0x60000, 1024);
        rig.lba48(0, SECTORS - 4, 4);
        rig.command(AtaCommands.WRITE_DMA_EXT);
        rig.bmStart(false);
        assertEquals(STATUS_INTERRUPT, rig.bmStatus());
        image.read((SECTORS - 4) * 512L, back, 0, back.length);
        assertArrayEquals(payload, back);
    }

    @Test
    void largerTableThanDataLeavesActiveSetWithTheInterrupt() {
        rig.prdTable(TABLE, 0x20000, 4096);
        rig.lba28(0, 0, 2);
        rig.command(AtaCommands.READ_DMA);
        rig.bmStart(true);
        assertEquals(STATUS_ACTIVE | STATUS_INTERRUPT, rig.bmStatus());
        rig.bmStop();
        assertEquals(STATUS_INTERRUPT, rig.bmStatus());
    }

    @Test
    void tableShorterThanDataClearsActiveWithoutAnInterrupt() {
        rig.prdTable(TABLE, 0x20000, 512);
        rig.lba28(0, 0, 2);
        rig.command(AtaCommands.READ_DMA);
        rig.bmStart(true);
        assertEquals(0, rig.bmStatus(), "table exhausted first: not active, no interrupt");
        assertFalse(rig.irq14.high);
        assertTrue((rig.altStatus() & STATUS_DRQ) != 0, "the device still waits for the rest");
        // a driver times out and resets the channel
        rig.deviceControl(CONTROL_SRST);
        rig.deviceControl(0);
        rig.waitNotBusy();
        assertEquals(STATUS_DRDY | STATUS_DSC, rig.status());
    }

    @Test
    void prdPointingOutsideRamSetsTheErrorBitAndAbortsTheCommand() {
        rig.prdTable(TABLE, IdeTestRig.RAM - 256, 512); // crosses the end of RAM
        rig.lba28(0, 0, 1);
        rig.command(AtaCommands.READ_DMA);
        rig.bmStart(true);
        int bm = rig.bmStatus();
        assertEquals(STATUS_ERROR, bm & STATUS_ERROR, "bus-master error");
        assertEquals(0, bm & STATUS_ACTIVE);
        assertTrue(rig.irq14.high, "the guest hears about it");
        assertEquals(STATUS_DRDY | STATUS_DSC | STATUS_ERR, rig.status());
        assertEquals(ERROR_ABRT, rig.error());
        rig.bmStop();
        rig.bmClearStatus();
        assertEquals(0, rig.bmStatus());
    }

    @Test
    void prdTableItselfOutsideRamIsABusMasterError() {
        bmTableAt(0x7FFF_FFF0);
        rig.lba28(0, 0, 1);
        rig.command(AtaCommands.WRITE_DMA);
        rig.bmStart(false);
        assertEquals(STATUS_ERROR | STATUS_INTERRUPT, rig.bmStatus());
        assertEquals(ERROR_ABRT, rig.error());
    }

    private void bmTableAt(int address) {
        rig.bus.out(rig.bmBase + BusMasterChannel.REG_PRD_ADDRESS, 4, address);
    }

    @Test
    void prdAddressRegisterIsDwordAlignedAndReadsBack() {
        bmTableAt(0x12345677);
        assertEquals(0x12345674, rig.bus.in(rig.bmBase + BusMasterChannel.REG_PRD_ADDRESS, 4));
        rig.bus.out(rig.bmBase + BusMasterChannel.REG_STATUS, 1, 0x60);
        assertEquals(0x60, rig.bmStatus(), "drive DMA capable bits are scratch");
    }

    @Test
    void dmaWaitsWhileBusMasteringIsDisabledInPci() {
        dev.strata.emulator.pci.Piix3IdeFunction function = new dev.strata.emulator.pci.Piix3IdeFunction();
        dev.strata.emulator.io.IoBus bus = new dev.strata.emulator.io.IoBus();
        function.writeConfig(0x20, 4, 0xD000);
        function.writeConfig(0x04, 2, 0x0001); // I/O on, bus master off
        new dev.strata.emulator.pci.PciBarMapper(bus, rig.ram.map()).connect(1, 1, function);
        rig.ide.connect(function);
        rig.prdTable(TABLE, 0x20000, 512);
        rig.lba28(0, 5, 1);
        rig.command(AtaCommands.READ_DMA);
        bus.out(0xD000, 1, 0x09);
        assertEquals(STATUS_ACTIVE, bus.in(0xD002, 1), "no transfer without PCI bus mastering");
        assertFalse(rig.irq14.high);
    }

    @Test
    void secondaryChannelHasItsOwnBusMasterAndIrq() throws IOException {
        DiskImage second = IdeTestRig.rawDisk(dir, "second.img", 64, false);
        try {
            rig.ide.attachDisk(IdeController.SECONDARY, IdeController.SLAVE, second);
            rig.secondary();
            rig.select(1);
            rig.prdTable(TABLE + 0x100, 0x70000, 1024);
            rig.lba28(1, 10, 2);
            rig.command(AtaCommands.READ_DMA);
            rig.bmStart(true);
            assertTrue(rig.irq15.high);
            assertFalse(rig.irq14.high);
            assertEquals(STATUS_INTERRUPT, rig.bmStatus());
            assertEquals(0, rig.bus.in(IdeTestRig.BM_BASE + 2, 1), "primary bus master untouched");
            byte[] data = rig.ramBytes(0x70000, 1024);
            assertSector(data, 0, 10);
            assertSector(data, 512, 11);
        } finally {
            second.close();
        }
    }
}
