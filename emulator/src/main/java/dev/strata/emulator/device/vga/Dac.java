package dev.strata.emulator.device.vga;

import dev.strata.emulator.state.StateClass;
import dev.strata.emulator.state.StateField;

/**
 * The VGA's colour look-up table (DAC) at 3C6h-3C9h: 256 entries of three components, read and written a component
 * at a time with separate read and write indexes, plus the pixel mask. Components have 6 bits, as on every VGA, or
 * 8 bits while the DISPI interface's 8-bit DAC bit is set (VBE AX=4F08h); switching the width scales the table, as
 * Bochs does, so the colours stay what they were.
 */
@StateClass("dev.strata.emulator.device.vga.Dac")
final class Dac {

    @StateField("rgb") private final int[] rgb = new int[256 * 3];
    @StateField("writeIndex") private int writeIndex;
    @StateField("readIndex") private int readIndex;
    @StateField("component") private int component;
    @StateField("readMode") private boolean readMode;
    @StateField("pixelMask") private int pixelMask = 0xFF;
    /** Components of 8 bits instead of 6. Follows the DISPI enable register, which saved state holds. */
    private transient boolean eightBit;

    Dac() {
        // Entries 0-63 hold the EGA palette, as the BIOS loads them for the text modes.
        for (int i = 0; i < 64; i++) {
            rgb[i * 3] = ((i >> 2 & 1) != 0 ? 0x2A : 0) + ((i >> 5 & 1) != 0 ? 0x15 : 0);
            rgb[i * 3 + 1] = ((i >> 1 & 1) != 0 ? 0x2A : 0) + ((i >> 4 & 1) != 0 ? 0x15 : 0);
            rgb[i * 3 + 2] = ((i & 1) != 0 ? 0x2A : 0) + ((i >> 3 & 1) != 0 ? 0x15 : 0);
        }
    }

    /** Makes this a copy of {@code other} (a picture's colours). */
    void copyFrom(Dac other) {
        System.arraycopy(other.rgb, 0, rgb, 0, rgb.length);
        writeIndex = other.writeIndex;
        readIndex = other.readIndex;
        component = other.component;
        readMode = other.readMode;
        pixelMask = other.pixelMask;
        eightBit = other.eightBit;
    }

    void setReadIndex(int value) {
        readIndex = value & 0xFF;
        component = 0;
        readMode = true;
    }

    void setWriteIndex(int value) {
        writeIndex = value & 0xFF;
        component = 0;
        readMode = false;
    }

    int writeIndex() {
        return writeIndex;
    }

    /** Port 3C7h read: 3 while the DAC is set up for reading, 0 for writing. */
    int state() {
        return readMode ? 0x03 : 0x00;
    }

    void writeData(int value) {
        rgb[writeIndex * 3 + component] = value & (eightBit ? 0xFF : 0x3F);
        if (++component == 3) {
            component = 0;
            writeIndex = (writeIndex + 1) & 0xFF;
        }
    }

    int readData() {
        int value = rgb[readIndex * 3 + component];
        if (++component == 3) {
            component = 0;
            readIndex = (readIndex + 1) & 0xFF;
        }
        return value;
    }

    int pixelMask() {
        return pixelMask;
    }

    void setPixelMask(int value) {
        pixelMask = value & 0xFF;
    }

    boolean eightBit() {
        return eightBit;
    }

    /**
     * Sets the component width to 8 bits or back to 6. With {@code scale} the table is converted (shifted by two
     * bits) so every colour stays as it was; without, the values are taken as they are (a restored state, whose
     * table was saved in the width it had).
     */
    void setEightBit(boolean on, boolean scale) {
        if (on == eightBit) {
            return;
        }
        eightBit = on;
        if (scale) {
            for (int i = 0; i < rgb.length; i++) {
                rgb[i] = on ? rgb[i] << 2 : rgb[i] >> 2;
            }
        }
    }

    /** Entry {@code index} as 6-bit components packed red << 12 | green << 6 | blue (the top six of eight bits). */
    int entry(int index) {
        int i = (index & 0xFF) * 3;
        int shift = eightBit ? 2 : 0;
        return (rgb[i] >> shift) << 12 | (rgb[i + 1] >> shift) << 6 | rgb[i + 2] >> shift;
    }

    /** Entry {@code index} as an opaque 0xAARRGGBB colour, 6-bit components widened to 8 bits. */
    int argb(int index) {
        int i = (index & 0xFF) * 3;
        if (eightBit) {
            return 0xFF000000 | rgb[i] << 16 | rgb[i + 1] << 8 | rgb[i + 2];
        }
        return 0xFF000000 | sixToEight(rgb[i]) << 16 | sixToEight(rgb[i + 1]) << 8 | sixToEight(rgb[i + 2]);
    }

    private static int sixToEight(int v) {
        return (v << 2 | v >> 4) & 0xFF;
    }
}
