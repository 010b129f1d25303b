package dev.strata.bios;

import java.util.List;

/**
 * A VBE mode the BIOS offers: its number and the resolution and depth it programs into the VGA's DISPI registers.
 * The numbers are the VESA ones for 8 to 24 bits per pixel and, for 32 bits (which VESA never numbered), those of
 * QEMU's VGA BIOS, so programs written for either find their modes.
 */
record VbeMode(int number, int width, int height, int bitsPerPixel) {

    static final List<VbeMode> ALL = List.of(
            new VbeMode(0x101, 640, 480, 8), new VbeMode(0x103, 800, 600, 8), new VbeMode(0x105, 1024, 768, 8),
            new VbeMode(0x107, 1280, 1024, 8),
            new VbeMode(0x110, 640, 480, 15), new VbeMode(0x113, 800, 600, 15), new VbeMode(0x116, 1024, 768, 15),
            new VbeMode(0x111, 640, 480, 16), new VbeMode(0x114, 800, 600, 16), new VbeMode(0x117, 1024, 768, 16),
            new VbeMode(0x11A, 1280, 1024, 16),
            new VbeMode(0x112, 640, 480, 24), new VbeMode(0x115, 800, 600, 24), new VbeMode(0x118, 1024, 768, 24),
            new VbeMode(0x142, 640, 480, 32), new VbeMode(0x143, 800, 600, 32), new VbeMode(0x144, 1024, 768, 32),
            new VbeMode(0x145, 1280, 1024, 32));

    /** The mode numbered {@code number} (bits 8-0 of a 4F02h request), or null. */
    static VbeMode of(int number) {
        for (VbeMode m : ALL) {
            if (m.number == number) {
                return m;
            }
        }
        return null;
    }

    /** The mode with this resolution and depth, or null (to answer 4F03h from the DISPI registers). */
    static VbeMode of(int width, int height, int bitsPerPixel) {
        for (VbeMode m : ALL) {
            if (m.width == width && m.height == height && m.bitsPerPixel == bitsPerPixel) {
                return m;
            }
        }
        return null;
    }

    int bytesPerPixel() {
        return (bitsPerPixel + 7) / 8;
    }

    int bytesPerLine() {
        return width * bytesPerPixel();
    }
}
