package dev.strata.bios;

import dev.strata.emulator.memory.PhysicalMemory;

/**
 * The BIOS data area at 0040:0000 (physical 400h): the fields the services keep there, by their IBM offsets, with
 * byte and word access. Guests read and patch these fields directly, so the services keep their state here rather
 * than in Java fields wherever the PC keeps it here.
 */
final class BiosDataArea {

    static final int BASE = 0x400;

    static final int COM_PORTS = 0x00;
    static final int LPT_PORTS = 0x08;
    static final int EBDA_SEGMENT = 0x0E;
    static final int EQUIPMENT = 0x10;
    static final int MEMORY_KIB = 0x13;
    static final int KB_FLAGS_1 = 0x17;
    static final int KB_FLAGS_2 = 0x18;
    static final int KB_ALT_KEYPAD = 0x19;
    static final int KB_HEAD = 0x1A;
    static final int KB_TAIL = 0x1C;
    static final int KB_BUFFER = 0x1E;
    static final int FLOPPY_RECALIBRATE = 0x3E;
    static final int FLOPPY_MOTOR = 0x3F;
    static final int FLOPPY_MOTOR_TIMEOUT = 0x40;
    static final int FLOPPY_STATUS = 0x41;
    static final int VIDEO_MODE = 0x49;
    static final int VIDEO_COLUMNS = 0x4A;
    static final int VIDEO_PAGE_SIZE = 0x4C;
    static final int VIDEO_PAGE_OFFSET = 0x4E;
    static final int CURSOR_POSITIONS = 0x50;
    static final int CURSOR_SHAPE = 0x60;
    static final int VIDEO_PAGE = 0x62;
    static final int CRTC_BASE = 0x63;
    static final int VIDEO_MODE_CONTROL = 0x65;
    static final int VIDEO_PALETTE = 0x66;
    static final int WARM_BOOT_FLAG = 0x72;
    static final int TIMER_TICKS = 0x6C;
    static final int TIMER_ROLLOVER = 0x70;
    static final int BREAK_FLAG = 0x71;
    static final int HARD_DISK_STATUS = 0x74;
    static final int HARD_DISK_COUNT = 0x75;
    static final int LPT_TIMEOUTS = 0x78;
    static final int COM_TIMEOUTS = 0x7C;
    static final int KB_BUFFER_START = 0x80;
    static final int KB_BUFFER_END = 0x82;
    static final int VIDEO_ROWS = 0x84;
    static final int CHAR_HEIGHT = 0x85;
    static final int VIDEO_EGA_INFO = 0x87;
    static final int VIDEO_EGA_SWITCHES = 0x88;
    static final int VIDEO_FLAGS = 0x89;
    static final int VIDEO_DCC_INDEX = 0x8A;
    static final int FLOPPY_MEDIA_STATE = 0x90;
    static final int KB_FLAGS_3 = 0x96;
    static final int KB_LEDS = 0x97;
    static final int WAIT_FLAG = 0xA0;

    /** The keyboard buffer: 16 words at 40:1E..40:3D, as offsets from 0040h. */
    static final int KB_BUFFER_FIRST = 0x1E;
    static final int KB_BUFFER_LIMIT = 0x3E;

    /** BIOS timer ticks in 24 hours (1 800 B0h, the IBM value). */
    static final int TICKS_PER_DAY = 0x1800B0;

    private final PhysicalMemory mem;

    BiosDataArea(PhysicalMemory mem) {
        this.mem = mem;
    }

    int read8(int field) {
        return mem.read8(BASE + field);
    }

    int read16(int field) {
        return mem.read16(BASE + field);
    }

    int read32(int field) {
        return mem.read32(BASE + field);
    }

    void write8(int field, int v) {
        mem.write8(BASE + field, v);
    }

    void write16(int field, int v) {
        mem.write16(BASE + field, v);
    }

    void write32(int field, int v) {
        mem.write32(BASE + field, v);
    }
}
