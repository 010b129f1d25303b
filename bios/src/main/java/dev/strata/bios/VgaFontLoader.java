package dev.strata.bios;

import dev.strata.emulator.io.IoBus;
import dev.strata.emulator.memory.PhysicalMemory;

/**
 * Loads glyphs into the VGA's plane 2, where its text modes read their fonts: it opens plane 2 at A0000h through
 * the sequencer and graphics controller, writes 32 bytes a character slot into one of the eight character map
 * blocks, and puts back the text mode's registers, as a video BIOS does.
 */
final class VgaFontLoader {

    /** Where each of the eight character map blocks starts in plane 2. */
    private static final int[] BLOCK_OFFSETS = {0x0000, 0x4000, 0x8000, 0xC000, 0x2000, 0x6000, 0xA000, 0xE000};

    private final PhysicalMemory mem;
    private final IoBus io;

    VgaFontLoader(PhysicalMemory mem, IoBus io) {
        this.mem = mem;
        this.io = io;
    }

    /**
     * Writes {@code count} glyphs of {@code height} lines from {@code glyphs} (one after another) as characters
     * {@code first} on in block {@code block}; {@code mode} is the text mode to restore the registers of.
     */
    void load(VideoMode mode, byte[] glyphs, int height, int first, int count, int block) {
        openPlane2();
        int slots = Math.max(0, Math.min(count, 256 - first));
        byte[] cells = new byte[slots * 32]; // 32 bytes a character slot, the lines past the glyph's height zero
        for (int i = 0; i < slots; i++) {
            System.arraycopy(glyphs, i * height, cells, i * 32, Math.min(height, 32));
        }
        // in one block: the VGA takes it in one go instead of a write through the memory map per byte
        mem.writeBlock(0xA0000 + BLOCK_OFFSETS[block & 7] + first * 32, cells, 0, cells.length);
        restore(mode);
    }

    /** Loads a font from guest memory at {@code address} (INT 10h AX=1100h/1110h). */
    void loadFromMemory(VideoMode mode, int address, int height, int first, int count, int block) {
        byte[] glyphs = new byte[Math.max(0, count) * height];
        for (int i = 0; i < glyphs.length; i++) {
            glyphs[i] = (byte) mem.read8(address + i);
        }
        load(mode, glyphs, height, first, count, block);
    }

    private void openPlane2() {
        seq(2, 0x04);
        seq(4, 0x07);
        gc(4, 0x02);
        gc(5, 0x00);
        gc(6, 0x04);
    }

    private void restore(VideoMode mode) {
        seq(2, mode.sequencer[2]);
        seq(4, mode.sequencer[4]);
        gc(4, mode.graphics[4]);
        gc(5, mode.graphics[5]);
        gc(6, mode.graphics[6]);
    }

    private void seq(int index, int value) {
        io.out(0x3C4, 1, index);
        io.out(0x3C5, 1, value);
    }

    private void gc(int index, int value) {
        io.out(0x3CE, 1, index);
        io.out(0x3CF, 1, value);
    }
}
