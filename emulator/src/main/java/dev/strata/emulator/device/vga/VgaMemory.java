package dev.strata.emulator.device.vga;

import dev.strata.emulator.memory.ByteFill;
import dev.strata.emulator.state.StateClass;
import dev.strata.emulator.state.StateField;
import dev.strata.emulator.state.StateLoadHook;
import dev.strata.emulator.state.StateReader;

/**
 * The VGA's 256 KiB of video memory as four 64 KiB planes, and how the CPU's window at A0000h-BFFFFh reaches them:
 * the memory map select of graphics register 6 chooses the window; the sequencer's map mask, odd/even and chain-4
 * modes choose the planes a write reaches; the graphics controller's write mode (0-3), data rotate and logical
 * function, set/reset, bit mask and latches make the bytes written; its read mode (0: the selected plane, 1: colour
 * compare) makes the byte read. Every read loads the latches with the four planes' bytes at that offset.
 *
 * <p>Text modes keep characters in plane 0, attributes in plane 1 and fonts in plane 2; in odd/even mode the CPU
 * sees characters and attributes interleaved. Their writes take a fast path: write mode 0 with no rotation, logic,
 * set/reset or bit mask stores the byte as given.
 */
@StateClass("dev.strata.emulator.device.vga.VgaMemory")
final class VgaMemory implements StateLoadHook {

    static final int WINDOW_BASE = 0xA0000;
    static final int WINDOW_END = 0xC0000;
    static final int PLANE_SIZE = 0x10000;

    static final int SEQ_MAP_MASK = 2;
    static final int SEQ_MEMORY_MODE = 4;
    static final int GC_SET_RESET = 0;
    static final int GC_ENABLE_SET_RESET = 1;
    static final int GC_COLOR_COMPARE = 2;
    static final int GC_DATA_ROTATE = 3;
    static final int GC_READ_MAP_SELECT = 4;
    static final int GC_MODE = 5;
    static final int GC_MISC = 6;
    static final int GC_COLOR_DONT_CARE = 7;
    static final int GC_BIT_MASK = 8;

    @StateField("planes") final byte[][] planes = new byte[4][PLANE_SIZE];
    @StateField("sequencer") private final int[] sequencer;
    @StateField("graphics") private final int[] graphics;
    /** The four latches, plane 0 in bits 7-0 up to plane 3 in bits 31-24. */
    @StateField(value = "latches", since = 2) private int latches;
    /** Derived from the graphics registers (see {@link #graphicsChanged}): writes store the CPU's byte as it is. */
    private transient boolean plainWrites = true;

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
        int plane;
        if ((sequencer[SEQ_MEMORY_MODE] & 0x08) != 0) {
            plane = offset & 3;
            offset &= ~3;
        } else if ((graphics[GC_MODE] & 0x10) != 0) {
            plane = graphics[GC_READ_MAP_SELECT] & 2 | offset & 1;
            offset &= ~1;
        } else {
            plane = graphics[GC_READ_MAP_SELECT] & 3;
        }
        latches = planes[0][offset] & 0xFF | (planes[1][offset] & 0xFF) << 8 | (planes[2][offset] & 0xFF) << 16
                | (planes[3][offset] & 0xFF) << 24;
        if ((graphics[GC_MODE] & 0x08) == 0) {
            return latches >>> plane * 8 & 0xFF;
        }
        return colorCompare();
    }

    /** Read mode 1: a bit is set where every plane the don't-care register includes matches the compare colour. */
    private int colorCompare() {
        int differ = 0;
        int care = graphics[GC_COLOR_DONT_CARE];
        int compare = graphics[GC_COLOR_COMPARE];
        for (int p = 0; p < 4; p++) {
            if ((care >> p & 1) != 0) {
                int expected = (compare >> p & 1) != 0 ? 0xFF : 0x00;
                differ |= (latches >>> p * 8 & 0xFF) ^ expected;
            }
        }
        return ~differ & 0xFF;
    }

    /**
     * Stores the CPU's byte; returns where it went, as the plane offset in bits 15-0 and the planes written in bits
     * 19-16, or -1 when the VGA does not decode {@code address} (an int, so the write path allocates nothing).
     */
    int write(int address, int value) {
        int offset = windowOffset(address);
        if (offset < 0) {
            return -1;
        }
        offset &= PLANE_SIZE - 1;
        int mask = sequencer[SEQ_MAP_MASK] & 0x0F;
        if ((sequencer[SEQ_MEMORY_MODE] & 0x08) != 0) {
            mask &= 1 << (offset & 3);
            offset &= ~3;
        } else if ((sequencer[SEQ_MEMORY_MODE] & 0x04) == 0) {
            // Odd/even: even addresses reach planes 0 and 2, odd ones planes 1 and 3, at the even offset.
            mask &= (offset & 1) == 0 ? 0x5 : 0xA;
            offset &= ~1;
        }
        if (plainWrites) {
            put(offset, mask, (byte) value, (byte) value);
            return offset | mask << 16;
        }
        for (int plane = 0; plane < 4; plane++) {
            if ((mask >> plane & 1) != 0) {
                planes[plane][offset] = (byte) planeData(plane, value & 0xFF);
            }
        }
        return offset | mask << 16;
    }

    /**
     * Stores {@code count} items of {@code size} bytes of {@code value} from {@code address} up, each byte as
     * {@link #write} would: in one loop with the registers read once where writes are plain (write mode 0 changing
     * nothing on the way), else byte by byte through {@link #write}.
     */
    void fill(int address, int size, int count, int value) {
        int bytes = size * count;
        if (!plainWrites) {
            for (int k = 0; k < bytes; k++) {
                write(address + k, value >>> 8 * (k % size));
            }
            return;
        }
        int mapMask = sequencer[SEQ_MAP_MASK] & 0x0F;
        boolean chain4 = (sequencer[SEQ_MEMORY_MODE] & 0x08) != 0;
        boolean oddEven = !chain4 && (sequencer[SEQ_MEMORY_MODE] & 0x04) == 0;
        int first = contiguousOffset(address, bytes);
        if (first >= 0 && !chain4 && !oddEven && sameBytes(value, size)) {
            // planar, one byte everywhere (the BIOS clearing all four planes): each plane's run is one array fill
            for (int plane = 0; plane < 4; plane++) {
                if ((mapMask >> plane & 1) != 0) {
                    ByteFill.fill(planes[plane], first, bytes, value, 1);
                }
            }
            return;
        }
        if (first >= 0 && oddEven && size == 2 && (first & 1) == 0) {
            // odd/even words from an even offset (the BIOS clearing text): the low byte to planes 0 and 2, the high
            // byte to planes 1 and 3, both at the word's offset
            byte low = (byte) value, high = (byte) (value >>> 8);
            for (int offset = first, end = first + bytes; offset < end; offset += 2) {
                put(offset, mapMask, low, high);
            }
            return;
        }
        for (int k = 0; k < bytes; k++) {
            storePlain(address + k, (byte) (value >>> 8 * (k % size)), mapMask, chain4, oddEven);
        }
    }

    /**
     * Stores {@code length} bytes of {@code src} from {@code from} at {@code address} up, each as {@link #write}
     * would, with the registers read once where writes are plain: how the BIOS loads a font into plane 2.
     */
    void writeBytes(int address, byte[] src, int from, int length) {
        if (!plainWrites) {
            for (int k = 0; k < length; k++) {
                write(address + k, src[from + k]);
            }
            return;
        }
        int mapMask = sequencer[SEQ_MAP_MASK] & 0x0F;
        boolean chain4 = (sequencer[SEQ_MEMORY_MODE] & 0x08) != 0;
        boolean oddEven = !chain4 && (sequencer[SEQ_MEMORY_MODE] & 0x04) == 0;
        int first = contiguousOffset(address, length);
        if (first >= 0 && !chain4 && !oddEven) {
            // planar (a font into plane 2): the bytes go to each enabled plane as they are
            for (int plane = 0; plane < 4; plane++) {
                if ((mapMask >> plane & 1) != 0) {
                    System.arraycopy(src, from, planes[plane], first, length);
                }
            }
            return;
        }
        for (int k = 0; k < length; k++) {
            storePlain(address + k, src[from + k], mapMask, chain4, oddEven);
        }
    }

    /**
     * The plane offset of {@code address} when the {@code bytes} from it all lie in the window one after another
     * without wrapping around a plane, else -1.
     */
    private int contiguousOffset(int address, int bytes) {
        int first = windowOffset(address);
        int last = windowOffset(address + bytes - 1);
        if (bytes <= 0 || first < 0 || last - first != bytes - 1 || first >>> 16 != last >>> 16) {
            return -1;
        }
        return first & PLANE_SIZE - 1;
    }

    /** {@link #write}'s plain store of one byte, with the sequencer's registers given. */
    private void storePlain(int address, byte b, int mapMask, boolean chain4, boolean oddEven) {
        int offset = windowOffset(address);
        if (offset < 0) {
            return;
        }
        offset &= PLANE_SIZE - 1;
        int mask = mapMask;
        if (chain4) {
            mask &= 1 << (offset & 3);
            offset &= ~3;
        } else if (oddEven) {
            mask &= (offset & 1) == 0 ? 0x5 : 0xA;
            offset &= ~1;
        }
        put(offset, mask, b, b);
    }

    /**
     * Stores {@code even} in planes 0 and 2 and {@code odd} in planes 1 and 3 at {@code offset}, in the planes of
     * {@code mask}: a plain write's byte (the same in all four), or an odd/even word's two bytes.
     */
    private void put(int offset, int mask, byte even, byte odd) {
        if ((mask & 1) != 0) {
            planes[0][offset] = even;
        }
        if ((mask & 2) != 0) {
            planes[1][offset] = odd;
        }
        if ((mask & 4) != 0) {
            planes[2][offset] = even;
        }
        if ((mask & 8) != 0) {
            planes[3][offset] = odd;
        }
    }

    /** True when the {@code size} bytes of {@code value} are all the same. */
    private static boolean sameBytes(int value, int size) {
        for (int k = 1; k < size; k++) {
            if ((value >>> 8 * k & 0xFF) != (value & 0xFF)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Call after any graphics controller register changes: works out whether writes are write mode 0 that changes
     * nothing on the way (what text modes and most chained writes use), so the write path need not look each time.
     */
    void graphicsChanged() {
        plainWrites = (graphics[GC_MODE] & 3) == 0 && graphics[GC_DATA_ROTATE] == 0
                && graphics[GC_BIT_MASK] == 0xFF && (graphics[GC_ENABLE_SET_RESET] & 0x0F) == 0;
    }

    @Override
    public void afterLoad(int savedVersion, StateReader r) {
        graphicsChanged();
    }

    /** The byte write modes 0-3 make for {@code plane} from the CPU's byte, the latches and the GC registers. */
    int planeData(int plane, int value) {
        int latch = latches >>> plane * 8 & 0xFF;
        int setReset = (graphics[GC_SET_RESET] >> plane & 1) != 0 ? 0xFF : 0x00;
        int bitMask = graphics[GC_BIT_MASK];
        int data;
        switch (graphics[GC_MODE] & 3) {
            case 0:
                data = (graphics[GC_ENABLE_SET_RESET] >> plane & 1) != 0 ? setReset : rotate(value);
                break;
            case 1:
                return latch;
            case 2:
                data = (value >> plane & 1) != 0 ? 0xFF : 0x00;
                break;
            default:
                bitMask &= rotate(value);
                data = setReset;
                break;
        }
        switch (graphics[GC_DATA_ROTATE] >> 3 & 3) {
            case 1 -> data &= latch;
            case 2 -> data |= latch;
            case 3 -> data ^= latch;
            default -> { }
        }
        return data & bitMask | latch & ~bitMask & 0xFF;
    }

    private int rotate(int value) {
        int count = graphics[GC_DATA_ROTATE] & 7;
        return (value >>> count | value << (8 - count)) & 0xFF;
    }

    int latches() {
        return latches;
    }
}
