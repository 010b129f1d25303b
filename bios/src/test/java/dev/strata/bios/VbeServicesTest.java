package dev.strata.bios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.display.Frame;
import dev.strata.emulator.machine.PcMachine;
import dev.strata.emulator.pci.PciConfig;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** INT 10h AX=4F00h/4F01h/4F02h and friends, after POST put the VGA's frame buffer in a PCI window. */
class VbeServicesTest {

    private static final int BLOCK = 0x20000;

    private final BiosTestPc pc = new BiosTestPc().post();

    private int farToLinear(int far) {
        return ((far >>> 16) << 4) + (far & 0xFFFF);
    }

    private String string(int at) {
        StringBuilder s = new StringBuilder();
        for (int b = pc.memory.read8(at); b != 0; b = pc.memory.read8(++at)) {
            s.append((char) b);
        }
        return s.toString();
    }

    @Test
    void postPutsTheLinearFrameBufferInThePrefetchableWindow() {
        var vga = pc.machine.pci().bus().function(PcMachine.VGA_PCI_DEVICE, 0);
        assertEquals(0xFD000008, vga.readConfig(PciConfig.bar(0), 4));
        assertTrue(vga.memorySpaceEnabled());
    }

    @Test
    void controllerInfoListsTheModesAndSixteenMegabytes() {
        pc.memory.write32(BLOCK, 'V' | 'B' << 8 | 'E' << 16 | '2' << 24);
        pc.runCode(10_000, new Code().ax(BLOCK >> 4).esFromAx().di(0).ax(0x4F00).intr(0x10).hlt().build());
        assertEquals(0x004F, pc.ax());
        assertEquals('V' | 'E' << 8 | 'S' << 16 | 'A' << 24, pc.memory.read32(BLOCK));
        assertEquals(0x0200, pc.memory.read16(BLOCK + 4));
        assertEquals(256, pc.memory.read16(BLOCK + 0x12), "16 MiB in 64 KiB blocks");
        assertEquals("Strata VBE", string(farToLinear(pc.memory.read32(BLOCK + 6))));
        assertEquals("Strata DISPI VGA", string(farToLinear(pc.memory.read32(BLOCK + 0x1A))));
        List<Integer> modes = new ArrayList<>();
        for (int at = farToLinear(pc.memory.read32(BLOCK + 0x0E)); pc.memory.read16(at) != 0xFFFF; at += 2) {
            modes.add(pc.memory.read16(at));
        }
        assertTrue(modes.containsAll(List.of(0x101, 0x103, 0x105, 0x111, 0x114, 0x117, 0x142, 0x143, 0x144)),
                modes.toString());
    }

    @Test
    void modeInfoGivesTheLayoutAndTheLinearFrameBuffersAddress() {
        pc.runCode(10_000, new Code().ax(BLOCK >> 4).esFromAx().di(0).cx(0x144).ax(0x4F01).intr(0x10).hlt().build());
        assertEquals(0x004F, pc.ax());
        assertEquals(0x9B, pc.memory.read16(BLOCK) & 0x9B, "supported, colour, graphics, LFB");
        assertEquals(4096, pc.memory.read16(BLOCK + 0x10), "bytes per line");
        assertEquals(1024, pc.memory.read16(BLOCK + 0x12));
        assertEquals(768, pc.memory.read16(BLOCK + 0x14));
        assertEquals(32, pc.memory.read8(BLOCK + 0x19));
        assertEquals(6, pc.memory.read8(BLOCK + 0x1B), "direct colour");
        assertEquals(16, pc.memory.read8(BLOCK + 0x20), "red at bit 16");
        assertEquals(0xFD000000, pc.memory.read32(BLOCK + 0x28));
        assertEquals(0xA000, pc.memory.read16(BLOCK + 0x08));
        pc.runCode(10_000, new Code().ax(BLOCK >> 4).esFromAx().di(0).cx(0x199).ax(0x4F01).intr(0x10).hlt().build());
        assertEquals(0x014F, pc.ax(), "no such mode");
    }

    @Test
    void setModeProgramsTheDispiRegistersAndTheLfbShowsOnScreen() {
        pc.runCode(10_000, new Code().bx(0x4144).ax(0x4F02).intr(0x10).hlt().build());
        assertEquals(0x004F, pc.ax());
        assertTrue(pc.vga.dispiEnabled());
        pc.memory.write32(0xFD000000 + (10 * 1024 + 20) * 4, 0x00FF8000);
        Frame f = PictureCheck.frame(pc.vga);
        assertEquals(1024, f.width());
        assertEquals(768, f.height());
        assertEquals(0xFFFF8000, f.pixel(20, 10));
        pc.runCode(10_000, new Code().ax(0x4F03).intr(0x10).hlt().build());
        assertEquals(0x004F, pc.ax());
        assertEquals(0x4144, pc.cpu.r[Cpu.EBX] & 0xFFFF);
        pc.runCode(100_000, new Code().ax(0x0003).intr(0x10).hlt().build());
        assertFalse(pc.vga.dispiEnabled(), "a VGA mode set turns DISPI off");
        assertEquals(720, PictureCheck.frame(pc.vga).width());
    }

    @Test
    void theBankWindowSwitchesSixtyFourKilobytesAtATime() {
        pc.runCode(10_000, new Code().bx(0x0101).ax(0x4F02).intr(0x10).bx(0).dx(2).ax(0x4F05).intr(0x10)
                .hlt().build());
        assertEquals(0x004F, pc.ax());
        pc.memory.write8(0xA0005, 0x77);
        assertEquals(0x77, pc.vga.readLinear(2 * 0x10000 + 5, 1));
        pc.runCode(10_000, new Code().bx(0x0100).ax(0x4F05).intr(0x10).hlt().build());
        assertEquals(2, pc.cpu.r[Cpu.EDX] & 0xFFFF);
        pc.runCode(10_000, new Code().ax(0x4F03).intr(0x10).hlt().build());
        assertEquals(0x0101, pc.cpu.r[Cpu.EBX] & 0xFFFF, "banked: no bit 14");
    }

    @Test
    void displayStartAndScanLineLengthMoveTheVirtualScreen() {
        pc.runCode(10_000, new Code().bx(0x4111).ax(0x4F02).intr(0x10).bx(0).cx(1024).ax(0x4F06).intr(0x10)
                .hlt().build());
        assertEquals(0x004F, pc.ax());
        assertEquals(2048, pc.cpu.r[Cpu.EBX] & 0xFFFF, "bytes per line");
        assertEquals(1024, pc.cpu.r[Cpu.ECX] & 0xFFFF);
        pc.runCode(10_000, new Code().bx(0).cx(8).dx(100).ax(0x4F07).intr(0x10).bx(1).cx(0).dx(0).ax(0x4F07)
                .intr(0x10).hlt().build());
        assertEquals(8, pc.cpu.r[Cpu.ECX] & 0xFFFF);
        assertEquals(100, pc.cpu.r[Cpu.EDX] & 0xFFFF);
    }

    private int bh() {
        return pc.cpu.r[Cpu.EBX] >> 8 & 0xFF;
    }

    @Test
    void theDacSwitchesToEightBitsAndThePaletteFunctionTakesWholeBytes() {
        pc.runCode(10_000, new Code().bx(0x0101).ax(0x4F02).intr(0x10).bx(0x0001).ax(0x4F08).intr(0x10).hlt().build());
        assertEquals(0x004F, pc.ax());
        assertEquals(6, bh(), "6 bits after a mode set");
        pc.runCode(10_000, new Code().bx(0x0800).ax(0x4F08).intr(0x10).hlt().build());
        assertEquals(0x004F, pc.ax());
        assertEquals(8, bh());
        assertTrue(pc.vga.dacEightBit());
        pc.memory.write32(BLOCK, 0x00863412); // blue 12h, green 34h, red 86h
        pc.memory.write32(BLOCK + 4, 0x00FFFFFF);
        pc.runCode(10_000, new Code().ax(BLOCK >> 4).esFromAx().di(0).bx(0).cx(2).dx(5).ax(0x4F09).intr(0x10)
                .hlt().build());
        assertEquals(0x004F, pc.ax());
        pc.memory.write8(0xFD000000 + 640 + 3, 5);
        assertEquals(0xFF863412, PictureCheck.frame(pc.vga).pixel(3, 1), "all eight bits of each component show");
        pc.runCode(10_000, new Code().ax(BLOCK >> 4).esFromAx().di(0x100).bx(1).cx(2).dx(5).ax(0x4F09).intr(0x10)
                .hlt().build());
        assertEquals(0x004F, pc.ax());
        assertEquals(0x00863412, pc.memory.read32(BLOCK + 0x100));
        assertEquals(0x00FFFFFF, pc.memory.read32(BLOCK + 0x104));
        pc.runCode(10_000, new Code().bx(0x0600).ax(0x4F08).intr(0x10).bx(0x0001).ax(0x4F08).intr(0x10).hlt().build());
        assertEquals(6, bh());
        assertFalse(pc.vga.dacEightBit());
        assertEquals(0x21 << 12 | 0x0D << 6 | 0x04, pc.vga.dacEntry(5), "back to 6 bits, the colour kept");
    }

    @Test
    void thePaletteFunctionRefusesEntriesPast255AndTheSecondaryPalette() {
        pc.runCode(10_000, new Code().ax(BLOCK >> 4).esFromAx().di(0).bx(0).cx(2).dx(255).ax(0x4F09).intr(0x10)
                .hlt().build());
        assertEquals(0x014F, pc.ax());
        pc.runCode(10_000, new Code().ax(BLOCK >> 4).esFromAx().di(0).bx(2).cx(1).dx(0).ax(0x4F09).intr(0x10)
                .hlt().build());
        assertEquals(0x014F, pc.ax());
    }

    @Test
    void controllerInfoSaysTheDacSwitches() {
        pc.runCode(10_000, new Code().ax(BLOCK >> 4).esFromAx().di(0).ax(0x4F00).intr(0x10).hlt().build());
        assertEquals(0x01, pc.memory.read32(BLOCK + 0x0A) & 0x01, "capabilities bit 0: 8-bit DAC");
    }

    @Test
    void theStateBufferSizeCoversTheStatesAskedFor() {
        pc.runCode(10_000, new Code().cx(0x0F).dx(0).ax(0x4F04).intr(0x10).hlt().build());
        assertEquals(0x004F, pc.ax());
        int all = pc.cpu.r[Cpu.EBX] & 0xFFFF;
        assertEquals((VideoStateBuffer.size(0x0F) + 63) / 64, all);
        pc.runCode(10_000, new Code().cx(0x08).dx(0).ax(0x4F04).intr(0x10).hlt().build());
        assertEquals(1, pc.cpu.r[Cpu.EBX] & 0xFFFF, "the DISPI registers alone fit one block");
        assertTrue(all > 12, "the DAC alone is 768 bytes: " + all);
    }

    @Test
    void savingAndRestoringTheStateBringsBackAVbeModeWithItsPicture() {
        pc.runCode(10_000, new Code().bx(0x4144).ax(0x4F02).intr(0x10).bx(0).cx(0).dx(100).ax(0x4F07).intr(0x10)
                .bx(0x0800).ax(0x4F08).intr(0x10).hlt().build());
        pc.memory.write32(0xFD000000 + 100 * 1024 * 4, 0x00ABCDEF);
        pc.runCode(10_000, new Code().ax(BLOCK >> 4).esFromAx().bx(0).cx(0x0F).dx(1).ax(0x4F04).intr(0x10)
                .hlt().build());
        assertEquals(0x004F, pc.ax());
        pc.runCode(100_000, new Code().ax(0x0003).intr(0x10).hlt().build());
        assertFalse(pc.vga.dispiEnabled());
        pc.runCode(100_000, new Code().ax(BLOCK >> 4).esFromAx().bx(0).cx(0x0F).dx(2).ax(0x4F04).intr(0x10)
                .hlt().build());
        assertEquals(0x004F, pc.ax());
        assertTrue(pc.vga.dispiEnabled());
        assertEquals(1024, pc.vga.dispiRegister(1));
        assertEquals(32, pc.vga.dispiRegister(3));
        assertEquals(100, pc.vga.dispiRegister(9), "display start line");
        assertTrue(pc.vga.dacEightBit());
        assertEquals(0xFFABCDEF, PictureCheck.frame(pc.vga).pixel(0, 0), "video memory kept, panned as before");
        assertEquals(0x4144, currentMode());
    }

    @Test
    void savingAndRestoringTheStateBringsBackAStandardVgaModesRegistersPaletteAndBiosData() {
        pc.runCode(100_000, new Code().ax(0x0013).intr(0x10).hlt().build());
        pc.vga.writePort(0x3C8, 7);
        pc.vga.writePort(0x3C9, 0x01);
        pc.vga.writePort(0x3C9, 0x02);
        pc.vga.writePort(0x3C9, 0x03);
        int[] graphics = new int[9];
        for (int i = 0; i < graphics.length; i++) {
            graphics[i] = pc.vga.graphicsRegister(i);
        }
        int crtcOffset = pc.vga.crtcRegister(0x13);
        int modeControl = pc.vga.attributeRegister(0x10);
        pc.runCode(10_000, new Code().ax(BLOCK >> 4).esFromAx().bx(0).cx(0x07).dx(1).ax(0x4F04).intr(0x10)
                .hlt().build());
        assertEquals(0x004F, pc.ax());
        pc.runCode(100_000, new Code().ax(0x0003).intr(0x10).hlt().build());
        assertEquals(3, pc.memory.read8(0x449));
        pc.runCode(100_000, new Code().ax(BLOCK >> 4).esFromAx().bx(0).cx(0x07).dx(2).ax(0x4F04).intr(0x10)
                .hlt().build());
        assertEquals(0x004F, pc.ax());
        assertEquals(0x13, pc.memory.read8(0x449), "the BIOS data area's mode");
        for (int i = 0; i < graphics.length; i++) {
            assertEquals(graphics[i], pc.vga.graphicsRegister(i), "graphics controller register " + i);
        }
        assertEquals(crtcOffset, pc.vga.crtcRegister(0x13));
        assertEquals(modeControl, pc.vga.attributeRegister(0x10));
        assertEquals(0x01 << 12 | 0x02 << 6 | 0x03, pc.vga.dacEntry(7));
        assertEquals(320, PictureCheck.frame(pc.vga).width());
        pc.runCode(10_000, new Code().ax(BLOCK >> 4).esFromAx().bx(0).cx(0x08).dx(2).ax(0x4F04).intr(0x10)
                .hlt().build());
        assertEquals(0x014F, pc.ax(), "the buffer holds no DISPI registers");
    }

    private int currentMode() {
        pc.runCode(10_000, new Code().ax(0x4F03).intr(0x10).hlt().build());
        return pc.cpu.r[Cpu.EBX] & 0xFFFF;
    }

    @Test
    void theProtectedModeInterfaceIsATableOfRoutinesInTheRom() {
        pc.runCode(10_000, new Code().bx(0).ax(0x4F0A).intr(0x10).hlt().build());
        assertEquals(0x004F, pc.ax());
        assertEquals(0xF000, pc.cpu.seg[Cpu.ES].selector);
        int table = 0xF0000 + (pc.cpu.r[Cpu.EDI] & 0xFFFF);
        int length = pc.cpu.r[Cpu.ECX] & 0xFFFF;
        byte[] code = VbeProtectedModeInterface.code();
        assertEquals(code.length, length, "CX: the table and its code");
        for (int i = 0; i < length; i++) {
            assertEquals(code[i] & 0xFF, pc.memory.read8(table + i), "ROM byte " + i);
        }
        for (int entry = 0; entry < 4; entry++) {
            int offset = pc.memory.read16(table + 2 * entry);
            assertTrue(offset >= 8 && offset < length, "entry " + entry + " at " + offset);
        }
        int ports = table + pc.memory.read16(table + VbeProtectedModeInterface.PORT_TABLE);
        List<Integer> listed = new ArrayList<>();
        for (int at = ports; pc.memory.read16(at) != 0xFFFF; at += 2) {
            listed.add(pc.memory.read16(at));
        }
        assertEquals(List.of(0x1CE, 0x1CF, 0x3C8, 0x3C9), listed);
        assertEquals(0xFFFF, pc.memory.read16(ports + 2 * listed.size() + 2), "no memory areas");
        pc.runCode(10_000, new Code().bx(1).ax(0x4F0A).intr(0x10).hlt().build());
        assertEquals(0x014F, pc.ax(), "only subfunction 00h exists");
    }
}
