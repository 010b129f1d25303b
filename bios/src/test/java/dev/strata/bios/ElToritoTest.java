package dev.strata.bios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.cpu.Cpu;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ElToritoTest {

    static final int CATALOG_SECTOR = 19;
    static final int IMAGE_SECTOR = 20;

    @TempDir
    Path dir;

    /** A validation entry and an initial entry; the checksum makes the validation entry's words sum to zero. */
    static byte[] catalog(int bootIndicator, int media, int loadSegment, int count, int rba) {
        byte[] s = new byte[2048];
        s[0] = 0x01;
        byte[] id = "STRATA TEST".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(id, 0, s, 4, id.length);
        s[0x1E] = 0x55;
        s[0x1F] = (byte) 0xAA;
        int sum = 0;
        for (int i = 0; i < 32; i += 2) {
            sum += (s[i] & 0xFF) | (s[i + 1] & 0xFF) << 8;
        }
        int check = -sum & 0xFFFF;
        s[0x1C] = (byte) check;
        s[0x1D] = (byte) (check >> 8);
        s[32] = (byte) bootIndicator;
        s[33] = (byte) media;
        s[34] = (byte) loadSegment;
        s[35] = (byte) (loadSegment >> 8);
        s[38] = (byte) count;
        s[39] = (byte) (count >> 8);
        s[40] = (byte) rba;
        s[41] = (byte) (rba >> 8);
        return s;
    }

    /** An ISO with the boot record at sector 17, {@code catalog} at 19 and {@code image} from sector 20. */
    Path iso(byte[] catalog, byte[] image) throws Exception {
        int sectors = IMAGE_SECTOR + (image.length + 2047) / 2048 + 1;
        byte[] cd = new byte[sectors * 2048];
        int br = 17 * 2048;
        cd[br] = 0;
        System.arraycopy("CD001".getBytes(StandardCharsets.US_ASCII), 0, cd, br + 1, 5);
        cd[br + 6] = 1;
        byte[] system = ElTorito.SYSTEM_ID.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(system, 0, cd, br + 7, system.length);
        cd[br + 0x47] = CATALOG_SECTOR;
        System.arraycopy(catalog, 0, cd, CATALOG_SECTOR * 2048, 2048);
        System.arraycopy(image, 0, cd, IMAGE_SECTOR * 2048, image.length);
        Path file = dir.resolve("boot-" + System.nanoTime() + ".iso");
        Files.write(file, cd);
        return file;
    }

    @Test
    void catalogGivesTheInitialEntry() {
        ElTorito.BootEntry e = ElTorito.parseCatalog(catalog(0x88, 2, 0, 1, 1234));
        assertEquals(ElTorito.Media.FLOPPY_1440K, e.media());
        assertEquals(0x07C0, e.loadSegment());
        assertEquals(1234, e.loadRba());
        assertEquals(1_474_560, e.floppyBytes());
        ElTorito.BootEntry n = ElTorito.parseCatalog(catalog(0x88, 0, 0x2000, 4, 99));
        assertEquals(ElTorito.Media.NO_EMULATION, n.media());
        assertEquals(0x2000, n.loadSegment());
        assertEquals(4, n.sectorCount());
        assertEquals(0, n.floppyBytes());
    }

    @Test
    void aCatalogWithABadChecksumOrNoBootableEntryIsRefused() {
        byte[] bad = catalog(0x88, 2, 0, 1, 20);
        bad[0x1C] ^= 1;
        assertNull(ElTorito.parseCatalog(bad));
        assertNull(ElTorito.parseCatalog(catalog(0x00, 2, 0, 1, 20)));
        byte[] unsigned = catalog(0x88, 2, 0, 1, 20);
        unsigned[0x1E] = 0;
        assertNull(ElTorito.parseCatalog(unsigned));
    }

    /** INT 13h AH=4B01h on {@code drive} with the packet at 3000:0000 (or 2000:0000 for drive 0); must succeed. */
    private static void statusPacket(BiosTestPc pc, int drive) {
        int segment = drive == 0 ? 0x2000 : 0x3000;
        pc.runCode(1000, new Code().ax(segment).dsFromAx().si(0).ax(0x4B01).dx(drive).intr(0x13).hlt().build());
        assertEquals(0, pc.ax() >> 8);
        assertEquals(0x13, pc.memory.read8(segment << 4));
    }

    @Test
    void withoutACdBootTheEmulationStatusIsRefused() {
        BiosTestPc pc = new BiosTestPc().post();
        pc.runCode(1000, new Code().ax(0x3000).dsFromAx().si(0).ax(0x4B01).dx(0xE0).intr(0x13).hlt().build());
        assertEquals(0x01, pc.ax() >> 8);
    }

    @Test
    void floppyEmulationMakesTheImageDriveZero() throws Exception {
        byte[] floppy = new byte[1_474_560];
        // CLI; XOR AX,AX; MOV ES,AX; MOV BX,8000h; MOV AX,0201h; MOV CX,0002h; MOV DH,0; INT 13h; HLT:
        // sector 2 of the drive in DL (the emulated diskette) to 0000:8000h
        byte[] code = {(byte) 0xFA, 0x31, (byte) 0xC0, (byte) 0x8E, (byte) 0xC0, (byte) 0xBB, 0x00, (byte) 0x80,
            (byte) 0xB8, 0x01, 0x02, (byte) 0xB9, 0x02, 0x00, (byte) 0xB6, 0x00, (byte) 0xCD, 0x13, (byte) 0xF4};
        System.arraycopy(code, 0, floppy, 0, code.length);
        floppy[512] = 0x5A;
        floppy[513] = (byte) 0xA5;
        Path file = iso(catalog(0x88, 2, 0, 1, IMAGE_SECTOR), floppy);
        try (BiosTestPc pc = new BiosTestPc(BiosTestPc.settings().cdrom(file).bootOrder("d"))) {
            pc.post().run(200_000);
            assertTrue(pc.screenText().contains("floppy emulation"), pc.screenText());
            assertEquals(0, pc.cpu.r[Cpu.EDX] & 0xFF);
            assertEquals(0x0001, pc.ax()); // AH=0 status, AL=1 sector read
            assertEquals(0xA55A, pc.memory.read16(0x8000));
            statusPacket(pc, 0x00);
            assertEquals(2, pc.memory.read8(0x20001)); // 1.44 MB diskette emulation
            assertEquals(0x00, pc.memory.read8(0x20002));
            assertEquals(IMAGE_SECTOR, pc.memory.read32(0x20004));
            assertEquals(79, pc.memory.read8(0x20010));
            assertEquals(18, pc.memory.read8(0x20011));
            assertEquals(1, pc.memory.read8(0x20012));
        }
    }

    @Test
    void noEmulationLoadsTheImageAtItsSegmentWithTheCdDriveInDl() throws Exception {
        byte[] image = new byte[2048];
        image[0] = (byte) 0xFA; // CLI
        image[1] = (byte) 0xF4; // HLT
        image[1500] = 0x77; // in the third 512-byte sector: loaded only because the count is 4
        Path file = iso(catalog(0x88, 0, 0x2000, 4, IMAGE_SECTOR), image);
        try (BiosTestPc pc = new BiosTestPc(BiosTestPc.settings().cdrom(file).bootOrder("d"))) {
            pc.post().run(200_000);
            assertEquals(HardDiskServices.CD_DRIVE, pc.cpu.r[Cpu.EDX] & 0xFF);
            assertEquals(0x2000, pc.cpu.seg[Cpu.CS].selector);
            assertEquals(2, pc.cpu.eip);
            assertEquals(0x77, pc.memory.read8(0x20000 + 1500));
            statusPacket(pc, HardDiskServices.CD_DRIVE);
            assertEquals(0, pc.memory.read8(0x30001)); // no emulation
            assertEquals(HardDiskServices.CD_DRIVE, pc.memory.read8(0x30002));
            assertEquals(0x2000, pc.memory.read16(0x3000C));
            assertEquals(4, pc.memory.read16(0x3000E));
        }
    }

    @Test
    void aCdWithoutBootRecordFallsThroughToTheNextDevice() throws Exception {
        Path file = dir.resolve("plain.iso");
        Files.write(file, new byte[40 * 2048]);
        byte[] hd = new byte[1_474_560];
        hd[0] = (byte) 0xFA;
        hd[1] = (byte) 0xF4;
        hd[510] = 0x55;
        hd[511] = (byte) 0xAA;
        Path disk = dir.resolve("hd.img");
        Files.write(disk, hd);
        try (BiosTestPc pc = new BiosTestPc(BiosTestPc.settings().cdrom(file).hardDisk(0, disk)
                .hardDiskReadOnly(0, true).bootOrder("dc"))) {
            pc.post().run(200_000);
            assertTrue(pc.screenText().contains("Booting from hard disk"), pc.screenText());
            assertEquals(0x80, pc.cpu.r[Cpu.EDX] & 0xFF);
            assertEquals(0x7C02, pc.cpu.eip);
        }
    }
}
