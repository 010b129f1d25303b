package dev.strata.bios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.cpu.Cpu;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BootServicesTest {

    @Test
    void bootLoadsSectorZeroAndJumpsWithTheDriveInDl(@TempDir Path dir) throws Exception {
        byte[] disk = new byte[1_474_560];
        // CLI; MOV AX,B007h; HLT
        byte[] code = {(byte) 0xFA, (byte) 0xB8, 0x07, (byte) 0xB0, (byte) 0xF4};
        System.arraycopy(code, 0, disk, 0, code.length);
        Path file = dir.resolve("boot.img");
        Files.write(file, disk);
        try (BiosTestPc pc = new BiosTestPc(BiosTestPc.settings().floppy(0, file))) {
            pc.post().run(100_000);
            assertEquals(0xB007, pc.ax());
            assertEquals(0, pc.cpu.r[Cpu.EDX] & 0xFF);
            assertEquals(0x0000, pc.cpu.seg[Cpu.CS].selector);
            assertEquals(0x7C05, pc.cpu.eip);
            assertTrue(pc.screenText().contains("Booting from floppy A:"));
        }
    }

    @Test
    void bootOrderSkipsEmptyDrives(@TempDir Path dir) throws Exception {
        byte[] disk = new byte[737_280];
        disk[0] = (byte) 0xFA;
        disk[1] = (byte) 0xF4;
        Path file = dir.resolve("a.img");
        Files.write(file, disk);
        try (BiosTestPc pc = new BiosTestPc(BiosTestPc.settings().floppy(0, file).bootOrder("ca"))) {
            pc.post().run(100_000);
            assertEquals(0, pc.cpu.r[Cpu.EDX] & 0xFF); // past the empty C: to A: (the machine has no "b" boot)
            assertEquals(0x7C02, pc.cpu.eip);
        }
    }

    @Test
    void nothingToBootShowsTheMessageAndHalts() {
        BiosTestPc pc = new BiosTestPc().post();
        pc.run(100_000);
        assertTrue(pc.screenText().contains("No bootable device"), pc.screenText());
        assertEquals(0xF000, pc.cpu.seg[Cpu.CS].selector);
        int ip = pc.cpu.eip;
        assertTrue(ip >= BiosRom.HALT_LOOP && ip <= BiosRom.HALT_LOOP + 4, Integer.toHexString(ip));
    }
}
