package dev.strata.bios;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.device.vga.TextScreen;
import org.junit.jupiter.api.Test;

class VideoServicesTest {

    private final BiosTestPc pc = new BiosTestPc().post();

    /** The byte at {@code offset} of plane 2, where text modes read their fonts. */
    private int plane2(int offset) {
        pc.vga.writePort(0x3C4, 4);
        pc.vga.writePort(0x3C5, 0x07); // no odd/even
        pc.vga.writePort(0x3CE, 4);
        pc.vga.writePort(0x3CF, 2); // read plane 2
        pc.vga.writePort(0x3CE, 5);
        pc.vga.writePort(0x3CF, 0);
        pc.vga.writePort(0x3CE, 6);
        pc.vga.writePort(0x3CF, 0x04); // A0000h, 64 KiB
        return pc.vga.readMemory(0xA0000 + offset);
    }

    @Test
    void theModeSetLoadsItsFontAndAUserFontGoesInAtItsCharacters() {
        byte[] rom = RomFonts.font(16);
        for (int ch : new int[] {0, 'A', 0xDB, 0xFF}) {
            for (int line = 0; line < 32; line++) {
                assertEquals(line < 16 ? rom[ch * 16 + line] & 0xFF : 0, plane2(ch * 32 + line), ch + " " + line);
            }
        }
        for (int k = 0; k < 16; k++) {
            pc.memory.write8(0x7000 + k, 0x80 | k); // two glyphs of 8 lines
        }
        pc.runCode(100, new Code().ax(0x1100).bx(0x0800).cx(2).dx(0x80).bp(0x7000).intr(0x10).hlt().build());
        for (int line = 0; line < 32; line++) {
            assertEquals(line < 8 ? 0x80 | line : 0, plane2(0x80 * 32 + line), "line " + line);
            assertEquals(line < 8 ? 0x88 | line : 0, plane2(0x81 * 32 + line), "line " + line);
            assertEquals(line < 16 ? rom[0x82 * 16 + line] & 0xFF : 0, plane2(0x82 * 32 + line), "0x82 kept");
        }
    }

    @Test
    void teletypeWritesAndMovesTheCursor() {
        pc.runCode(100, new Code().ax(0x0E48).intr(0x10).ax(0x0E69).intr(0x10).ax(0x0E0D).intr(0x10)
                .ax(0x0E0A).intr(0x10).ax(0x0E21).intr(0x10).hlt().build());
        assertEquals("Hi", pc.screenLine(1));
        assertEquals("!", pc.screenLine(2));
        assertEquals(0x0201, pc.memory.read16(0x450)); // row 2, column 1
        int position = pc.vga.crtcRegister(0x0E) << 8 | pc.vga.crtcRegister(0x0F);
        assertEquals(2 * 80 + 1, position);
    }

    @Test
    void teletypeScrollsAtTheBottom() {
        pc.runCode(100, new Code().ax(0x0200).bx(0).dx(0x1800).intr(0x10).ax(0x0E5A).intr(0x10).ax(0x0E0D)
                .intr(0x10).ax(0x0E0A).intr(0x10).hlt().build());
        assertEquals("Z", pc.screenLine(23));
        assertEquals("", pc.screenLine(24));
        assertEquals("", pc.screenLine(0)); // the banner scrolled off
        assertEquals(0x1800, pc.memory.read16(0x450));
    }

    @Test
    void setAndGetCursor() {
        pc.runCode(100, new Code().ax(0x0200).bx(0).dx(0x0A14).intr(0x10).ax(0x0300).bx(0).intr(0x10).hlt().build());
        assertEquals(0x0A14, pc.cpu.r[Cpu.EDX] & 0xFFFF);
        assertEquals(0x0607, pc.cpu.r[Cpu.ECX] & 0xFFFF);
        assertEquals(0x0D, pc.vga.crtcRegister(0x0A)); // cursor emulation: 6-7 of 8 lines is 13-14 of 16
        assertEquals(0x0E, pc.vga.crtcRegister(0x0B));
    }

    @Test
    void writeAndReadCharacterWithAttribute() {
        pc.runCode(100, new Code().ax(0x0200).bx(0).dx(0x0500).intr(0x10).ax(0x0941).bx(0x001F).cx(3).intr(0x10)
                .ax(0x0800).bx(0).intr(0x10).hlt().build());
        assertEquals("AAA", pc.screenLine(5));
        assertEquals(0x1F41, pc.ax());
        assertEquals(0x1F, pc.memory.read8(0xB8000 + 5 * 160 + 5));
        assertEquals(0x0500, pc.memory.read16(0x450)); // 09h does not move the cursor
    }

    @Test
    void scrollWindowUpAndDown() {
        for (int i = 0; i < 80; i++) {
            pc.memory.write16(0xB8000 + 2 * 160 + i * 2, 0x0700 | 'x');
        }
        pc.runCode(100, new Code().ax(0x0601).bx(0x1700).cx(0x0000).dx(0x184F).intr(0x10).hlt().build());
        assertEquals("x".repeat(80), pc.screenLine(1));
        assertEquals("", pc.screenLine(24));
        assertEquals(0x17, pc.memory.read8(0xB8000 + 24 * 160 + 1));
        pc.runCode(100, new Code().ax(0x0702).bx(0x0700).cx(0x0000).dx(0x184F).intr(0x10).hlt().build());
        assertEquals("x".repeat(80), pc.screenLine(3));
        assertEquals("", pc.screenLine(0));
    }

    @Test
    void modeSetProgramsTheVgaAndTheBiosDataArea() {
        pc.runCode(100, new Code().ax(0x0001).intr(0x10).ax(0x0F00).intr(0x10).hlt().build());
        assertEquals(0x2801, pc.ax());
        assertEquals(40, pc.memory.read16(0x44A));
        TextScreen screen = pc.vga.textScreen();
        assertEquals(40, screen.columns());
        assertEquals(25, screen.rows());
        pc.runCode(100, Code.call(0x10, 0x0007));
        assertEquals(0x3B4, pc.memory.read16(0x463));
        assertEquals(80, pc.vga.textScreen().columns());
        assertEquals(25, pc.vga.textScreen().rows());
        assertEquals(0x0720, pc.memory.read16(0xB0000));
    }

    @Test
    void eightByEightFontGivesFiftyRows() {
        pc.runCode(100, new Code().ax(0x1112).bx(0).intr(0x10).ax(0x1130).bx(0).intr(0x10).hlt().build());
        assertEquals(8, pc.cpu.r[Cpu.ECX] & 0xFFFF);
        assertEquals(49, pc.cpu.r[Cpu.EDX] & 0xFF);
        assertEquals(50, pc.vga.textScreen().rows());
        assertEquals(0xF000, pc.cpu.seg[Cpu.ES].selector);
    }

    @Test
    void informationCalls() {
        pc.runCode(100, new Code().ax(0x1200).bx(0x0010).intr(0x10).hlt().build());
        assertEquals(0x0003, pc.cpu.r[Cpu.EBX] & 0xFFFF);
        pc.runCode(100, Code.call(0x10, 0x1A00));
        assertEquals(0x1A, pc.ax() & 0xFF);
        assertEquals(0x08, pc.cpu.r[Cpu.EBX] & 0xFF);
    }

    @Test
    void pageSelectMovesTheDisplayStart() {
        pc.runCode(100, Code.call(0x10, 0x0501));
        assertEquals(1, pc.memory.read8(0x462));
        assertEquals(0x1000, pc.memory.read16(0x44E));
        assertEquals(0x0800, pc.vga.crtcRegister(0x0C) << 8 | pc.vga.crtcRegister(0x0D));
    }

    @Test
    void writeStringWithAttributeAndCursorUpdate() {
        byte[] text = "Hey".getBytes();
        for (int i = 0; i < text.length; i++) {
            pc.memory.write8(0x20000 + i, text[i]);
        }
        pc.runCode(100, new Code().ax(0x2000).esFromAx().bp(0).ax(0x1301).bx(0x004E).cx(3).dx(0x0302).intr(0x10)
                .hlt().build());
        assertEquals("  Hey", pc.screenLine(3));
        assertEquals(0x4E, pc.memory.read8(0xB8000 + 3 * 160 + 5));
        assertEquals(0x0305, pc.memory.read16(0x450));
    }

    @Test
    void blinkBitAndDacColours() {
        pc.runCode(100, new Code().ax(0x1003).bx(0x0000).intr(0x10).hlt().build());
        assertEquals(false, pc.vga.blinkEnabled());
        assertEquals(true, pc.vga.screenEnabled());
        pc.runCode(100, new Code().ax(0x1010).bx(0x0005).dx(0x1100).cx(0x2233).intr(0x10)
                .ax(0x1015).bx(0x0005).cx(0).dx(0).intr(0x10).hlt().build());
        assertEquals(0x11 << 12 | 0x22 << 6 | 0x33, pc.vga.dacEntry(5));
        assertEquals(0x2233, pc.cpu.r[Cpu.ECX] & 0xFFFF);
        assertEquals(0x11, pc.cpu.r[Cpu.EDX] >> 8 & 0xFF);
        pc.runCode(100, new Code().ax(0x1007).bx(0x0001).intr(0x10).hlt().build());
        assertEquals(0x01, pc.cpu.r[Cpu.EBX] >> 8 & 0xFF);
    }

    @Test
    void pixelMaskPaletteReadAndGreySummingThroughInt10h() {
        pc.runCode(100, new Code().ax(0x1018).bx(0x000F).intr(0x10).ax(0x1019).bx(0).intr(0x10).hlt().build());
        assertEquals(0x0F, pc.cpu.r[Cpu.EBX] & 0xFF);
        pc.runCode(100, new Code().ax(0x1018).bx(0x00FF).intr(0x10).hlt().build());
        // AX=1009h: the 16 palette registers and the overscan register, to ES:DX.
        pc.runCode(1000, new Code().ax(0x2000).esFromAx().dx(0x0100).ax(0x1009).intr(0x10).hlt().build());
        assertEquals(0x14, pc.memory.read8(0x20100 + 6), "mode 3's brown");
        assertEquals(0x3F, pc.memory.read8(0x20100 + 15));
        // AX=101Bh: entry 39h (light blue 15h,15h,3Fh, colour 9 in text) becomes a grey of the same brightness.
        pc.runCode(1000, new Code().ax(0x101B).bx(0x39).cx(1).intr(0x10).hlt().build());
        int grey = (0x15 * 30 + 0x15 * 59 + 0x3F * 11 + 50) / 100;
        assertEquals(grey << 12 | grey << 6 | grey, pc.vga.dacEntry(0x39));
        assertEquals(0x15 << 12 | 0x3F << 6 | 0x15, pc.vga.dacEntry(0x3A), "the next entry, light green, untouched");
    }
}
