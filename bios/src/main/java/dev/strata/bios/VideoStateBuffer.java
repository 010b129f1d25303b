package dev.strata.bios;

import dev.strata.emulator.io.IoBus;
import dev.strata.emulator.memory.PhysicalMemory;

/**
 * The buffer of VBE AX=4F04h (save and restore the video state), read and written through the VGA's ports as a
 * video BIOS does it. The caller names the parts in a mask: bit 0 the VGA's registers (miscellaneous output,
 * sequencer, CRT controller, graphics controller, attribute controller and their index registers), bit 1 the BIOS
 * data area's video fields, bit 2 the DAC (pixel mask and the 256 colours, in the width the DAC has), bit 3 the
 * DISPI registers (resolution, depth, enable with the LFB and 8-bit DAC bits, bank, virtual width, display start).
 *
 * <p>The layout is Strata's own (callers treat the buffer as opaque): a word with the mask saved, then each part
 * saved, in bit order. Restoring the DISPI registers keeps video memory and comes before the DAC, whose width the
 * enable register sets.
 */
final class VideoStateBuffer {

    static final int HARDWARE = 0x01;
    static final int BIOS_DATA = 0x02;
    static final int DAC = 0x04;
    static final int SVGA = 0x08;
    static final int ALL = HARDWARE | BIOS_DATA | DAC | SVGA;

    private static final int SEQUENCER_REGISTERS = 5;
    private static final int CRTC_REGISTERS = 25;
    private static final int GRAPHICS_REGISTERS = 9;
    private static final int ATTRIBUTE_REGISTERS = 21;
    /** Misc output, the four index registers (sequencer, graphics, CRT controller, attribute), then the registers. */
    private static final int HARDWARE_SIZE = 5 + SEQUENCER_REGISTERS + CRTC_REGISTERS + GRAPHICS_REGISTERS
            + ATTRIBUTE_REGISTERS;
    /** The video fields of the BIOS data area: 449h-466h and 484h-48Ah. */
    private static final int BDA_VIDEO = 0x449;
    private static final int BDA_VIDEO_LENGTH = 0x467 - 0x449;
    private static final int BDA_EGA = 0x484;
    private static final int BDA_EGA_LENGTH = 0x48B - 0x484;
    private static final int DAC_SIZE = 2 + 256 * 3;
    /** The DISPI registers saved, in the order they are restored. */
    private static final int[] DISPI_REGISTERS = {1, 2, 3, 4, 6, 8, 9, 5};
    private static final int DISPI_ENABLE = 4;
    private static final int DISPI_ENABLED = 0x01;
    private static final int DISPI_NO_CLEAR = 0x80;

    private static final int SEQUENCER_INDEX = 0x3C4;
    private static final int GRAPHICS_INDEX = 0x3CE;
    private static final int ATTRIBUTE = 0x3C0;
    private static final int ATTRIBUTE_READ = 0x3C1;
    private static final int MISC_WRITE = 0x3C2;
    private static final int MISC_READ = 0x3CC;
    private static final int DAC_PIXEL_MASK = 0x3C6;
    private static final int DAC_READ_INDEX = 0x3C7;
    private static final int DAC_WRITE_INDEX = 0x3C8;
    private static final int DAC_DATA = 0x3C9;
    private static final int DISPI_INDEX = 0x1CE;
    private static final int DISPI_DATA = 0x1CF;

    private final PhysicalMemory mem;
    private final IoBus io;

    VideoStateBuffer(PhysicalMemory mem, IoBus io) {
        this.mem = mem;
        this.io = io;
    }

    /** Bytes the buffer needs for the parts in {@code states} (bits 0-3; other bits are ignored). */
    static int size(int states) {
        int size = 2;
        size += (states & HARDWARE) != 0 ? HARDWARE_SIZE : 0;
        size += (states & BIOS_DATA) != 0 ? BDA_VIDEO_LENGTH + BDA_EGA_LENGTH : 0;
        size += (states & DAC) != 0 ? DAC_SIZE : 0;
        size += (states & SVGA) != 0 ? 2 * DISPI_REGISTERS.length : 0;
        return size;
    }

    /** Saves the parts in {@code states} to the buffer at physical {@code at}. */
    void save(int states, int at) {
        states &= ALL;
        mem.write16(at, states);
        int p = at + 2;
        if ((states & HARDWARE) != 0) {
            p = saveRegisters(p);
        }
        if ((states & BIOS_DATA) != 0) {
            p = copy(BDA_VIDEO, p, BDA_VIDEO_LENGTH);
            p = copy(BDA_EGA, p, BDA_EGA_LENGTH);
        }
        if ((states & DAC) != 0) {
            p = saveDac(p);
        }
        if ((states & SVGA) != 0) {
            for (int index : DISPI_REGISTERS) {
                io.out(DISPI_INDEX, 2, index);
                mem.write16(p, io.in(DISPI_DATA, 2));
                p += 2;
            }
        }
    }

    /**
     * Restores the parts in {@code states} from the buffer at {@code at}; false (nothing restored) when the buffer
     * lacks one of them.
     */
    boolean restore(int states, int at) {
        states &= ALL;
        int saved = mem.read16(at);
        if ((saved & ~ALL) != 0 || (states & ~saved) != 0) {
            return false;
        }
        int p = at + 2;
        int registers = p;
        p += (saved & HARDWARE) != 0 ? HARDWARE_SIZE : 0;
        int biosData = p;
        p += (saved & BIOS_DATA) != 0 ? BDA_VIDEO_LENGTH + BDA_EGA_LENGTH : 0;
        int dac = p;
        p += (saved & DAC) != 0 ? DAC_SIZE : 0;
        int svga = p;
        if ((states & SVGA) != 0) {
            restoreDispi(svga);
        }
        if ((states & HARDWARE) != 0) {
            restoreRegisters(registers);
        }
        if ((states & BIOS_DATA) != 0) {
            copy(biosData, BDA_VIDEO, BDA_VIDEO_LENGTH);
            copy(biosData + BDA_VIDEO_LENGTH, BDA_EGA, BDA_EGA_LENGTH);
        }
        if ((states & DAC) != 0) {
            restoreDac(dac);
        }
        return true;
    }

    private int copy(int from, int to, int length) {
        for (int i = 0; i < length; i++) {
            mem.write8(to + i, mem.read8(from + i));
        }
        return to + length;
    }

    private int crtcIndexPort() {
        return (io.in(MISC_READ, 1) & 0x01) != 0 ? 0x3D4 : 0x3B4;
    }

    private int saveRegisters(int p) {
        int crtc = crtcIndexPort();
        io.in(crtc + 6, 1); // input status 1: the attribute controller's flip-flop to index
        int attributeIndex = io.in(ATTRIBUTE, 1);
        int sequencerIndex = io.in(SEQUENCER_INDEX, 1);
        int graphicsIndex = io.in(GRAPHICS_INDEX, 1);
        int crtcIndex = io.in(crtc, 1);
        mem.write8(p++, io.in(MISC_READ, 1));
        mem.write8(p++, sequencerIndex);
        mem.write8(p++, graphicsIndex);
        mem.write8(p++, crtcIndex);
        mem.write8(p++, attributeIndex);
        p = saveIndexed(SEQUENCER_INDEX, SEQUENCER_REGISTERS, p);
        p = saveIndexed(crtc, CRTC_REGISTERS, p);
        p = saveIndexed(GRAPHICS_INDEX, GRAPHICS_REGISTERS, p);
        for (int i = 0; i < ATTRIBUTE_REGISTERS; i++) {
            io.in(crtc + 6, 1);
            io.out(ATTRIBUTE, 1, i | attributeIndex & 0x20);
            mem.write8(p++, io.in(ATTRIBUTE_READ, 1));
        }
        io.in(crtc + 6, 1);
        io.out(ATTRIBUTE, 1, attributeIndex);
        io.in(crtc + 6, 1);
        restoreIndexes(sequencerIndex, graphicsIndex, crtc, crtcIndex);
        return p;
    }

    private int saveIndexed(int indexPort, int count, int p) {
        for (int i = 0; i < count; i++) {
            io.out(indexPort, 1, i);
            mem.write8(p++, io.in(indexPort + 1, 1));
        }
        return p;
    }

    private void restoreRegisters(int p) {
        int misc = mem.read8(p);
        io.out(MISC_WRITE, 1, misc);
        int crtc = (misc & 0x01) != 0 ? 0x3D4 : 0x3B4;
        int sequencerIndex = mem.read8(p + 1);
        int graphicsIndex = mem.read8(p + 2);
        int crtcIndex = mem.read8(p + 3);
        int attributeIndex = mem.read8(p + 4);
        int at = p + 5;
        at = restoreIndexed(SEQUENCER_INDEX, SEQUENCER_REGISTERS, at);
        io.out(crtc, 1, 0x11);
        io.out(crtc + 1, 1, mem.read8(at + 0x11) & 0x7F); // unprotect CR0-CR7 before writing them
        at = restoreIndexed(crtc, CRTC_REGISTERS, at);
        at = restoreIndexed(GRAPHICS_INDEX, GRAPHICS_REGISTERS, at);
        io.in(crtc + 6, 1);
        for (int i = 0; i < ATTRIBUTE_REGISTERS; i++) {
            io.out(ATTRIBUTE, 1, i | attributeIndex & 0x20);
            io.out(ATTRIBUTE, 1, mem.read8(at++));
        }
        io.in(crtc + 6, 1);
        io.out(ATTRIBUTE, 1, attributeIndex);
        io.in(crtc + 6, 1);
        restoreIndexes(sequencerIndex, graphicsIndex, crtc, crtcIndex);
    }

    private int restoreIndexed(int indexPort, int count, int at) {
        for (int i = 0; i < count; i++) {
            io.out(indexPort, 1, i);
            io.out(indexPort + 1, 1, mem.read8(at++));
        }
        return at;
    }

    private void restoreIndexes(int sequencer, int graphics, int crtcPort, int crtc) {
        io.out(SEQUENCER_INDEX, 1, sequencer);
        io.out(GRAPHICS_INDEX, 1, graphics);
        io.out(crtcPort, 1, crtc);
    }

    private int saveDac(int p) {
        mem.write8(p++, io.in(DAC_PIXEL_MASK, 1));
        mem.write8(p++, io.in(DAC_WRITE_INDEX, 1));
        io.out(DAC_READ_INDEX, 1, 0);
        for (int i = 0; i < 256 * 3; i++) {
            mem.write8(p++, io.in(DAC_DATA, 1));
        }
        return p;
    }

    private void restoreDac(int p) {
        io.out(DAC_PIXEL_MASK, 1, mem.read8(p));
        io.out(DAC_WRITE_INDEX, 1, 0);
        for (int i = 0; i < 256 * 3; i++) {
            io.out(DAC_DATA, 1, mem.read8(p + 2 + i));
        }
        io.out(DAC_WRITE_INDEX, 1, mem.read8(p + 1));
    }

    /**
     * The DISPI registers as a mode set writes them: off, resolution and depth, then on again (keeping video
     * memory), then what turning on resets (virtual width, display start) and the bank.
     */
    private void restoreDispi(int p) {
        int enable = mem.read16(p + 6);
        setDispi(DISPI_ENABLE, 0);
        for (int i = 0; i < DISPI_REGISTERS.length; i++) {
            int index = DISPI_REGISTERS[i];
            int value = mem.read16(p + 2 * i);
            if (index == DISPI_ENABLE) {
                setDispi(DISPI_ENABLE, (enable & DISPI_ENABLED) != 0 ? value | DISPI_NO_CLEAR : value);
            } else {
                setDispi(index, value);
            }
        }
    }

    private void setDispi(int index, int value) {
        io.out(DISPI_INDEX, 2, index);
        io.out(DISPI_DATA, 2, value);
    }
}
