package dev.strata.bios;

import dev.strata.emulator.device.vga.VgaPciFunction;
import dev.strata.emulator.io.IoBus;
import dev.strata.emulator.memory.PhysicalMemory;
import dev.strata.emulator.pci.PciConfig;
import dev.strata.emulator.pci.PciConfigPorts;

/**
 * INT 10h AH=4Fh, VBE 2.0 on the VGA's DISPI registers (ports 1CEh/1CFh): controller information with the mode list
 * (00h), mode information with the linear frame buffer's address from the VGA's PCI BAR0 (01h), mode set with bit 14
 * for the linear frame buffer and bit 15 to keep memory (02h), current mode (03h), save and restore of the video
 * state ({@link VideoStateBuffer}, 04h), the 64 KiB bank window at A0000h (05h), logical scan line length (06h),
 * display start (07h), the DAC's width of 6 or 8 bits (08h) and its palette in VBE's blue, green, red, 0 entries
 * (09h), and the protected-mode interface (0Ah, {@link VbeProtectedModeInterface}). Success returns AX=004Fh; a
 * failure AX=014Fh; an unknown function leaves AX as it was, so AL is not 4Fh.
 */
final class VbeServices {

    static final int OK = 0x004F;
    static final int FAILED = 0x014F;

    private static final int DISPI_INDEX = 0x1CE;
    private static final int DISPI_DATA = 0x1CF;
    private static final int XRES = 1;
    private static final int YRES = 2;
    private static final int BPP = 3;
    private static final int ENABLE = 4;
    private static final int BANK = 5;
    private static final int VIRT_WIDTH = 6;
    private static final int VIRT_HEIGHT = 7;
    private static final int X_OFFSET = 8;
    private static final int Y_OFFSET = 9;
    private static final int VIDEO_MEMORY_64K = 10;
    private static final int ENABLED = 0x01;
    private static final int DAC_8BIT = 0x20;
    private static final int LFB_ENABLED = 0x40;
    private static final int NO_CLEAR = 0x80;

    private final PhysicalMemory mem;
    private final IoBus io;
    private final VideoStateBuffer stateBuffer;

    VbeServices(PhysicalMemory mem, IoBus io) {
        this.mem = mem;
        this.io = io;
        this.stateBuffer = new VideoStateBuffer(mem, io);
    }

    /** True when the VGA answers the DISPI ID register: without it the BIOS offers no VBE. */
    boolean present() {
        return (dispi(0) & 0xFFF0) == 0xB0C0;
    }

    /**
     * Handles AX=4Fxxh; {@code setVgaMode} sets a standard mode (4F02h with a number below 100h).
     */
    void call(BiosCall c, java.util.function.IntConsumer setVgaMode) {
        if (!present()) {
            return;
        }
        switch (c.al()) {
            case 0x00 -> controllerInfo(c);
            case 0x01 -> c.setAx(modeInfo(c.cx() & 0x1FF, BiosCall.real(c.es(), c.di())) ? OK : FAILED);
            case 0x02 -> c.setAx(setMode(c.bx(), setVgaMode) ? OK : FAILED);
            case 0x03 -> {
                c.setBx(currentMode());
                c.setAx(OK);
            }
            case 0x04 -> videoState(c);
            case 0x05 -> bankWindow(c);
            case 0x06 -> scanLineLength(c);
            case 0x07 -> displayStart(c);
            case 0x08 -> dacWidth(c);
            case 0x09 -> paletteData(c);
            case 0x0A -> protectedModeInterface(c);
            default -> {
                // 4F0Bh and beyond (VBE 3.0): not offered
            }
        }
    }

    /**
     * 4F0Ah: BL=00h points ES:DI at the protected-mode interface's table in the ROM and gives its length, code
     * included, in CX, as a VBE 2.0 BIOS does; other subfunctions fail.
     */
    private void protectedModeInterface(BiosCall c) {
        if (c.bl() != 0x00) {
            c.setAx(FAILED);
            return;
        }
        c.setEs(BiosRom.SEGMENT);
        c.setDi(BiosRom.VBE_PM_INTERFACE);
        c.setCx(VbeProtectedModeInterface.length());
        c.setAx(OK);
    }

    /**
     * 4F04h: DL=00h gives in BX the 64-byte blocks a buffer for the states in CX needs, DL=01h saves them to ES:BX,
     * DL=02h restores them from it (see {@link VideoStateBuffer} for the states).
     */
    private void videoState(BiosCall c) {
        int states = c.cx() & VideoStateBuffer.ALL;
        int at = BiosCall.real(c.es(), c.bx());
        switch (c.dl()) {
            case 0x00 -> {
                c.setBx((VideoStateBuffer.size(states) + 63) / 64);
                c.setAx(OK);
            }
            case 0x01 -> {
                stateBuffer.save(states, at);
                c.setAx(OK);
            }
            case 0x02 -> c.setAx(stateBuffer.restore(states, at) ? OK : FAILED);
            default -> c.setAx(FAILED);
        }
    }

    /** 4F08h: BL=00h sets the DAC's width (BH of 8 or more gives 8 bits, less gives 6), BL=01h reads it; BH = width. */
    private void dacWidth(BiosCall c) {
        switch (c.bl()) {
            case 0x00 -> {
                boolean eightBit = c.bh() >= 8;
                int enable = dispi(ENABLE);
                setDispi(ENABLE, eightBit ? enable | DAC_8BIT : enable & ~DAC_8BIT);
                c.setBh(eightBit ? 8 : 6);
                c.setAx(OK);
            }
            case 0x01 -> {
                c.setBh((dispi(ENABLE) & DAC_8BIT) != 0 ? 8 : 6);
                c.setAx(OK);
            }
            default -> c.setAx(FAILED);
        }
    }

    /**
     * 4F09h: BL=00h (or 80h, during the retrace) sets CX palette entries from DX with the table at ES:DI, four
     * bytes each (blue, green, red, alignment) in the DAC's width; BL=01h reads them into it. There is no secondary
     * palette (BL=02h/03h fail).
     */
    private void paletteData(BiosCall c) {
        int first = c.dx();
        int count = c.cx();
        int at = BiosCall.real(c.es(), c.di());
        if (first + count > 256 || (c.bl() != 0x00 && c.bl() != 0x80 && c.bl() != 0x01)) {
            c.setAx(FAILED);
            return;
        }
        if (c.bl() == 0x01) {
            io.out(0x3C7, 1, first);
            for (int i = 0; i < count; i++) {
                int red = io.in(0x3C9, 1);
                int green = io.in(0x3C9, 1);
                int blue = io.in(0x3C9, 1);
                mem.write32(at + 4 * i, blue | green << 8 | red << 16);
            }
        } else {
            io.out(0x3C8, 1, first);
            for (int i = 0; i < count; i++) {
                int entry = mem.read32(at + 4 * i);
                io.out(0x3C9, 1, entry >>> 16 & 0xFF);
                io.out(0x3C9, 1, entry >>> 8 & 0xFF);
                io.out(0x3C9, 1, entry & 0xFF);
            }
        }
        c.setAx(OK);
    }

    /** 4F00h: the VbeInfoBlock at ES:DI; 512 bytes when the caller asked for VBE 2.0 information ("VBE2"). */
    private void controllerInfo(BiosCall c) {
        int at = BiosCall.real(c.es(), c.di());
        boolean vbe2 = mem.read32(at) == ('V' | 'B' << 8 | 'E' << 16 | '2' << 24);
        for (int i = 0; i < (vbe2 ? 512 : 256); i++) {
            mem.write8(at + i, 0);
        }
        mem.write32(at, 'V' | 'E' << 8 | 'S' << 16 | 'A' << 24);
        mem.write16(at + 0x04, 0x0200);
        mem.write32(at + 0x06, far(BiosRom.VBE_OEM_STRING));
        mem.write32(at + 0x0A, 0x01); // capabilities: the DAC switches to 8 bits, VGA compatible
        mem.write32(at + 0x0E, far(BiosRom.VBE_MODE_LIST));
        mem.write16(at + 0x12, dispi(VIDEO_MEMORY_64K));
        mem.write16(at + 0x14, 0x0100); // OEM software revision 1.0
        mem.write32(at + 0x16, far(BiosRom.VBE_VENDOR));
        mem.write32(at + 0x1A, far(BiosRom.VBE_PRODUCT));
        mem.write32(at + 0x1E, far(BiosRom.VBE_REVISION));
        c.setAx(OK);
    }

    private static int far(int romOffset) {
        return BiosRom.SEGMENT << 16 | romOffset;
    }

    /** 4F01h: the 256-byte ModeInfoBlock of {@code number} at {@code at}; false for a mode the BIOS lacks. */
    boolean modeInfo(int number, int at) {
        VbeMode m = VbeMode.of(number);
        if (m == null) {
            return false;
        }
        for (int i = 0; i < 256; i++) {
            mem.write8(at + i, 0);
        }
        int lfb = lfbAddress();
        // supported, extended information, colour, graphics, and a linear frame buffer when BAR0 has an address
        mem.write16(at, 0x1B | (lfb != 0 ? 0x80 : 0));
        mem.write8(at + 0x02, 0x07); // window A: exists, readable, writable
        mem.write16(at + 0x04, 64); // granularity and size in KiB
        mem.write16(at + 0x06, 64);
        mem.write16(at + 0x08, 0xA000);
        mem.write32(at + 0x0C, far(BiosRom.VBE_WINDOW_FUNCTION));
        mem.write16(at + 0x10, m.bytesPerLine());
        mem.write16(at + 0x12, m.width());
        mem.write16(at + 0x14, m.height());
        mem.write8(at + 0x16, 8);
        mem.write8(at + 0x17, 16);
        mem.write8(at + 0x18, 1);
        mem.write8(at + 0x19, m.bitsPerPixel());
        mem.write8(at + 0x1A, 1);
        mem.write8(at + 0x1B, m.bitsPerPixel() == 8 ? 4 : 6); // packed pixel, or direct colour
        int pages = dispi(VIDEO_MEMORY_64K) * 0x10000 / (m.bytesPerLine() * m.height());
        mem.write8(at + 0x1D, Math.min(255, pages - 1));
        mem.write8(at + 0x1E, 1);
        writeColourFields(m, at + 0x1F);
        mem.write32(at + 0x28, lfb);
        return true;
    }

    /** Mask sizes and positions of red, green, blue and reserved bits, then the direct colour flags. */
    private void writeColourFields(VbeMode m, int at) {
        int[] fields = switch (m.bitsPerPixel()) {
            case 15 -> new int[] {5, 10, 5, 5, 5, 0, 1, 15};
            case 16 -> new int[] {5, 11, 6, 5, 5, 0, 0, 0};
            case 24 -> new int[] {8, 16, 8, 8, 8, 0, 0, 0};
            case 32 -> new int[] {8, 16, 8, 8, 8, 0, 8, 24};
            default -> new int[8];
        };
        for (int i = 0; i < fields.length; i++) {
            mem.write8(at + i, fields[i]);
        }
    }

    /** 4F02h: a VBE mode through the DISPI registers, or a standard VGA mode for numbers below 100h. */
    private boolean setMode(int bx, java.util.function.IntConsumer setVgaMode) {
        int number = bx & 0x1FF;
        boolean keepMemory = (bx & 0x8000) != 0;
        if (number < 0x100) {
            setVgaMode.accept(number | (keepMemory ? 0x80 : 0));
            return true;
        }
        VbeMode m = VbeMode.of(number);
        if (m == null) {
            return false;
        }
        boolean linear = (bx & 0x4000) != 0;
        if (linear && lfbAddress() == 0) {
            return false;
        }
        setDispi(ENABLE, 0);
        setDispi(XRES, m.width());
        setDispi(YRES, m.height());
        setDispi(BPP, m.bitsPerPixel());
        setDispi(BANK, 0);
        setDispi(ENABLE, ENABLED | (linear ? LFB_ENABLED : 0) | (keepMemory ? NO_CLEAR : 0));
        if (m.bitsPerPixel() == 8) {
            io.out(0x3C6, 1, 0xFF);
            io.out(0x3C8, 1, 0);
            for (int component : DacPalette.VGA256.entries()) {
                io.out(0x3C9, 1, component);
            }
        }
        return true;
    }

    /** 4F03h: the VBE mode the DISPI registers hold (bit 14 with the LFB on), else the BIOS data area's VGA mode. */
    private int currentMode() {
        int enable = dispi(ENABLE);
        if ((enable & ENABLED) != 0) {
            VbeMode m = VbeMode.of(dispi(XRES), dispi(YRES), dispi(BPP));
            if (m != null) {
                return m.number() | ((enable & LFB_ENABLED) != 0 ? 0x4000 : 0);
            }
        }
        return mem.read8(0x449);
    }

    /** 4F05h: BH=0 sets window A's position (DX, in 64 KiB units), BH=1 reads it; there is no window B. */
    private void bankWindow(BiosCall c) {
        if ((c.bl() & 0xFF) != 0 || (dispi(ENABLE) & ENABLED) == 0) {
            c.setAx(c.bl() != 0 ? FAILED : 0x034F);
            return;
        }
        if (c.bh() == 0) {
            setDispi(BANK, c.dx());
            c.setAx(dispi(BANK) == (c.dx() & 0xFFFF) ? OK : FAILED);
        } else if (c.bh() == 1) {
            c.setDx(dispi(BANK));
            c.setAx(OK);
        } else {
            c.setAx(FAILED);
        }
    }

    /** 4F06h: BL=0 set the line length in pixels, 1 get it, 2 set it in bytes, 3 get the maximum. */
    private void scanLineLength(BiosCall c) {
        int bytes = Math.max(1, (dispi(BPP) + 7) / 8);
        switch (c.bl()) {
            case 0 -> setDispi(VIRT_WIDTH, c.cx());
            case 2 -> setDispi(VIRT_WIDTH, c.cx() / bytes);
            case 1 -> { }
            case 3 -> {
                int max = Math.min(0xFFFF, dispi(VIDEO_MEMORY_64K) * 0x10000 / Math.max(1, dispi(YRES)) / bytes);
                c.setBx(max * bytes);
                c.setCx(max);
                c.setDx(dispi(YRES));
                c.setAx(OK);
                return;
            }
            default -> {
                c.setAx(FAILED);
                return;
            }
        }
        c.setBx(dispi(VIRT_WIDTH) * bytes);
        c.setCx(dispi(VIRT_WIDTH));
        c.setDx(dispi(VIRT_HEIGHT));
        c.setAx(OK);
    }

    /** 4F07h: BL=00h/80h set the first shown pixel (CX) and line (DX), BL=01h read them back. */
    private void displayStart(BiosCall c) {
        switch (c.bl()) {
            case 0x00, 0x80 -> {
                setDispi(X_OFFSET, c.cx());
                setDispi(Y_OFFSET, c.dx());
                c.setAx(OK);
            }
            case 0x01 -> {
                c.setBh(0);
                c.setCx(dispi(X_OFFSET));
                c.setDx(dispi(Y_OFFSET));
                c.setAx(OK);
            }
            default -> c.setAx(FAILED);
        }
    }

    /** Turns a DISPI mode off (before a standard VGA mode set); nothing when the VGA has none. */
    void disable() {
        if (present()) {
            setDispi(ENABLE, 0);
        }
    }

    /** BAR0 of the VGA's PCI function (1234:1111), found on bus 0; 0 when there is none or it has no address. */
    int lfbAddress() {
        for (int device = 0; device < 32; device++) {
            io.out(PciConfigPorts.ADDRESS_PORT, 4, PciConfigPorts.ENABLE | device << 11);
            int id = io.in(PciConfigPorts.DATA_PORT, 4);
            if (id == (VgaPciFunction.VENDOR_ID | VgaPciFunction.DEVICE_ID << 16)) {
                io.out(PciConfigPorts.ADDRESS_PORT, 4, PciConfigPorts.ENABLE | device << 11 | PciConfig.BAR0);
                return io.in(PciConfigPorts.DATA_PORT, 4) & ~0xF;
            }
        }
        return 0;
    }

    private int dispi(int index) {
        io.out(DISPI_INDEX, 2, index);
        return io.in(DISPI_DATA, 2);
    }

    private void setDispi(int index, int value) {
        io.out(DISPI_INDEX, 2, index);
        io.out(DISPI_DATA, 2, value);
    }
}
