package dev.strata.emulator.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.clock.ClockMode;
import dev.strata.emulator.device.Device;
import dev.strata.emulator.memory.PhysicalMemory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PcMachineTest {

    private static PcMachine machine() throws IOException {
        return new PcMachine(new MachineSettings().memoryMb(2).clockMode(ClockMode.DETERMINISTIC)
                .firmware(new TestFirmware(TestFirmware.HALT)));
    }

    @Test
    void vgaWindowReachesTheVideoAdapter() throws IOException {
        PcMachine m = machine();
        PhysicalMemory mem = m.memory();
        mem.write16(0xB8000, 0x0741); // 'A', grey on black
        mem.write8(0xB8002, 'B');
        assertEquals('A', m.vga().textScreen().charAt(0, 0));
        assertEquals('B', m.vga().textScreen().charAt(0, 1));
        assertEquals(0x0741, mem.read16(0xB8000));
    }

    @Test
    void stringMovesIntoTheVgaWindowReachTheScreen() throws IOException {
        PcMachine m = machine();
        PhysicalMemory mem = m.memory();
        for (int i = 0; i < 80; i++) {
            mem.write16(0x2000 + 2 * i, 0x0700 | ('0' + i % 10));
        }
        // at 0000:1000: mov si,2000h; mov ax,B800h; mov es,ax; xor di,di; mov cx,80; cld; rep movsw; hlt
        mem.load(0x1000, new byte[] {(byte) 0xBE, 0x00, 0x20, (byte) 0xB8, 0x00, (byte) 0xB8, (byte) 0x8E,
            (byte) 0xC0, 0x31, (byte) 0xFF, (byte) 0xB9, 0x50, 0x00, (byte) 0xFC, (byte) 0xF3, (byte) 0xA5,
            (byte) 0xF4});
        m.cpu().loadSegment(dev.strata.emulator.cpu.Cpu.CS, 0);
        m.cpu().loadSegment(dev.strata.emulator.cpu.Cpu.DS, 0);
        m.cpu().eip = 0x1000;
        m.cpu().run(1000);
        assertTrue(m.cpu().halted);
        assertEquals("01234567890123456789012345678901234567890123456789012345678901234567890123456789",
                m.vga().textScreen().line(0));
    }

    @Test
    void stringStoresIntoTheVgaWindowReachTheScreenAndRomIgnoresThem() throws IOException {
        PcMachine m = machine();
        PhysicalMemory mem = m.memory();
        // at 0000:1000: mov ax,B800h; mov es,ax; xor di,di; mov ax,0741h; mov cx,80; cld; rep stosw;
        //               mov ax,F000h; mov es,ax; xor di,di; mov cx,16; rep stosw; hlt
        mem.load(0x1000, new byte[] {(byte) 0xB8, 0x00, (byte) 0xB8, (byte) 0x8E, (byte) 0xC0, 0x31, (byte) 0xFF,
            (byte) 0xB8, 0x41, 0x07, (byte) 0xB9, 0x50, 0x00, (byte) 0xFC, (byte) 0xF3, (byte) 0xAB,
            (byte) 0xB8, 0x00, (byte) 0xF0, (byte) 0x8E, (byte) 0xC0, 0x31, (byte) 0xFF, (byte) 0xB9, 0x10, 0x00,
            (byte) 0xF3, (byte) 0xAB, (byte) 0xF4});
        int romWord = mem.read16(0xF0000);
        m.cpu().loadSegment(dev.strata.emulator.cpu.Cpu.CS, 0);
        m.cpu().eip = 0x1000;
        m.cpu().run(1000);
        assertTrue(m.cpu().halted);
        assertEquals("A".repeat(80), m.vga().textScreen().line(0));
        assertEquals(romWord, mem.read16(0xF0000), "the ROM is not writable");
    }

    @Test
    void romIsReadOnlyAndAliasedBelowFourGigabytes() throws IOException {
        PcMachine m = machine();
        PhysicalMemory mem = m.memory();
        assertEquals(0xEA, mem.read8(0xFFFF0)); // the reset jump
        mem.write8(0xFFFF0, 0x90);
        assertEquals(0xEA, mem.read8(0xFFFF0));
        assertEquals(mem.read32(0xFFFF0), mem.read32(0xFFFFFFF0));
        assertEquals(mem.read8(0xF0000), mem.read8(0xFFFF0000));
        assertEquals(0xFF, mem.read8(0xFFFEFFFF)); // below the 64 KiB alias: open bus
    }

    @Test
    void firmwareMayPatchItsRomFromTheHostSide() throws IOException {
        PhysicalMemory mem = machine().memory();
        mem.patchRom(0xFE6F5, new byte[] {8, 0, (byte) 0xFC});
        assertEquals(0xFC0008, mem.read32(0xFE6F5) & 0xFFFFFF);
        assertEquals(0xFC0008, mem.read32(0xFFFFE6F5) & 0xFFFFFF);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> mem.patchRom(0xEFFFF, new byte[2]));
        assertTrue(e.getMessage().contains("outside the ROM at F0000h-FFFFFh"), e.getMessage());
    }

    @Test
    void optionRomSpaceIsOpenBus() throws IOException {
        PhysicalMemory mem = machine().memory();
        mem.write32(0xC8000, 0x12345678);
        assertEquals(0xFFFFFFFF, mem.read32(0xC8000));
        assertEquals(0xFF, mem.read8(0xDFFFF));
    }

    @Test
    void conventionalAndExtendedRamStayPlainRam() throws IOException {
        PhysicalMemory mem = machine().memory();
        mem.write32(0x9FFFC, 0xCAFEBABE);
        assertEquals(0xCAFEBABE, mem.read32(0x9FFFC));
        m(mem);
    }

    private static void m(PhysicalMemory mem) {
        mem.write32(0x100000 + 0x1234, 0x11223344);
        assertEquals(0x11223344, mem.read32(0x101234));
    }

    @Test
    void fastA20PortOpensTheGateAndKeyboardControllerToo() throws IOException {
        PcMachine m = machine();
        assertFalse(m.memory().a20(), "A20 starts gated off as on the AT");
        m.io().out(0x92, 1, 0x02);
        assertTrue(m.memory().a20());
        assertEquals(0x02, m.io().in(0x92, 1));
        m.io().out(0x92, 1, 0x00);
        assertFalse(m.memory().a20());
        m.io().out(0x64, 1, 0xDF); // keyboard controller: enable A20
        assertTrue(m.memory().a20());
    }

    @Test
    void resetRequestsComeFromPort92AndCf9() throws IOException {
        PcMachine m = machine();
        m.io().out(0x92, 1, 0x01);
        assertTrue(m.resetRequested());
        m.reset();
        assertFalse(m.resetRequested());
        m.io().out(0xCF9, 1, 0x06);
        assertTrue(m.resetRequested());
    }

    @Test
    void wideAccessesSplitIntoBytesAcrossDevices() throws IOException {
        PcMachine m = machine();
        m.io().out(0x70, 2, 0x5A8F); // index 0Fh with NMI masked, then 5Ah to the data port
        assertTrue(m.rtc().nmiMasked());
        assertEquals(0x5A, m.rtc().readRegister(0x0F));
        // a word read at 80h: POST code, then the unclaimed port 81h reads all ones
        m.io().out(0x80, 1, 0x42);
        assertEquals(0xFF42, m.io().in(0x80, 2));
    }

    @Test
    void nmiIsHeldOffWhileTheRtcMasksIt() throws IOException {
        PcMachine m = machine();
        m.io().out(0x70, 1, 0x80);
        m.raiseNmi();
        m.cpu().halted = true;
        m.cpu().run(1);
        assertTrue(m.cpu().halted, "a masked NMI must not wake the CPU");
    }

    @Test
    void pciConfigurationSpaceAnswersThroughCf8AndCfc() throws IOException {
        PcMachine m = machine();
        m.io().out(0xCF8, 4, 0x80000000); // bus 0, device 0 (host bridge), register 0
        assertEquals(0x12378086, m.io().in(0xCFC, 4), "the 440FX's vendor and device ID");
        assertEquals(0x80000000, m.io().in(0xCF8, 4));
    }

    @Test
    void cmosDescribesMemoryAndDrives() throws IOException {
        PcMachine m = machine();
        assertEquals(640, m.rtc().readRegister(0x15) | m.rtc().readRegister(0x16) << 8);
        assertEquals(1024, m.rtc().readRegister(0x17) | m.rtc().readRegister(0x18) << 8);
        assertEquals(0, m.rtc().readRegister(0x10), "no floppy drives");
    }

    @Test
    void romOfAnOddSizeIsRefusedWithItsSize() {
        Firmware odd = new Firmware() {
            public byte[] romImage() {
                return new byte[100_000];
            }

            public void powerOn(PcHardware hardware) {
            }

            public String description() {
                return "odd.rom";
            }
        };
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PcMachine(new MachineSettings().firmware(odd)));
        assertTrue(e.getMessage().contains("odd.rom") && e.getMessage().contains("100000 bytes"), e.getMessage());
    }

    @Test
    void missingDiskImageIsNamed(@TempDir Path dir) {
        Path missing = dir.resolve("nothere.img");
        IOException e = assertThrows(IOException.class, () -> new PcMachine(new MachineSettings()
                .firmware(new TestFirmware(TestFirmware.HALT)).hardDisk(0, missing)));
        assertTrue(e.getMessage().contains("nothere.img"), e.getMessage());
    }

    @Test
    void floppyImageSetsTheCmosDriveTypeAndIsClosedAtPowerOff(@TempDir Path dir) throws IOException {
        Path img = dir.resolve("a.img");
        Files.write(img, new byte[1_474_560]);
        PcMachine m = new PcMachine(new MachineSettings().firmware(new TestFirmware(TestFirmware.HALT))
                .floppy(0, img));
        assertEquals(0x40, m.rtc().readRegister(0x10));
        assertEquals(1_474_560, m.floppy(0).size());
        m.close();
        assertEquals(null, m.floppy(0));
    }

    @Test
    void fpuErrorReachesIrq13AndPortF0AcknowledgesIt() throws IOException {
        PcMachine m = machine();
        for (int[] w : new int[][] {{0x20, 0x11}, {0x21, 0x08}, {0x21, 0x04}, {0x21, 0x01}, {0xA0, 0x11},
                {0xA1, 0x70}, {0xA1, 0x02}, {0xA1, 0x01}, {0x21, 0x00}, {0xA1, 0x00}}) {
            m.io().out(w[0], 1, w[1]);
        }
        var fpu = m.cpu().fpu;
        fpu.init();
        fpu.signal(1 | 0x80); // an unmasked-looking pending exception
        fpu.signalFerr();
        assertTrue(m.pic().hasInterrupt());
        assertEquals(0x75, m.pic().acknowledge()); // IRQ 13 on the slave at 70h
        m.io().out(0xA0, 1, 0x20);
        m.io().out(0x20, 1, 0x20);
        m.io().out(0xF0, 1, 0);
        assertTrue(fpu.ignne);
        fpu.signalFerr(); // ignored while IGNNE# is asserted
        assertFalse(m.pic().hasInterrupt());
    }

    @Test
    void everyDevicesPortsAndRegionsAreClaimedInItsName() throws IOException {
        PcMachine m = machine();
        assertEquals("pic", m.io().owner(0x20).name());
        assertEquals("pit", m.io().owner(0x43).name());
        assertEquals("kbc", m.io().owner(0x64).name());
        assertEquals("com1", m.io().owner(0x3FF).name());
        assertEquals("com4", m.io().owner(0x2E8).name());
        assertEquals("vga", m.io().owner(0x3D5).name());
        assertEquals("ide.primary", m.io().owner(0x1F7).name());
        assertEquals("pci", m.io().owner(0xCF9).name());
        assertEquals("port92", m.io().owner(0x92).name());
        assertEquals("vga.memory", m.memory().map().resolve(0xB8000).region().name());
        assertEquals("bios.rom", m.memory().map().resolve(0xFFFF0).region().name());
        List<String> names = m.devices().stream().map(Device::name).toList();
        assertEquals(names.size(), new java.util.HashSet<>(names).size(), "device names are unique: " + names);
    }

    @Test
    void theMachinesResetLineReachesTheChipsetDevices() throws IOException {
        PcMachine m = machine();
        m.io().out(0x92, 1, 0x02); // fast A20 on
        m.pci().ide().writeConfig(0x04, 2, 0x0001);
        m.reset();
        assertEquals(0, m.io().in(0x92, 1) & 0x02, "port 92h back to its power-on value");
        assertEquals(0, m.pci().ide().command(), "PCI functions back to their power-on values");
    }
}
