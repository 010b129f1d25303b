package dev.strata.bios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.pci.Piix3IdeFunction;
import org.junit.jupiter.api.Test;

class PostTest {

    @Test
    void romIsSealedAndStartsAtTheResetVector() {
        byte[] rom = new StrataBios().romImage();
        assertEquals(0x10000, rom.length);
        assertEquals(0, RomChecksum.sum(rom, 0, rom.length));
        assertEquals(0xEA, rom[0xFFF0] & 0xFF);
        assertEquals(0xFC, rom[0xFFFE] & 0xFF);
    }

    @Test
    void postFillsVectorsAndBiosDataArea() {
        BiosTestPc pc = new BiosTestPc().post();
        assertEquals(BiosRom.stub(0x13), pc.memory.read16(0x13 * 4));
        assertEquals(0xF000, pc.memory.read16(0x13 * 4 + 2));
        assertEquals(BiosRom.TIMER_IRQ, pc.memory.read16(0x08 * 4));
        assertEquals(BiosRom.DUMMY_IRET, pc.memory.read16(0x03 * 4));
        assertEquals(0, pc.memory.read32(0x60 * 4));
        assertEquals(639, pc.memory.read16(0x413));
        assertEquals(0x9FC0, pc.memory.read16(0x40E));
        assertEquals(1, pc.memory.read8(0x9FC00));
        assertEquals(0x3F8, pc.memory.read16(0x400));
        assertEquals(0x2F8, pc.memory.read16(0x402)); // the machine has COM2 too
        int equipment = pc.memory.read16(0x410);
        assertEquals(1, equipment & 1);
        assertEquals(2, equipment & 2); // the x87
        assertEquals(0x037F, pc.cpu.fpu.cw); // POST leaves it as FNINIT does
        assertEquals(0x20, equipment & 0x30);
        assertEquals(4, equipment >> 9 & 7); // serial ports: the machine has COM1-COM4
        assertEquals(0x1E, pc.memory.read16(0x41A));
        assertEquals(0x3E, pc.memory.read16(0x482));
        assertEquals(3, pc.memory.read8(0x449));
        assertEquals(80, pc.memory.read16(0x44A));
        // 06:30:15 is 23415 s after midnight: 426 239 ticks at 18.2065 Hz.
        assertEquals(23415L * 1193182 / 65536, pc.memory.read32(0x46C));
    }

    @Test
    void postProgramsInterruptControllersAndWritesPostCodes() {
        BiosTestPc pc = new BiosTestPc().post();
        assertEquals(0x08, pc.machine.pic().master().vectorBase());
        assertEquals(0x70, pc.machine.pic().slave().vectorBase());
        assertEquals(0xB8, pc.machine.pic().master().imr());
        assertEquals(Post.CODE_BOOT, pc.machine.postPort().lastCode());
        assertTrue(pc.machine.postPort().codesWritten() >= 9);
        assertEquals(0x45, pc.kbc.commandByte());
    }

    @Test
    void postEnablesBothIdeChannelsAndTheBusMasterWindow() {
        Piix3IdeFunction ide = new BiosTestPc().post().machine.pci().ide();
        // Linux's ata_piix skips a channel whose IDETIM decode-enable bit (bit 15, tested at 41h and 43h) is clear.
        assertEquals(0x8000, ide.readConfig(Piix3IdeFunction.IDETIM_PRIMARY, 2));
        assertEquals(0x8000, ide.readConfig(Piix3IdeFunction.IDETIM_SECONDARY, 2));
        assertTrue(ide.channelDecodeEnabled(0));
        assertTrue(ide.channelDecodeEnabled(1));
        assertEquals(PciSetup.BUS_MASTER_BASE, ide.barAddress(Piix3IdeFunction.BUS_MASTER_BAR));
        assertTrue(ide.ioSpaceEnabled());
        assertTrue(ide.busMasterEnabled());
        assertFalse(ide.memorySpaceEnabled());
    }

    @Test
    void bannerShowsVersionAndMemory() {
        BiosTestPc pc = new BiosTestPc().post();
        assertEquals("Strata BIOS 0.1 - 639 KiB conventional, 3072 KiB extended", pc.screenLine(0));
        assertEquals(1, pc.memory.read8(0x451)); // cursor on row 1
        assertEquals(0x7C00, pc.cpu.r[Cpu.ESP]);
    }

    @Test
    void cmosRecordsMemory() {
        BiosTestPc pc = new BiosTestPc().post();
        pc.machine.io().out(0x70, 1, 0x17);
        int low = pc.machine.io().in(0x71, 1);
        pc.machine.io().out(0x70, 1, 0x18);
        int high = pc.machine.io().in(0x71, 1);
        assertEquals(3072, high << 8 | low);
    }

    @Test
    void cmosSetUpByTheMachineKeepsItsDriveTypes() {
        BiosTestPc pc = new BiosTestPc();
        new dev.strata.emulator.device.rtc.CmosSetup(pc.machine.rtc()).memory(BiosTestPc.RAM)
                .floppyDrives(dev.strata.emulator.device.rtc.FloppyDriveType.HD_1440K_35,
                        dev.strata.emulator.device.rtc.FloppyDriveType.DD_360K_525)
                .updateChecksum();
        pc.post();
        pc.machine.io().out(0x70, 1, 0x10);
        assertEquals(0x41, pc.machine.io().in(0x71, 1));
        assertEquals(1, pc.memory.read16(0x410) >> 6 & 3); // two diskette drives
    }

    @Test
    void freshCmosGetsDriveTypesFromTheMedia() {
        BiosTestPc pc = new BiosTestPc();
        for (int register = 0x15; register <= 0x16; register++) { // base memory unset: CMOS no machine set up
            pc.machine.io().out(0x70, 1, register);
            pc.machine.io().out(0x71, 1, 0);
        }
        pc.post();
        pc.machine.io().out(0x70, 1, 0x10);
        assertEquals(0x40, pc.machine.io().in(0x71, 1)); // an empty A: is a 1.44M drive, no B:
        assertEquals(0, pc.memory.read16(0x410) >> 6 & 3);
    }
}
