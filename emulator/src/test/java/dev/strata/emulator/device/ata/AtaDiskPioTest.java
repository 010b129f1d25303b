package dev.strata.emulator.device.ata;

import static dev.strata.emulator.device.ata.AtaRegisters.*;
import static dev.strata.emulator.device.ata.IdeTestRig.assertSector;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.storage.image.DiskImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PIO commands of an ATA disk, driven register by register as a polling or interrupt-driven driver would. */
class AtaDiskPioTest {

    private static final int SECTORS = 2048; // 1 MiB

    @TempDir
    Path dir;
    private IdeTestRig rig;
    private DiskImage image;
    private AtaDisk disk;

    @BeforeEach
    void setUp() throws IOException {
        rig = new IdeTestRig();
        image = IdeTestRig.rawDisk(dir, "disk.img", SECTORS, false);
        disk = rig.ide.attachDisk(IdeController.PRIMARY, IdeController.MASTER, image);
    }

    @AfterEach
    void tearDown() throws IOException {
        image.close();
    }

    private int[] identifyWords() {
        rig.select(0);
        rig.command(AtaCommands.IDENTIFY_DEVICE);
        byte[] data = rig.pioRead(1, 1);
        int[] w = new int[256];
        for (int i = 0; i < 256; i++) {
            w[i] = (data[2 * i] & 0xFF) | (data[2 * i + 1] & 0xFF) << 8;
        }
        return w;
    }

    private static String identifyString(int[] w, int first, int count) {
        StringBuilder sb = new StringBuilder();
        for (int i = first; i < first + count; i++) {
            sb.append((char) (w[i] >>> 8)).append((char) (w[i] & 0xFF));
        }
        return sb.toString().trim();
    }

    @Test
    void identifyDeviceReportsGeometryCapacityModesAndStrings() {
        int[] w = identifyWords();
        assertEquals(0x0040, w[0]);
        DiskGeometry g = DiskGeometry.forSectors(SECTORS);
        assertEquals(g.cylinders(), w[1]);
        assertEquals(g.heads(), w[3]);
        assertEquals(g.sectorsPerTrack(), w[6]);
        assertEquals(2, w[1]); // 2048 sectors / (16 * 63)
        assertEquals(16, w[3]);
        assertEquals(63, w[6]);
        assertEquals("STRATA HARDDISK", identifyString(w, 27, 20));
        assertEquals("STRATA-HD00", identifyString(w, 10, 10));
        assertEquals(AtaDisk.FIRMWARE_REVISION, identifyString(w, 23, 4));
        assertEquals(0x8010, w[47]);
        assertTrue((w[49] & 0x0300) == 0x0300, "LBA and DMA supported");
        assertEquals(SECTORS, w[60] | w[61] << 16);
        assertEquals(SECTORS, w[100] | w[101] << 16);
        assertEquals(0, w[102] | w[103]);
        assertEquals(0x0007, w[63] & 0xFF, "MWDMA 0-2");
        assertEquals(0x0003, w[64], "PIO 3-4");
        assertEquals(0x003F, w[88] & 0xFF, "UDMA 0-5");
        assertTrue((w[83] & 0x0400) != 0, "48-bit addresses");
        assertTrue((w[86] & 0x0400) != 0, "48-bit addresses enabled");
        assertEquals(0x0110, w[59], "multiple mode 16 valid");
        assertEquals(g.capacity(), w[57] | w[58] << 16);
        // integrity word: signature A5h and a checksum making the block sum to zero
        assertEquals(0xA5, w[255] & 0xFF);
        int sum = 0;
        for (int x : w) {
            sum += (x & 0xFF) + (x >>> 8);
        }
        assertEquals(0, sum & 0xFF);
        assertEquals(STATUS_DRDY | STATUS_DSC, rig.status(), "idle after the block");
    }

    @Test
    void readSectorsLba28InterruptsPerSectorAndEndsAtTheLastSector() {
        rig.select(0);
        rig.lba28(0, 100, 3);
        rig.command(AtaCommands.READ_SECTORS);
        byte[] data = rig.pioRead(3, 1);
        for (int s = 0; s < 3; s++) {
            assertSector(data, s * 512, 100 + s);
        }
        assertEquals(STATUS_DRDY | STATUS_DSC, rig.status());
        assertFalse(rig.irq14.high, "no interrupt after the last block of a PIO read");
        assertEquals(102, rig.in(LBA_LOW), "taskfile holds the last sector read");
        assertEquals(0, rig.in(SECTOR_COUNT));
    }

    @Test
    void readSectorsCountZeroMeans256() {
        rig.select(0);
        rig.lba28(0, 0, 0);
        rig.command(AtaCommands.READ_SECTORS);
        byte[] data = rig.pioRead(256, 1);
        assertEquals(256 * 512, data.length);
        assertSector(data, 255 * 512, 255);
    }

    @Test
    void readSectorsExtUsesAllSixLbaBytesAndHobReadsBack() {
        rig.select(0);
        rig.lba48(0, 2000, 5);
        rig.command(AtaCommands.READ_SECTORS_EXT);
        byte[] data = rig.pioRead(5, 1);
        assertSector(data, 0, 2000);
        assertSector(data, 4 * 512, 2004);
        int last = 2004;
        assertEquals(last & 0xFF, rig.in(LBA_LOW));
        assertEquals(last >>> 8, rig.in(LBA_MID));
        rig.deviceControl(CONTROL_HOB);
        assertEquals(0, rig.in(LBA_LOW), "LBA 31:24 with HOB set");
        rig.deviceControl(0);
    }

    @Test
    void hobSelectsThePreviousRegisterValueUntilATaskfileWrite() {
        rig.out(SECTOR_COUNT, 0x12);
        rig.out(SECTOR_COUNT, 0x34);
        assertEquals(0x34, rig.in(SECTOR_COUNT));
        rig.deviceControl(CONTROL_HOB);
        assertEquals(0x12, rig.in(SECTOR_COUNT));
        rig.out(LBA_LOW, 0x99); // a taskfile write clears HOB
        assertEquals(0x34, rig.in(SECTOR_COUNT));
    }

    @Test
    void readSectorsChsMapsThroughTheDefaultGeometry() {
        // cylinder 1, head 2, sector 5: LBA (1 * 16 + 2) * 63 + 4 = 1138
        rig.select(0);
        rig.chs(0, 1, 2, 5, 2);
        rig.command(AtaCommands.READ_SECTORS);
        byte[] data = rig.pioRead(2, 1);
        assertSector(data, 0, 1138);
        assertSector(data, 512, 1139);
        assertEquals(6, rig.in(LBA_LOW), "CHS output: sector of the last sector read");
        assertEquals(2, rig.in(DEVICE) & 0x0F, "head");
    }

    @Test
    void chsAddressOutsideTheGeometryIsIdnf() {
        rig.select(0);
        rig.chs(0, 0, 0, 64, 1); // sector 64 > 63 sectors per track
        rig.command(AtaCommands.READ_SECTORS);
        assertEquals(STATUS_DRDY | STATUS_DSC | STATUS_ERR, rig.status());
        assertEquals(ERROR_IDNF | ERROR_ABRT, rig.error());
    }

    @Test
    void writeSectorsStoresDataAndInterruptsAfterEachBlock() throws IOException {
        byte[] data = new byte[3 * 512];
        new Random(1).nextBytes(data);
        rig.select(0);
        rig.lba28(0, 7, 3);
        rig.command(AtaCommands.WRITE_SECTORS);
        assertFalse(rig.irq14.high, "no interrupt before the first block of a PIO write");
        rig.expectDrq();
        rig.writeData(data, 0, 512);
        assertTrue(rig.irq14.high, "interrupt for the second block");
        assertTrue((rig.status() & STATUS_DRQ) != 0);
        rig.writeData(data, 512, 512);
        rig.status();
        rig.writeData(data, 1024, 512);
        assertTrue(rig.irq14.high, "completion interrupt");
        assertEquals(STATUS_DRDY | STATUS_DSC, rig.status());
        byte[] back = new byte[3 * 512];
        image.read(7 * 512L, back, 0, back.length);
        assertArrayEquals(data, back);
        assertEquals(9, rig.in(LBA_LOW));
    }

    @Test
    void writeSectorsExtAndReadBackThroughTheController() {
        byte[] data = new byte[2 * 512];
        new Random(2).nextBytes(data);
        rig.select(0);
        rig.lba48(0, SECTORS - 2, 2);
        rig.command(AtaCommands.WRITE_SECTORS_EXT);
        rig.pioWrite(data, 2, 1);
        assertEquals(STATUS_DRDY | STATUS_DSC, rig.status());
        rig.lba48(0, SECTORS - 2, 2);
        rig.command(AtaCommands.READ_SECTORS_EXT);
        assertArrayEquals(data, rig.pioRead(2, 1));
    }

    @Test
    void readAndWriteMultipleMoveWholeBlocksPerDrq() throws IOException {
        rig.select(0);
        rig.out(SECTOR_COUNT, 4);
        rig.command(AtaCommands.SET_MULTIPLE_MODE);
        assertEquals(STATUS_DRDY | STATUS_DSC, rig.status());
        assertEquals(0x0104, identifyWords()[59]);

        rig.lba28(0, 10, 10);
        rig.command(AtaCommands.READ_MULTIPLE);
        int interrupts = rig.irq14.edges;
        byte[] data = rig.pioRead(10, 4); // blocks of 4, 4, 2
        assertEquals(interrupts + 2, rig.irq14.edges, "one interrupt per block (the first was counted already)");
        for (int s = 0; s < 10; s++) {
            assertSector(data, s * 512, 10 + s);
        }

        byte[] out = new byte[9 * 512];
        new Random(3).nextBytes(out);
        rig.lba48(0, 500, 9);
        rig.command(AtaCommands.WRITE_MULTIPLE_EXT);
        rig.pioWrite(out, 9, 4);
        assertEquals(STATUS_DRDY | STATUS_DSC, rig.status());
        byte[] back = new byte[out.length];
        image.read(500 * 512L, back, 0, back.length);
        assertArrayEquals(out, back);

        rig.lba48(0, 500, 9);
        rig.command(AtaCommands.READ_MULTIPLE_EXT);
        assertArrayEquals(out, rig.pioRead(9, 4));
    }

    @Test
    void writeMultipleLba28() throws IOException {
        byte[] out = new byte[3 * 512];
        new Random(4).nextBytes(out);
        rig.select(0);
        rig.lba28(0, 30, 3);
        rig.command(AtaCommands.WRITE_MULTIPLE); // power-on multiple count 16: one block
        rig.pioWrite(out, 3, 16);
        assertEquals(STATUS_DRDY | STATUS_DSC, rig.status());
        byte[] back = new byte[out.length];
        image.read(30 * 512L, back, 0, back.length);
        assertArrayEquals(out, back);
    }

    @Test
    void setMultipleModeRefusesCountsThatAreNotPowersOfTwoOrTooLarge() {
        rig.select(0);
        for (int bad : new int[] {3, 32, 6}) {
            rig.out(SECTOR_COUNT, bad);
            rig.command(AtaCommands.SET_MULTIPLE_MODE);
            assertEquals(STATUS_DRDY | STATUS_DSC | STATUS_ERR, rig.status(), "count " + bad);
            assertEquals(ERROR_ABRT, rig.error());
        }
        rig.out(SECTOR_COUNT, 0); // disables multiple mode
        rig.command(AtaCommands.SET_MULTIPLE_MODE);
        assertEquals(STATUS_DRDY | STATUS_DSC, rig.status());
        rig.lba28(0, 0, 1);
        rig.command(AtaCommands.READ_MULTIPLE);
        assertEquals(STATUS_DRDY | STATUS_DSC | STATUS_ERR, rig.status(), "READ MULTIPLE without multiple mode");
        assertEquals(ERROR_ABRT, rig.error());
    }

    @Test
    void readVerifyChecksTheRangeAndInterruptsWithoutData() {
        rig.select(0);
        rig.lba28(0, 1000, 50);
        rig.command(AtaCommands.READ_VERIFY_SECTORS);
        assertTrue(rig.irq14.high);
        assertEquals(STATUS_DRDY | STATUS_DSC, rig.status());
        assertEquals(1049 & 0xFF, rig.in(LBA_LOW));
        rig.lba48(0, SECTORS - 1, 1);
        rig.command(AtaCommands.READ_VERIFY_SECTORS_EXT);
        assertEquals(STATUS_DRDY | STATUS_DSC, rig.status());
        rig.lba48(0, SECTORS - 1, 2);
        rig.command(AtaCommands.READ_VERIFY_SECTORS_EXT);
        assertEquals(STATUS_DRDY | STATUS_DSC | STATUS_ERR, rig.status());
        assertEquals(ERROR_IDNF | ERROR_ABRT, rig.error());
    }

    @Test
    void readPastTheEndIsIdnfAndAbrtWithAnInterrupt() {
        rig.select(0);
        rig.lba28(0, SECTORS - 1, 2);
        rig.command(AtaCommands.READ_SECTORS);
        assertTrue(rig.irq14.high);
        assertEquals(STATUS_DRDY | STATUS_DSC | STATUS_ERR, rig.status());
        assertEquals(ERROR_IDNF | ERROR_ABRT, rig.error());
        rig.lba48(0, 1L << 40, 1);
        rig.command(AtaCommands.READ_SECTORS_EXT);
        assertEquals(ERROR_IDNF | ERROR_ABRT, rig.error());
        rig.lba48(0, SECTORS, 1);
        rig.command(AtaCommands.WRITE_SECTORS_EXT);
        assertEquals(STATUS_DRDY | STATUS_DSC | STATUS_ERR, rig.status());
        assertEquals(ERROR_IDNF | ERROR_ABRT, rig.error());
    }

    @Test
    void readOnlyImageRefusesWritesWithAbrtAndKeepsItsBytes() throws IOException {
        DiskImage ro = IdeTestRig.rawDisk(dir, "ro.img", 64, true);
        try {
            rig.ide.attachDisk(IdeController.PRIMARY, IdeController.SLAVE, ro);
            rig.select(1);
            rig.lba28(1, 3, 1);
            rig.command(AtaCommands.WRITE_SECTORS);
            assertEquals(STATUS_DRDY | STATUS_DSC | STATUS_ERR, rig.status());
            assertEquals(ERROR_ABRT, rig.error());
            rig.lba28(1, 3, 1);
            rig.command(AtaCommands.WRITE_DMA);
            assertEquals(ERROR_ABRT, rig.error());
            rig.lba48(1, 3, 1);
            rig.command(AtaCommands.WRITE_MULTIPLE_EXT);
            assertEquals(ERROR_ABRT, rig.error());
            byte[] back = new byte[512];
            ro.read(3 * 512L, back, 0, 512);
            assertSector(back, 0, 3);
        } finally {
            ro.close();
        }
    }

    @Test
    void unknownCommandIsAborted() {
        rig.select(0);
        for (int cmd : new int[] {0xFF, 0x00, 0xB0, 0xA0, 0xA1}) {
            rig.command(cmd);
            assertTrue(rig.irq14.high, "command " + Integer.toHexString(cmd) + " interrupts");
            assertEquals(STATUS_DRDY | STATUS_DSC | STATUS_ERR, rig.status(), Integer.toHexString(cmd));
            assertEquals(ERROR_ABRT, rig.error());
        }
        // the next good command clears the error
        rig.command(AtaCommands.IDLE_IMMEDIATE);
        assertEquals(STATUS_DRDY | STATUS_DSC, rig.status());
        assertEquals(0, rig.error());
    }

    @Test
    void imageReadErrorBecomesUncAndImageWriteErrorAbrt() throws IOException {
        Path file = dir.resolve("faulty.img");
        Files.write(file, new byte[64 * 512]);
        FaultyImage faulty = new FaultyImage(dev.strata.storage.image.DiskImages.open(file, false));
        try {
            rig.ide.attachDisk(IdeController.SECONDARY, IdeController.MASTER, faulty);
            rig.secondary();
            rig.select(0);
            faulty.failReads = true;
            rig.lba28(0, 9, 1);
            rig.command(AtaCommands.READ_SECTORS);
            assertTrue(rig.irq15.high);
            assertEquals(STATUS_DRDY | STATUS_DSC | STATUS_ERR, rig.status());
            assertEquals(ERROR_UNC, rig.error());
            assertEquals(9, rig.in(LBA_LOW), "the failing sector");
            faulty.failReads = false;
            faulty.failWrites = true;
            rig.lba28(0, 9, 1);
            rig.command(AtaCommands.WRITE_SECTORS);
            rig.expectDrq();
            rig.writeData(new byte[512], 0, 512);
            assertEquals(STATUS_DRDY | STATUS_DSC | STATUS_ERR, rig.status());
            assertEquals(ERROR_ABRT, rig.error());
            faulty.failFlush = true;
            rig.command(AtaCommands.FLUSH_CACHE);
            assertEquals(STATUS_DRDY | STATUS_DSC | STATUS_ERR, rig.status());
            assertEquals(ERROR_ABRT, rig.error());
        } finally {
            faulty.close();
        }
    }

    @Test
    void dwordDataPortAccessMovesFourBytes() {
        rig.select(0);
        rig.lba28(0, 5, 1);
        rig.command(AtaCommands.READ_SECTORS);
        rig.status();
        byte[] data = new byte[512];
        for (int i = 0; i < 512; i += 4) {
            int v = rig.bus.in(rig.base, 4);
            for (int k = 0; k < 4; k++) {
                data[i + k] = (byte) (v >>> (8 * k));
            }
        }
        assertSector(data, 0, 5);
        assertEquals(STATUS_DRDY | STATUS_DSC, rig.status());
    }

    @Test
    void identifyStringsAreAsciiSwappedPerWord() {
        rig.select(0);
        rig.command(AtaCommands.IDENTIFY_DEVICE);
        rig.status();
        byte[] raw = rig.readData(512);
        String model = new String(raw, 54, 40, StandardCharsets.US_ASCII);
        assertEquals("TSARATH RADDSI K", model.substring(0, 16), "bytes swapped within each word");
    }
}
