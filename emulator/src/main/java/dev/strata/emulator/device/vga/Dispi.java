package dev.strata.emulator.device.vga;

import dev.strata.emulator.state.StateClass;
import dev.strata.emulator.state.StateField;
import dev.strata.emulator.state.StateLoadHook;
import dev.strata.emulator.state.StateReader;

/**
 * The Bochs/QEMU display interface ("DISPI", the registers behind their VBE BIOS): an index at port 1CEh and a
 * 16-bit data register at 1CFh select the resolution, colour depth (8, 15, 16, 24 or 32 bits per pixel), a virtual
 * screen with an x/y offset for panning, the 64 KiB bank the window at A0000h shows, and whether the mode is on.
 * While it is on, the picture comes from {@link LinearVideoMemory} instead of the VGA's planes.
 *
 * <p>Registers as QEMU's std VGA implements them: the ID register accepts B0C0h-B0C5h; turning the mode on resets
 * the virtual width and offsets and clears the visible part of memory unless the no-clear bit is given; with the
 * get-capabilities bit set the resolution and depth registers read their maximums; values that do not fit are
 * fixed up (an unknown depth becomes 8, widths round down to a multiple of 8, the virtual screen shrinks to fit
 * video memory).
 */
@StateClass("dev.strata.emulator.device.vga.Dispi")
final class Dispi implements StateLoadHook {

    static final int INDEX_PORT = 0x1CE;
    static final int DATA_PORT = 0x1CF;

    static final int ID = 0;
    static final int XRES = 1;
    static final int YRES = 2;
    static final int BPP = 3;
    static final int ENABLE = 4;
    static final int BANK = 5;
    static final int VIRT_WIDTH = 6;
    static final int VIRT_HEIGHT = 7;
    static final int X_OFFSET = 8;
    static final int Y_OFFSET = 9;
    static final int VIDEO_MEMORY_64K = 10;
    static final int REGISTERS = 10;

    static final int ID0 = 0xB0C0;
    static final int ID5 = 0xB0C5;
    static final int ENABLED = 0x01;
    static final int GETCAPS = 0x02;
    static final int DAC_8BIT = 0x20;
    static final int LFB_ENABLED = 0x40;
    static final int NO_CLEAR = 0x80;

    static final int MAX_XRES = 2560;
    static final int MAX_YRES = 1600;
    static final int MAX_BPP = 32;
    static final int BANK_SIZE = 0x10000;

    @StateField("regs") private final int[] regs = new int[REGISTERS];
    @StateField("index") private int index;
    @StateField("memory") final LinearVideoMemory memory = new LinearVideoMemory();
    /** Derived from the registers by {@link #derive}: where the shown picture starts, and its line length. */
    private transient int startOffset;
    private transient int lineBytes;
    private transient int bankOffset;

    Dispi() {
        reset();
    }

    /** Registers back to power-on (a machine reset): the mode off, ID B0C5h. Memory keeps its contents. */
    void reset() {
        java.util.Arrays.fill(regs, 0);
        regs[ID] = ID5;
        index = 0;
        derive();
    }

    int readIndex() {
        return index;
    }

    void writeIndex(int value) {
        index = value & 0xFFFF;
    }

    /** The data register as the current index selects it. */
    int readData() {
        if (index == VIDEO_MEMORY_64K) {
            return LinearVideoMemory.SIZE / BANK_SIZE;
        }
        if (index >= REGISTERS) {
            return 0;
        }
        if ((regs[ENABLE] & GETCAPS) != 0) {
            switch (index) {
                case XRES -> {
                    return MAX_XRES;
                }
                case YRES -> {
                    return MAX_YRES;
                }
                case BPP -> {
                    return MAX_BPP;
                }
                default -> { }
            }
        }
        return regs[index];
    }

    /**
     * Writes the data register at the current index.
     *
     * @return true when what the screen shows may have changed
     */
    boolean writeData(int value) {
        value &= 0xFFFF;
        switch (index) {
            case ID -> {
                if (value >= ID0 && value <= ID5) {
                    regs[ID] = value;
                }
                return false;
            }
            case XRES, YRES, BPP, VIRT_WIDTH, X_OFFSET, Y_OFFSET -> {
                regs[index] = value;
                if (enabled()) {
                    fixUp();
                }
                return enabled();
            }
            case BANK -> {
                regs[BANK] = value & (LinearVideoMemory.SIZE / BANK_SIZE - 1);
                derive();
                return false;
            }
            case ENABLE -> {
                return writeEnable(value);
            }
            default -> {
                return false; // VIRT_HEIGHT and VIDEO_MEMORY_64K are computed; others do not exist
            }
        }
    }

    private boolean writeEnable(int value) {
        boolean was = enabled();
        regs[ENABLE] = value & (ENABLED | GETCAPS | DAC_8BIT | LFB_ENABLED | NO_CLEAR);
        if ((value & ENABLED) != 0 && !was) {
            regs[VIRT_WIDTH] = 0;
            regs[X_OFFSET] = 0;
            regs[Y_OFFSET] = 0;
            fixUp();
            if ((value & NO_CLEAR) == 0) {
                memory.clear(0, regs[YRES] * lineBytes);
            }
        } else if ((value & ENABLED) == 0) {
            regs[BANK] = 0;
        }
        derive();
        return was || enabled();
    }

    /** Brings the mode registers into range and works out the virtual screen, as QEMU does. */
    private void fixUp() {
        int bpp = regs[BPP];
        if (bpp != 8 && bpp != 15 && bpp != 16 && bpp != 24 && bpp != 32) {
            bpp = 8;
        }
        regs[BPP] = bpp;
        int bytes = bytesPerPixel();
        int xres = Math.max(8, Math.min(MAX_XRES, regs[XRES] & ~7));
        int yres = Math.max(1, Math.min(MAX_YRES, regs[YRES]));
        int virtWidth = Math.max(xres, regs[VIRT_WIDTH]);
        if ((long) virtWidth * bytes * yres > LinearVideoMemory.SIZE) {
            virtWidth = Math.max(xres, LinearVideoMemory.SIZE / (bytes * yres));
        }
        if ((long) virtWidth * bytes * yres > LinearVideoMemory.SIZE) {
            yres = LinearVideoMemory.SIZE / (virtWidth * bytes);
        }
        int line = virtWidth * bytes;
        int virtHeight = Math.min(0xFFFF, LinearVideoMemory.SIZE / line);
        regs[XRES] = xres;
        regs[YRES] = yres;
        regs[VIRT_WIDTH] = virtWidth;
        regs[VIRT_HEIGHT] = virtHeight;
        regs[X_OFFSET] = Math.min(regs[X_OFFSET], virtWidth - xres);
        regs[Y_OFFSET] = Math.min(regs[Y_OFFSET], virtHeight - yres);
        derive();
    }

    private void derive() {
        lineBytes = Math.max(1, regs[VIRT_WIDTH]) * bytesPerPixel();
        startOffset = regs[Y_OFFSET] * lineBytes + regs[X_OFFSET] * bytesPerPixel();
        bankOffset = regs[BANK] * BANK_SIZE;
    }

    @Override
    public void afterLoad(int savedVersion, StateReader r) {
        derive();
    }

    boolean enabled() {
        return (regs[ENABLE] & ENABLED) != 0;
    }

    int register(int i) {
        return regs[i];
    }

    int width() {
        return regs[XRES];
    }

    int height() {
        return regs[YRES];
    }

    int bitsPerPixel() {
        return regs[BPP];
    }

    int bytesPerPixel() {
        return (regs[BPP] + 7) >> 3 == 0 ? 1 : (regs[BPP] + 7) >> 3;
    }

    /** Bytes from one line of the virtual screen to the next. */
    int lineBytes() {
        return lineBytes;
    }

    /** Where in video memory the picture's top left pixel is. */
    int startOffset() {
        return startOffset;
    }

    /** Where the 64 KiB window at A0000h starts in video memory. */
    int bankOffset() {
        return bankOffset;
    }
}
