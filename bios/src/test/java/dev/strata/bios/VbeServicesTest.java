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
        Frame f = pc.vga.renderFrame();
        assertEquals(1024, f.width());
        assertEquals(768, f.height());
        assertEquals(0xFFFF8000, f.pixel(20, 10));
        pc.runCode(10_000, new Code().ax(0x4F03).intr(0x10).hlt().build());
        assertEquals(0x004F, pc.ax());
        assertEquals(0x4144, pc.cpu.r[Cpu.EBX] & 0xFFFF);
        pc.runCode(100_000, new Code().ax(0x0003).intr(0x10).hlt().build());
        assertFalse(pc.vga.dispiEnabled(), "a VGA mode set turns DISPI off");
        assertEquals(720, pc.vga.renderFrame().width());
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
}
