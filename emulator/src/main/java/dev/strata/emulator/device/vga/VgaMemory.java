package dev.strata.emulator.device.vga;

import dev.strata.emulator.state.StateClass;
import dev.strata.emulator.state.StateField;

/**
 * The VGA's 256 KiB of video memory as four 64 KiB planes, and how the CPU's window at A0000h-BFFFFh reaches them:
 * the memory map select of graphics register 6 chooses the window, and the sequencer's map mask, the odd/even and
 * chain-4 modes and the read map select choose the planes. Text modes keep characters in plane 0, attributes in
 * plane 1 and fonts in plane 2; in odd/even mode the CPU sees characters and attributes interleaved. Writes are
 * stored as given (write mode 0 with no rotation, logic or bit mask), which is what text-mode software uses.
 */
@StateClass("dev.strata.emulator.device.vga.VgaMemory")
final class VgaMemory {

    static final int WINDOW_BASE = 0xA0000;
    static final int WINDOW_END = 0xC0000;
    static final int PLANE_SIZE = 0x10000;

    private static final int SEQ_MAP_MASK = 2;
    private static final int SEQ_MEMORY_MODE = 4;
    private static final int GC_READ_MAP_SELECT = 4;
    private static final int GC_MODE = 5;
    private static final int GC_MISC = 6;

    @StateField("planes") final byte[][] planes = new byte[4][PLANE_SIZE];
    @StateField("sequencer") private final int[] sequencer;
    @StateField("graphics") private final int[] graphics;

    VgaMemory(int[] sequencer, int[] graphics) {
        this.sequencer = sequencer;
        this.graphics = graphics;
    }

    /** Offset of {@code address} inside the window the memory map selects, or -1 when the VGA does not decode it. */
    int windowOffset(int address) {
        switch (graphics[GC_MISC] >> 2 & 3) {
            case 0:
                return address >= WINDOW_BASE && address < WINDOW_END ? address - WINDOW_BASE : -1;
            case 1:
                return address >= WINDOW_BASE && address < 0xB0000 ? address - WINDOW_BASE : -1;
            case 2:
                return address >= 0xB0000 && address < 0xB8000 ? address - 0xB0000 : -1;
            default:
                return address >= 0xB8000 && address < WINDOW_END ? address - 0xB8000 : -1;
        }
    }

    int read(int address) {
        int offset = windowOffset(address);
        if (offset < 0) {
            return 0xFF;
        }
        offset &= PLANE_SIZE - 1;
        if ((sequencer[SEQ_MEMORY_MODE] & 0x08) != 0) {
            return planes[offset & 3][offset & ~3] & 0xFF;
        }
        if ((graphics[GC_MODE] & 0x10) != 0) {
            int plane = graphics[GC_READ_MAP_SELECT] & 2 | offset & 1;
            return planes[plane][offset & ~1] & 0xFF;
        }
        return planes[graphics[GC_READ_MAP_SELECT] & 3][offset] & 0xFF;
    }

    void write(int address, int value) {
        int offset = windowOffset(address);
        if (offset < 0) {
            return;
        }
        offset &= PLANE_SIZE - 1;
        byte b = (byte) value;
        int mask = sequencer[SEQ_MAP_MASK] & 0x0F;
        if ((sequencer[SEQ_MEMORY_MODE] & 0x08) != 0) {
            int plane = offset & 3;
            if ((mask >> plane & 1) != 0) {
                planes[plane][offset & ~3] = b;
            }
        } else if ((sequencer[SEQ_MEMORY_MODE] & 0x04) == 0) {
            // Odd/even: even addresses reach planes 0 and 2, odd ones planes 1 and 3, at the even offset.
            mask &= (offset & 1) == 0 ? 0x5 : 0xA;
            int even = offset & ~1;
            for (int plane = 0; plane < 4; plane++) {
                if ((mask >> plane & 1) != 0) {
                    planes[plane][even] = b;
                }
            }
        } else {
            for (int plane = 0; plane < 4; plane++) {
                if ((mask >> plane & 1) != 0) {
                    planes[plane][offset] = b;
                }
            }
        }
    }
}
