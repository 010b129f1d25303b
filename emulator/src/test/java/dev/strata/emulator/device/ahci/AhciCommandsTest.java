package dev.strata.emulator.device.ahci;

import static dev.strata.emulator.device.ahci.AhciRegisters.*;
import static dev.strata.emulator.device.ahci.AhciTestRig.DATA;
import static dev.strata.emulator.device.ahci.AhciTestRig.command;
import static dev.strata.emulator.device.ahci.AhciTestRig.expected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.pci.PciConfig;
import dev.strata.storage.image.DiskImage;
import dev.strata.storage.image.DiskImages;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Commands through command lists built in guest RAM: ATA data transfers, NCQ, ATAPI, and the error cases. */
class AhciCommandsTest {

    private static final int WRITE = 1 << 6;
    private static final int ATAPI = 1 << 5;

    @TempDir
    Path dir;

    AhciTestRig rig;
    DiskImage disk;

    @BeforeEach
    void setUp() throws Exception {
        rig = new AhciTestRig();
        disk = AhciTestRig.rawDisk(dir, "d.img", 2048);
        rig.hba.attachDisk(0, disk);
        rig.start(0);
    }

    private void assertSectors(int address, long firstSector, int count) {
        for (int s = 0; s < count; s++) {
            for (int i = 0; i < 512; i += 97) {
                assertEquals(expected(firstSector + s, i) & 0xFF, rig.ram.read8(address + s * 512 + i),
                        "sector " + (firstSector + s) + " byte " + i);
            }
        }
    }

    @Test
    void identifyComesThroughAPioSetupFisAndAdvertisesNcq() {
        rig.issue(0, 0, 0, command(0xEC, 0, 0, 0), DATA, 512);
        assertEquals(0, rig.port(0, PX_CI));
        assertEquals(512, rig.byteCount(0, 0));
        int words75 = rig.ram.read16(DATA + 75 * 2);
        int words76 = rig.ram.read16(DATA + 76 * 2);
        assertEquals(31, words75);
        assertTrue((words76 & 0x100) != 0, "NCQ supported");
        assertEquals(2048, rig.ram.read32(DATA + 60 * 2));
        assertEquals(FIS_PIO_SETUP, rig.rx(0, RX_PIO_SETUP));
        assertEquals(0x60, rig.rx(0, RX_PIO_SETUP + 1), "device to host, interrupt");
        assertEquals(0x50, rig.rx(0, RX_PIO_SETUP + 15), "E_Status");
        assertEquals(IS_PSS, rig.port(0, PX_IS));
        assertEquals(0x50, rig.port(0, PX_TFD));
        assertTrue(rig.inta.high);
    }

    @Test
    void readDmaExtSpreadsOverSeveralPrdEntries() {
        rig.issue(0, 3, 0, command(0x25, 100, 9, 0), DATA, 1024, DATA + 0x10000, 8 * 512 - 1024 + 512);
        assertEquals(0, rig.port(0, PX_CI));
        assertSectors(DATA, 100, 2);
        assertSectors(DATA + 0x10000, 102, 7);
        assertEquals(9 * 512, rig.byteCount(0, 3));
        assertEquals(IS_DHRS, rig.port(0, PX_IS));
        assertEquals(FIS_D2H, rig.rx(0, RX_D2H));
        assertEquals(0x40, rig.rx(0, RX_D2H + 1));
        assertEquals(0x50, rig.rx(0, RX_D2H + 2));
    }

    @Test
    void readDmaOfMoreThanOneBufferfulCrossesChunks() {
        rig.issue(0, 0, 0, command(0xC8, 10, 0, 0), DATA, 256 * 512); // count 0 = 256 sectors
        assertSectors(DATA, 10, 256);
        assertEquals(256 * 512, rig.byteCount(0, 0));
    }

    @Test
    void writeDmaExtReachesTheImage() throws Exception {
        rig.fill(DATA, 3 * 512, 5);
        rig.issue(0, 0, WRITE, command(0x35, 7, 3, 0), DATA, 3 * 512);
        assertEquals(IS_DHRS, rig.port(0, PX_IS));
        byte[] back = new byte[3 * 512];
        disk.read(7 * 512, back, 0, back.length);
        for (int i = 0; i < back.length; i++) {
            assertEquals((byte) (5 + i * 3), back[i], "byte " + i);
        }
    }

    @Test
    void pioReadAndWriteSectorsMoveDataThroughPioSetupFises() throws Exception {
        rig.issue(0, 0, 0, command(0x20, 40, 2, 0), DATA, 1024);
        assertSectors(DATA, 40, 2);
        assertEquals(0x50, rig.rx(0, RX_PIO_SETUP + 15));
        assertTrue((rig.port(0, PX_IS) & IS_PSS) != 0);
        rig.port(0, PX_IS, -1);
        rig.fill(DATA, 1024, 9);
        rig.issue(0, 1, WRITE, command(0x34, 50, 2, 0), DATA, 1024);
        assertEquals(0, rig.rx(0, RX_PIO_SETUP + 1) & 0x20, "host to device");
        assertTrue((rig.port(0, PX_IS) & IS_DHRS) != 0, "a PIO write ends with a register FIS");
        byte[] back = new byte[1024];
        disk.read(50 * 512, back, 0, 1024);
        assertEquals((byte) (9 + 1000 * 3), back[1000]);
    }

    @Test
    void flushAndSetFeaturesComplete() {
        rig.issue(0, 0, 0, command(0xEA, 0, 0, 0));
        assertEquals(0x50, rig.port(0, PX_TFD));
        rig.issue(0, 1, 0, command(0xEF, 0, 0x46, 0x03)); // UDMA mode 6 does not exist: abort
        assertEquals(0x04, rig.port(0, PX_TFD) >>> 8);
        assertTrue((rig.port(0, PX_IS) & IS_TFES) != 0);
        assertEquals(2, rig.port(0, PX_CI), "the failed slot stays issued");
        assertEquals(1, rig.port(0, PX_CMD) >>> CMD_CCS_SHIFT & 0x1F);
        rig.port(0, PX_CMD, CMD_FRE);
        assertEquals(0, rig.port(0, PX_CI), "stopping the engine drops the command");
        rig.port(0, PX_IS, -1);
        rig.port(0, PX_CMD, CMD_FRE | CMD_ST);
        rig.issue(0, 2, 0, command(0xEF, 0, 0x45, 0x03)); // UDMA 5
        assertEquals(0, rig.port(0, PX_CI));
        assertEquals(0x50, rig.port(0, PX_TFD));
    }

    @Test
    void queuedReadsCompleteWithSetDeviceBitsAndClearSactive() {
        rig.port(0, PX_SACT, 0b1010);
        rig.build(0, 1, 0, command(0x60, 200, 1 << 3, 4), null, DATA, 4 * 512);
        byte[] second = command(0x60, 300, 3 << 3, 2);
        rig.build(0, 3, 0, second, null, DATA + 0x8000, 2 * 512);
        rig.port(0, PX_CI, 0b1010);
        assertEquals(0, rig.port(0, PX_CI));
        assertEquals(0, rig.port(0, PX_SACT));
        assertSectors(DATA, 200, 4);
        assertSectors(DATA + 0x8000, 300, 2);
        assertEquals(FIS_SDB, rig.rx(0, RX_SDB));
        assertEquals(1 << 3, rig.ram.read32(AhciTestRig.receivedFis(0) + RX_SDB + 4));
        assertEquals(FIS_DMA_SETUP, rig.rx(0, RX_DMA_SETUP));
        assertEquals(3, rig.rx(0, RX_DMA_SETUP + 4), "the tag");
        assertEquals(IS_SDBS, rig.port(0, PX_IS));
    }

    @Test
    void queuedWriteReachesTheImage() throws Exception {
        rig.fill(DATA, 512, 77);
        rig.port(0, PX_SACT, 1);
        rig.issue(0, 0, WRITE, command(0x61, 5, 0, 1), DATA, 512);
        assertEquals(0, rig.port(0, PX_SACT));
        byte[] back = new byte[512];
        disk.read(5 * 512, back, 0, 512);
        assertEquals((byte) (77 + 3 * 100), back[100]);
    }

    @Test
    void queuedCommandPastTheEndFailsWithAnErrorInSetDeviceBits() {
        rig.port(0, PX_SACT, 1);
        rig.issue(0, 0, 0, command(0x60, 4000, 0, 8), DATA, 8 * 512);
        assertTrue((rig.port(0, PX_IS) & IS_TFES) != 0);
        assertEquals(1, rig.port(0, PX_SACT), "the failed command stays active");
        assertEquals(0x01, rig.port(0, PX_TFD) & 0x01);
    }

    @Test
    void atapiPacketReadsTheCdThroughThePrdTable() throws Exception {
        byte[] iso = new byte[2048 * 20];
        for (int i = 0; i < iso.length; i++) {
            iso[i] = (byte) (i / 2048 + i);
        }
        Path file = Files.write(dir.resolve("cd.iso"), iso);
        rig.hba.attachCdrom(1).cdrom().insert(DiskImages.open(file, true));
        rig.start(1);
        byte[] read10 = {0x28, 0, 0, 0, 0, 5, 0, 0, 2, 0, 0, 0};
        byte[] testUnitReady = new byte[12];
        rig.build(1, 0, ATAPI, command(0xA0, 0, 0, 0), testUnitReady);
        rig.port(1, PX_CI, 1);
        assertTrue((rig.port(1, PX_IS) & IS_TFES) != 0, "first command: unit attention, medium changed");
        rig.port(1, PX_CMD, CMD_FRE);
        rig.port(1, PX_IS, -1);
        rig.port(1, PX_CMD, CMD_FRE | CMD_ST);
        byte[] fis = command(0xA0, 0, 0, 1); // features bit 0: DMA
        rig.build(1, 0, ATAPI, fis, read10, DATA, 4096);
        rig.port(1, PX_CI, 1);
        assertEquals(0, rig.port(1, PX_CI));
        assertEquals(4096, rig.byteCount(1, 0));
        for (int i = 0; i < 4096; i += 101) {
            assertEquals(iso[5 * 2048 + i] & 0xFF, rig.ram.read8(DATA + i));
        }
        byte[] pio = command(0xA0, 0xFFFF00L, 0, 0); // PIO with a byte count limit of FFFFh
        rig.build(1, 1, ATAPI, pio, read10, DATA + 0x10000, 4096);
        rig.port(1, PX_CI, 2);
        assertEquals(0, rig.port(1, PX_CI));
        assertEquals(iso[5 * 2048 + 3000] & 0xFF, rig.ram.read8(DATA + 0x10000 + 3000));
    }

    @Test
    void shortPrdTableIsAnInterfaceFatalErrorWithOverflow() {
        rig.issue(0, 0, 0, command(0x25, 0, 4, 0), DATA, 1024);
        int is = rig.port(0, PX_IS);
        assertTrue((is & IS_IFS) != 0);
        assertTrue((is & IS_OFS) != 0);
        assertEquals(1, rig.port(0, PX_CI));
        assertEquals(0x01, rig.port(0, PX_TFD) & 0x01, "ERR in the task file");
        rig.issue(0, 1, 0, command(0xE7, 0, 0, 0));
        assertEquals(0b11, rig.port(0, PX_CI), "a stopped port fetches nothing more");
    }

    @Test
    void dataRegionOutsideRamIsAHostBusFatalError() {
        rig.issue(0, 0, 0, command(0x25, 0, 1, 0), 0xF000_0000, 512);
        assertTrue((rig.port(0, PX_IS) & IS_HBFS) != 0);
        assertEquals(1, rig.port(0, PX_CI));
    }

    @Test
    void commandTableInUnmappedMemoryIsAHostBusFatalError() {
        rig.build(0, 0, 0, command(0xE7, 0, 0, 0), null);
        rig.ram.write32(AhciTestRig.commandList(0) + 8, 0xE000_0000);
        rig.port(0, PX_CI, 1);
        assertTrue((rig.port(0, PX_IS) & IS_HBFS) != 0);
        assertEquals(0x01, rig.port(0, PX_TFD) & 0x01);
    }

    @Test
    void commandListInUnmappedMemoryIsAHostBusFatalError() {
        rig.port(0, PX_CMD, CMD_FRE);
        rig.port(0, PX_CLB, 0xE000_0000);
        rig.port(0, PX_CMD, CMD_FRE | CMD_ST);
        rig.port(0, PX_CI, 1);
        assertTrue((rig.port(0, PX_IS) & IS_HBFS) != 0);
    }

    @Test
    void busMasteringOffReachesNoMemory() {
        rig.pci.writeConfig(PciConfig.COMMAND, 2, PciConfig.COMMAND_MEMORY_SPACE);
        rig.issue(0, 0, 0, command(0x25, 0, 1, 0), DATA, 512);
        assertTrue((rig.port(0, PX_IS) & IS_HBFS) != 0);
        assertEquals(0, rig.ram.read8(DATA));
    }

    @Test
    void writeToAReadOnlyImageFailsWithAbort() throws Exception {
        AhciTestRig ro = new AhciTestRig();
        Path file = dir.resolve("ro.img");
        Files.write(file, new byte[64 * 512]);
        ro.hba.attachDisk(0, DiskImages.open(file, true));
        ro.start(0);
        ro.issue(0, 0, WRITE, command(0x35, 0, 1, 0), DATA, 512);
        assertTrue((ro.port(0, PX_IS) & IS_TFES) != 0);
        assertEquals(0x04, ro.port(0, PX_TFD) >>> 8);
    }

    @Test
    void softResetByControlFisesBringsTheSignature() {
        rig.build(0, 0, 1 << 10 | 1 << 8, AhciTestRig.control(0x04), null);
        rig.port(0, PX_CI, 1);
        assertEquals(0, rig.port(0, PX_CI));
        assertEquals(0, rig.port(0, PX_TFD) & 0x80, "clear busy upon R_OK");
        rig.build(0, 1, 0, AhciTestRig.control(0x00), null);
        rig.port(0, PX_CI, 2);
        assertEquals(0x101, rig.port(0, PX_SIG));
        assertEquals(0x50, rig.port(0, PX_TFD) & 0xFF);
    }

    @Test
    void comresetWhileACommandIsStoppedByAnErrorDropsIt() {
        rig.issue(0, 0, 0, command(0x25, 0, 4, 0), DATA, 512); // too short a table: the port stops
        assertEquals(1, rig.port(0, PX_CI));
        rig.port(0, PX_SCTL, 1);
        assertEquals(0, rig.port(0, PX_CI));
        rig.port(0, PX_SCTL, 0);
        rig.port(0, PX_CMD, CMD_FRE);
        rig.port(0, PX_IS, -1);
        rig.port(0, PX_CMD, CMD_FRE | CMD_ST);
        rig.issue(0, 0, 0, command(0x25, 0, 1, 0), DATA, 512);
        assertEquals(0, rig.port(0, PX_CI), "the port works again");
        assertSectors(DATA, 0, 1);
    }

    @Test
    void commandToAnEmptyPortIsAnInterfaceFatalError() {
        rig.start(4);
        rig.issue(4, 0, 0, command(0xEC, 0, 0, 0), DATA, 512);
        assertTrue((rig.port(4, PX_IS) & IS_IFS) != 0);
        assertFalse(rig.port(4, PX_CI) == 0);
    }
}
