package dev.strata.bios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.storage.image.RawImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskServicesTest {

    @TempDir
    Path dir;
    private BiosTestPc pc;
    private RawImage image;
    private SwappableDiskette held;

    /** A diskette image whose every sector holds its LBA in its first two bytes. */
    private Path diskette(String name, long size) throws IOException {
        byte[] data = new byte[(int) size];
        for (int lba = 0; lba < size / 512; lba++) {
            data[lba * 512] = (byte) lba;
            data[lba * 512 + 1] = (byte) (lba >> 8);
        }
        return Files.write(dir.resolve(name), data);
    }

    /** A machine with a {@code size}-byte diskette in drive A:, through POST. */
    private BiosTestPc withFloppy(long size) throws IOException {
        pc = new BiosTestPc(BiosTestPc.settings().floppy(0, diskette("floppy.img", size)));
        return pc.post();
    }

    /** As {@link #withFloppy}, but the test holds the diskette: opened read-only, and swappable. */
    private BiosTestPc withHeldFloppy(long size) throws IOException {
        Path file = diskette("floppy.img", size);
        pc = new BiosTestPc(BiosTestPc.settings().floppy(0, file));
        image = RawImage.open(file, true);
        held = SwappableDiskette.insert(pc, image);
        return pc.post();
    }

    @AfterEach
    void close() throws IOException {
        if (pc != null) {
            pc.close();
        }
        if (image != null) {
            image.close();
        }
    }

    @Test
    void readConvertsCylinderHeadSectorToTheImageOffset() throws IOException {
        pc = withFloppy(1_474_560);
        // cylinder 2, head 1, sector 3 of an 18-sector, 2-head diskette: LBA (2*2+1)*18+2 = 92; two sectors.
        pc.runCode(1000, new Code().ax(0x2000).esFromAx().bx(0x0100).ax(0x0202).cx(0x0203).dx(0x0100)
                .intr(0x13).hlt().build());
        assertFalse(pc.carry());
        assertEquals(0x0002, pc.ax());
        assertEquals(92, pc.memory.read16(0x20100));
        assertEquals(93, pc.memory.read16(0x20300));
        assertEquals(0, pc.memory.read8(0x441));
    }

    @Test
    void aSectorReadOverCodeThatRanReplacesIt() throws IOException {
        // the first sector: mov ax,1234h; retf
        byte[] data = new byte[1_474_560];
        data[0] = (byte) 0xB8;
        data[1] = 0x34;
        data[2] = 0x12;
        data[3] = (byte) 0xCB;
        pc = new BiosTestPc(BiosTestPc.settings().floppy(0, Files.write(dir.resolve("code.img"), data))).post();
        // at 2000:0000, until the read: mov ax,0; retf
        pc.memory.load(0x20000, new byte[] {(byte) 0xB8, 0x00, 0x00, (byte) 0xCB});
        // call 2000:0000; read the first sector to 2000:0000; call 2000:0000 again; hlt
        pc.runCode(1000, new Code().b(0x9A, 0x00, 0x00, 0x00, 0x20).ax(0x2000).esFromAx().bx(0).ax(0x0201).cx(0x0001)
                .dx(0x0000).intr(0x13).b(0x9A, 0x00, 0x00, 0x00, 0x20).hlt().build());
        assertFalse(pc.carry());
        assertEquals(0x1234, pc.ax(), "the code the sector brought ran, not the code decoded before");
    }

    @Test
    void writeGoesToTheImage() throws IOException {
        pc = withFloppy(737_280);
        for (int i = 0; i < 512; i++) {
            pc.memory.write8(0x30000 + i, 0xA5);
        }
        pc.runCode(1000, new Code().ax(0x3000).esFromAx().bx(0).ax(0x0301).cx(0x0001).dx(0x0000)
                .intr(0x13).hlt().build());
        assertFalse(pc.carry());
        byte[] back = new byte[512];
        pc.machine.floppy(0).read(0, back, 0, 512);
        assertEquals((byte) 0xA5, back[0]);
        assertEquals((byte) 0xA5, back[511]);
    }

    @Test
    void writeToReadOnlyImageIsWriteProtected() throws IOException {
        pc = withHeldFloppy(737_280);
        pc.runCode(1000, new Code().ax(0x0301).cx(0x0001).dx(0x0000).intr(0x13).hlt().build());
        assertTrue(pc.carry());
        assertEquals(0x03, pc.ax() >> 8);
    }

    @Test
    void sectorBeyondTheTrackIsNotFound() throws IOException {
        pc = withFloppy(737_280);
        pc.runCode(1000, new Code().ax(0x0201).cx(0x000A).dx(0x0000).intr(0x13).hlt().build());
        assertTrue(pc.carry());
        assertEquals(0x0400, pc.ax());
        pc.runCode(1000, Code.call(0x13, 0x0100));
        assertEquals(0x04, pc.ax() >> 8);
        assertTrue(pc.carry());
    }

    @Test
    void parametersDescribeTheDiskette() throws IOException {
        pc = withFloppy(737_280);
        pc.runCode(1000, new Code().ax(0x0800).dx(0x0000).intr(0x13).hlt().build());
        assertFalse(pc.carry());
        assertEquals(3, pc.cpu.r[Cpu.EBX] & 0xFF);
        assertEquals(0x4F09, pc.cpu.r[Cpu.ECX] & 0xFFFF);
        assertEquals(0x0101, pc.cpu.r[Cpu.EDX] & 0xFFFF);
        assertEquals(0xF000, pc.cpu.seg[Cpu.ES].selector);
        assertEquals(BiosRom.DISKETTE_TABLE, pc.cpu.r[Cpu.EDI] & 0xFFFF);
        assertEquals(0xF000, pc.memory.read16(0x1E * 4 + 2));
    }

    @Test
    void driveTypeAndChangeLine() throws IOException {
        pc = withFloppy(368_640);
        pc.runCode(1000, new Code().ax(0x1500).dx(0x0000).intr(0x13).hlt().build());
        assertEquals(0x02, pc.ax() >> 8);
        pc.runCode(1000, new Code().ax(0x1600).dx(0x0000).intr(0x13).hlt().build());
        assertEquals(0x00, pc.ax() >> 8);
        assertFalse(pc.carry());
        pc.runCode(1000, new Code().ax(0x0201).cx(0x2709).dx(0x0100).bx(0x0000).ax(0x1000).esFromAx()
                .ax(0x0201).intr(0x13).hlt().build());
        assertFalse(pc.carry());
        assertEquals((39 * 2 + 1) * 9 + 8, pc.memory.read16(0x10000));
    }

    @Test
    void emptyDriveIsNotReady() {
        pc = new BiosTestPc().post();
        pc.runCode(1000, new Code().ax(0x0201).cx(0x0001).dx(0x0000).intr(0x13).hlt().build());
        assertTrue(pc.carry());
        assertEquals(0x80, pc.ax() >> 8);
    }

    @Test
    void absentHardDisksAnswerInvalidFunction() {
        pc = new BiosTestPc().post();
        pc.runCode(1000, new Code().ax(0x0201).cx(0x0001).dx(0x0080).intr(0x13).hlt().build());
        assertTrue(pc.carry());
        assertEquals(0x01, pc.ax() >> 8);
        pc.runCode(1000, new Code().ax(0x1500).dx(0x0080).intr(0x13).hlt().build());
        assertFalse(pc.carry());
        assertEquals(0x00, pc.ax() >> 8);
    }

    @Test
    void changeLineReportsASwappedDisketteOnce() throws IOException {
        pc = withHeldFloppy(737_280);
        pc.runCode(1000, new Code().ax(0x1600).dx(0).intr(0x13).hlt().build());
        assertFalse(pc.carry());
        Path other = dir.resolve("other.img");
        Files.write(other, new byte[368_640]);
        try (RawImage second = RawImage.open(other, true)) {
            held.driveA = second;
            pc.runCode(1000, new Code().ax(0x1600).dx(0).intr(0x13).hlt().build());
            assertTrue(pc.carry());
            assertEquals(0x06, pc.ax() >> 8);
            pc.runCode(1000, new Code().ax(0x1600).dx(0).intr(0x13).hlt().build());
            assertFalse(pc.carry());
            pc.runCode(1000, new Code().ax(0x0800).dx(0).intr(0x13).hlt().build());
            assertEquals(0x2709, pc.cpu.r[Cpu.ECX] & 0xFFFF); // the new diskette's geometry
        }
    }
}
