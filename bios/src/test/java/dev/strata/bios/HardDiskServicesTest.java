package dev.strata.bios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.storage.image.DiskImage;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HardDiskServicesTest {

    /** 32 MiB: 65 cylinders, 16 heads, 63 sectors in the BIOS's geometry. */
    static final long DISK_BYTES = 32L << 20;
    static final int PACKET = 0x20000;

    @TempDir
    Path dir;
    private BiosTestPc pc;

    @AfterEach
    void close() throws IOException {
        if (pc != null) {
            pc.close();
        }
    }

    /** A sparse disk whose sectors {@code marked} hold their own LBA in their first four bytes. */
    private BiosTestPc withDisk(boolean readOnly, long... marked) throws IOException {
        Path file = dir.resolve("hd.img");
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(DISK_BYTES);
            for (long lba : marked) {
                f.seek(lba * 512);
                f.writeInt(Integer.reverseBytes((int) lba));
            }
        }
        pc = new BiosTestPc(BiosTestPc.settings().hardDisk(0, file).hardDiskReadOnly(0, readOnly));
        return pc.post();
    }

    private static int lbaAt(DiskImage image, long lba) throws IOException {
        byte[] b = new byte[4];
        image.read(lba * 512, b, 0, 4);
        return (b[0] & 0xFF) | (b[1] & 0xFF) << 8 | (b[2] & 0xFF) << 16 | (b[3] & 0xFF) << 24;
    }

    /** Writes a 16-byte disk address packet at 2000:0000 for {@code count} sectors at {@code lba} to/from 3000:0000. */
    private static void packet(BiosTestPc pc, int count, long lba) {
        pc.memory.write8(PACKET, 0x10);
        pc.memory.write8(PACKET + 1, 0);
        pc.memory.write16(PACKET + 2, count);
        pc.memory.write16(PACKET + 4, 0x0000);
        pc.memory.write16(PACKET + 6, 0x3000);
        pc.memory.write32(PACKET + 8, (int) lba);
        pc.memory.write32(PACKET + 12, (int) (lba >>> 32));
    }

    private static void extended(BiosTestPc pc, int ax, int drive) {
        pc.runCode(1000, new Code().ax(0x2000).dsFromAx().si(0).ax(ax).dx(drive).intr(0x13).hlt().build());
    }

    @Test
    void postCountsTheHardDisksInTheBiosDataArea() throws IOException {
        pc = withDisk(true);
        assertEquals(1, pc.memory.read8(0x475));
    }

    @Test
    void sataDisksFollowTheIdeDisksInTheBiosNumbering() throws IOException {
        Path ide = dir.resolve("ide.img");
        Path sata = dir.resolve("sata.img");
        try (RandomAccessFile f = new RandomAccessFile(ide.toFile(), "rw");
             RandomAccessFile g = new RandomAccessFile(sata.toFile(), "rw")) {
            f.setLength(DISK_BYTES);
            g.setLength(DISK_BYTES);
            g.seek(7 * 512);
            g.writeInt(Integer.reverseBytes(7));
        }
        pc = new BiosTestPc(BiosTestPc.settings().hardDisk(0, ide)
                .sata(2, dev.strata.emulator.machine.SataDrive.hardDisk(sata, false))).post();
        assertEquals(2, pc.memory.read8(0x475), "two hard disks in the BIOS data area");
        packet(pc, 1, 7);
        extended(pc, 0x4200, 0x81);
        assertFalse(pc.carry());
        assertEquals(7, pc.memory.read32(0x30000), "drive 81h reads the SATA disk");
    }

    @Test
    void aSataDiskAloneIsDrive80hForChsAndExtendedReadsWritesAndParameters() throws IOException {
        Path sata = dir.resolve("sata.img");
        long lba = (1 * 16 + 2) * 63 + 2; // cylinder 1, head 2, sector 3
        try (RandomAccessFile f = new RandomAccessFile(sata.toFile(), "rw")) {
            f.setLength(DISK_BYTES);
            f.seek(lba * 512);
            f.writeInt(Integer.reverseBytes((int) lba));
        }
        pc = new BiosTestPc(BiosTestPc.settings()
                .sata(4, dev.strata.emulator.machine.SataDrive.hardDisk(sata, false))).post();
        assertEquals(1, pc.memory.read8(0x475));
        pc.runCode(1000, new Code().ax(0x0800).dx(0x0080).intr(0x13).hlt().build());
        assertFalse(pc.carry());
        assertEquals(64, (pc.cpu.r[Cpu.ECX] & 0xFFFF) >> 8, "the same translated geometry as on IDE");
        pc.runCode(1000, new Code().ax(0x3000).esFromAx().bx(0x0100).ax(0x0201).cx(0x0103).dx(0x0280)
                .intr(0x13).hlt().build());
        assertFalse(pc.carry());
        assertEquals(lba, pc.memory.read32(0x30100), "CHS read from the SATA disk");

        pc.memory.write32(0x30000, 0xCAFEF00D);
        packet(pc, 1, 60_000);
        extended(pc, 0x4300, 0x80);
        assertFalse(pc.carry());
        assertEquals(0xCAFEF00D, lbaAt(pc.machine.ahci().device(4).disk().image(), 60_000));
        pc.memory.write16(0x20000, 0x1A); // EDD 1.1 drive parameters: buffer size first
        extended(pc, 0x4800, 0x80);
        assertFalse(pc.carry());
        assertEquals(DISK_BYTES / 512, pc.memory.read32(0x20010), "sectors in the drive parameters");
        assertEquals(512, pc.memory.read16(0x20018));
    }

    @Test
    void parametersReportTheTranslatedGeometry() throws IOException {
        pc = withDisk(true);
        pc.runCode(1000, new Code().ax(0x0800).dx(0x0080).intr(0x13).hlt().build());
        assertFalse(pc.carry());
        assertEquals(0x00, pc.ax() >> 8);
        int cx = pc.cpu.r[Cpu.ECX] & 0xFFFF;
        assertEquals(64, cx >> 8); // last cylinder 64 of 65
        assertEquals(63, cx & 0x3F);
        assertEquals(15, pc.cpu.r[Cpu.EDX] >> 8 & 0xFF); // last head
        assertEquals(1, pc.cpu.r[Cpu.EDX] & 0xFF); // one hard disk
    }

    @Test
    void chsReadUsesTheTranslatedGeometry() throws IOException {
        long lba = (1 * 16 + 2) * 63 + 2; // cylinder 1, head 2, sector 3
        pc = withDisk(true, lba, lba + 1);
        pc.runCode(1000, new Code().ax(0x3000).esFromAx().bx(0x0100).ax(0x0202).cx(0x0103).dx(0x0280)
                .intr(0x13).hlt().build());
        assertFalse(pc.carry());
        assertEquals(0x0002, pc.ax());
        assertEquals(lba, pc.memory.read32(0x30100));
        assertEquals(lba + 1, pc.memory.read32(0x30300));
        assertEquals(0, pc.memory.read8(0x474));
    }

    @Test
    void chsWriteReachesTheImageAndVerifyChecksTheRange() throws IOException {
        pc = withDisk(false);
        pc.memory.write32(0x30000, 0x12345678);
        pc.runCode(1000, new Code().ax(0x3000).esFromAx().bx(0).ax(0x0301).cx(0x0001).dx(0x0180)
                .intr(0x13).hlt().build());
        assertFalse(pc.carry());
        assertEquals(0x12345678, lbaAt(pc.machine.hardDisk(0), 63)); // head 1, sector 1
        pc.runCode(1000, new Code().ax(0x0401).cx(0x0001).dx(0x1080).intr(0x13).hlt().build()); // head 16
        assertTrue(pc.carry());
        assertEquals(0x04, pc.ax() >> 8);
        pc.runCode(1000, new Code().ax(0x0100).dx(0x0080).intr(0x13).hlt().build());
        assertEquals(0x04, pc.ax() >> 8); // AH=01h: the last status
        assertTrue(pc.carry());
    }

    @Test
    void writesToAReadOnlyDiskFailWriteProtected() throws IOException {
        pc = withDisk(true);
        pc.runCode(1000, new Code().ax(0x0301).cx(0x0001).dx(0x0080).intr(0x13).hlt().build());
        assertTrue(pc.carry());
        assertEquals(0x03, pc.ax() >> 8);
        packet(pc, 1, 10);
        extended(pc, 0x4300, 0x80);
        assertTrue(pc.carry());
        assertEquals(0x03, pc.ax() >> 8);
        assertEquals(0, pc.memory.read16(PACKET + 2));
    }

    @Test
    void resetSeekReadyAndTypeAnswer() throws IOException {
        pc = withDisk(true);
        for (int ax : new int[] {0x0000, 0x0D00, 0x1000, 0x1100}) {
            pc.runCode(1000, new Code().ax(ax).dx(0x0080).intr(0x13).hlt().build());
            assertFalse(pc.carry(), Integer.toHexString(ax));
            assertEquals(0, pc.ax() >> 8);
        }
        pc.runCode(1000, new Code().ax(0x0C00).cx(0x4001).dx(0x0F80).intr(0x13).hlt().build()); // cylinder 64
        assertFalse(pc.carry());
        pc.runCode(1000, new Code().ax(0x0C00).cx(0x4101).dx(0x0080).intr(0x13).hlt().build()); // cylinder 65
        assertTrue(pc.carry());
        pc.runCode(1000, new Code().ax(0x1500).dx(0x0080).intr(0x13).hlt().build());
        assertFalse(pc.carry());
        assertEquals(0x03, pc.ax() >> 8);
        long sectors = (long) (pc.cpu.r[Cpu.ECX] & 0xFFFF) << 16 | pc.cpu.r[Cpu.EDX] & 0xFFFF;
        assertEquals(65L * 16 * 63, sectors);
        pc.runCode(1000, new Code().ax(0x1500).dx(0x0081).intr(0x13).hlt().build());
        assertEquals(0x00, pc.ax() >> 8); // no second disk
    }

    @Test
    void extensionsCheckReportsEdd11AndTheFixedDiskBitmap() throws IOException {
        pc = withDisk(true);
        pc.runCode(1000, new Code().ax(0x4100).bx(0x55AA).dx(0x0080).intr(0x13).hlt().build());
        assertFalse(pc.carry());
        assertEquals(0xAA55, pc.cpu.r[Cpu.EBX] & 0xFFFF);
        assertEquals(0x21, pc.ax() >> 8);
        assertEquals(0x0001, pc.cpu.r[Cpu.ECX] & 0xFFFF);
    }

    @Test
    void extendedReadWriteVerifyAndSeekUseTheLbaInThePacket() throws IOException {
        long last = DISK_BYTES / 512 - 1;
        pc = withDisk(false, 5000, 5001, last);
        packet(pc, 2, 5000);
        extended(pc, 0x4200, 0x80);
        assertFalse(pc.carry());
        assertEquals(5000, pc.memory.read32(0x30000));
        assertEquals(5001, pc.memory.read32(0x30200));
        assertEquals(2, pc.memory.read16(PACKET + 2));

        pc.memory.write32(0x30000, 0xCAFEF00D);
        packet(pc, 1, 60_000);
        extended(pc, 0x4300, 0x80);
        assertFalse(pc.carry());
        assertEquals(0xCAFEF00D, lbaAt(pc.machine.hardDisk(0), 60_000));

        packet(pc, 2, last);
        extended(pc, 0x4400, 0x80);
        assertTrue(pc.carry());
        assertEquals(0x04, pc.ax() >> 8);
        assertEquals(1, pc.memory.read16(PACKET + 2)); // the last sector verified, the next does not exist

        packet(pc, 0, last);
        extended(pc, 0x4700, 0x80);
        assertFalse(pc.carry());
        packet(pc, 0, last + 1);
        extended(pc, 0x4700, 0x80);
        assertTrue(pc.carry());
    }

    @Test
    void driveParametersDescribeGeometryAndSize() throws IOException {
        pc = withDisk(true);
        pc.memory.write16(PACKET, 0x1E);
        extended(pc, 0x4800, 0x80);
        assertFalse(pc.carry());
        assertEquals(0x1E, pc.memory.read16(PACKET));
        assertEquals(0x0002, pc.memory.read16(PACKET + 2));
        assertEquals(65, pc.memory.read32(PACKET + 4));
        assertEquals(16, pc.memory.read32(PACKET + 8));
        assertEquals(63, pc.memory.read32(PACKET + 12));
        assertEquals(DISK_BYTES / 512, pc.memory.read32(PACKET + 16));
        assertEquals(0, pc.memory.read32(PACKET + 20));
        assertEquals(512, pc.memory.read16(PACKET + 24));
        assertEquals(0xFFFF, pc.memory.read16(PACKET + 26));
    }

    @Test
    void theCdDriveReads2048ByteSectors() throws IOException {
        Path file = dir.resolve("cd.iso");
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(40 * 2048);
            f.seek(20 * 2048);
            f.writeInt(0x11223344);
            f.seek(21 * 2048);
            f.writeInt(0x55667788);
        }
        try (BiosTestPc pc = new BiosTestPc(BiosTestPc.settings().cdrom(file))) {
            pc.post();
            packet(pc, 2, 20);
            extended(pc, 0x4200, HardDiskServices.CD_DRIVE);
            assertFalse(pc.carry());
            assertEquals(0x44332211, pc.memory.read32(0x30000));
            assertEquals(0x88776655, pc.memory.read32(0x30800));
            pc.memory.write16(PACKET, 0x1A);
            extended(pc, 0x4800, HardDiskServices.CD_DRIVE);
            assertEquals(2048, pc.memory.read16(PACKET + 24));
            assertEquals(40, pc.memory.read32(PACKET + 16));
            packet(pc, 1, 0);
            extended(pc, 0x4300, HardDiskServices.CD_DRIVE);
            assertTrue(pc.carry());
            assertEquals(0x03, pc.ax() >> 8);
        }
    }
}
