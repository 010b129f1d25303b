package dev.strata.bios;

import dev.strata.emulator.machine.PcHardware;
import dev.strata.emulator.state.StateClass;
import dev.strata.emulator.state.StateField;

/**
 * The keyboard: the Java half of the IRQ 1 handler (a set-1 scan code becomes shift-state changes or a word in the
 * BDA keyboard buffer; Ctrl-Alt-Del resets the machine) and INT 16h, which reads that buffer. INT 16h AH=00h waits
 * for a key in HLT, not in Java; a busy loop of AH=01h status polls waits for the next interrupt too (see
 * {@link PollIdleDetector}). Every INT 16h call tells the keyboard controller's read listener that the guest reads
 * keys, which is when {@code --type} starts typing.
 */
@StateClass("dev.strata.bios.KeyboardServices")
final class KeyboardServices {

    private static final int RIGHT_SHIFT = 0x01, LEFT_SHIFT = 0x02, CTRL = 0x04, ALT = 0x08, SCROLL = 0x10,
            NUM = 0x20, CAPS = 0x40, INSERT = 0x80;
    private static final int LAST_E0 = 0x02, LAST_E1 = 0x01, RIGHT_CTRL = 0x04, RIGHT_ALT = 0x08;

    private final transient PcHardware hw;
    private final transient BiosDataArea bda;
    @StateField("idle") private final PollIdleDetector idle = new PollIdleDetector();

    KeyboardServices(PcHardware hw) {
        this.hw = hw;
        this.bda = new BiosDataArea(hw.memory());
    }

    // ---- IRQ 1 --------------------------------------------------------------------------------------------------

    /**
     * Handles one byte read from port 60h (already offered to INT 15h AH=4Fh).
     *
     * @return true when the byte completed Ctrl-Break: the ROM handler then calls INT 1Bh
     */
    boolean scanCode(int code) {
        int flags3 = bda.read8(BiosDataArea.KB_FLAGS_3);
        if (code == 0xE0) {
            bda.write8(BiosDataArea.KB_FLAGS_3, flags3 | LAST_E0);
            return false;
        }
        if (code == 0xE1) {
            bda.write8(BiosDataArea.KB_FLAGS_3, flags3 | LAST_E1);
            return false;
        }
        boolean e0 = (flags3 & LAST_E0) != 0;
        boolean e1 = (flags3 & LAST_E1) != 0;
        bda.write8(BiosDataArea.KB_FLAGS_3, flags3 & ~(LAST_E0 | LAST_E1));
        if (e1) {
            if ((code & 0x7F) == 0x1D) {
                bda.write8(BiosDataArea.KB_FLAGS_3, flags3 & ~LAST_E0 | LAST_E1); // Pause: E1 1D 45, skip both
            }
            return false;
        }
        if (code == 0x00 || code == 0xFF || code == 0xFA || code == 0xFE) {
            return false; // overrun and command replies are not keys (AAh is Left Shift's release)
        }
        boolean release = (code & 0x80) != 0;
        int scan = code & 0x7F;
        if (e0 && (scan == 0x2A || scan == 0x36)) {
            return false; // the fake shifts around extended keys
        }
        int flags1 = bda.read8(BiosDataArea.KB_FLAGS_1);
        int flags2 = bda.read8(BiosDataArea.KB_FLAGS_2);
        switch (scan) {
            case 0x2A -> setFlag(BiosDataArea.KB_FLAGS_1, LEFT_SHIFT, !release);
            case 0x36 -> setFlag(BiosDataArea.KB_FLAGS_1, RIGHT_SHIFT, !release);
            case 0x1D -> {
                setFlag(e0 ? BiosDataArea.KB_FLAGS_3 : BiosDataArea.KB_FLAGS_2, e0 ? RIGHT_CTRL : 0x01, !release);
                boolean any = (bda.read8(BiosDataArea.KB_FLAGS_2) & 0x01) != 0
                        || (bda.read8(BiosDataArea.KB_FLAGS_3) & RIGHT_CTRL) != 0;
                setFlag(BiosDataArea.KB_FLAGS_1, CTRL, any);
            }
            case 0x38 -> {
                setFlag(e0 ? BiosDataArea.KB_FLAGS_3 : BiosDataArea.KB_FLAGS_2, e0 ? RIGHT_ALT : 0x02, !release);
                boolean any = (bda.read8(BiosDataArea.KB_FLAGS_2) & 0x02) != 0
                        || (bda.read8(BiosDataArea.KB_FLAGS_3) & RIGHT_ALT) != 0;
                setFlag(BiosDataArea.KB_FLAGS_1, ALT, any);
            }
            case 0x3A -> toggle(flags1, flags2, CAPS, 0x40, release);
            case 0x45 -> toggle(flags1, flags2, NUM, 0x20, release);
            case 0x46 -> {
                if ((flags1 & CTRL) != 0) {
                    if (!release) {
                        controlBreak();
                        return true;
                    }
                } else {
                    toggle(flags1, flags2, SCROLL, 0x10, release);
                }
            }
            default -> {
                if (!release) {
                    keyDown(scan, e0, flags1);
                } else if (scan == 0x52 && (e0 || (flags1 & NUM) == 0)) {
                    setFlag(BiosDataArea.KB_FLAGS_2, 0x80, false);
                }
            }
        }
        return false;
    }

    /** Ctrl-Break: empties the buffer, leaves a zero word in it and sets the break flag (bit 7 of 40:71). */
    private void controlBreak() {
        int start = bda.read16(BiosDataArea.KB_BUFFER_START);
        bda.write16(BiosDataArea.KB_HEAD, start);
        bda.write16(BiosDataArea.KB_TAIL, start);
        bda.write8(BiosDataArea.BREAK_FLAG, 0x80);
        store(0x0000);
    }

    private void toggle(int flags1, int flags2, int lockBit, int heldBit, boolean release) {
        if (release) {
            bda.write8(BiosDataArea.KB_FLAGS_2, flags2 & ~heldBit);
        } else if ((flags2 & heldBit) == 0) {
            bda.write8(BiosDataArea.KB_FLAGS_2, flags2 | heldBit);
            bda.write8(BiosDataArea.KB_FLAGS_1, flags1 ^ lockBit);
            updateLeds(flags1 ^ lockBit);
        }
    }

    /**
     * Lights the keyboard's lock LEDs (command EDh): Scroll Lock bit 0, Num Lock bit 1, Caps Lock bit 2. The
     * keyboard's acknowledgements come back through IRQ 1 and are dropped there.
     */
    private void updateLeds(int flags1) {
        int leds = flags1 >> 4 & 7;
        bda.write8(BiosDataArea.KB_LEDS, bda.read8(BiosDataArea.KB_LEDS) & ~7 | leds);
        hw.io().out(0x60, 1, 0xED);
        hw.io().out(0x60, 1, leds);
    }

    private void setFlag(int field, int bit, boolean on) {
        int v = bda.read8(field);
        bda.write8(field, on ? v | bit : v & ~bit);
    }

    private void keyDown(int scan, boolean e0, int flags1) {
        boolean ctrl = (flags1 & CTRL) != 0;
        boolean alt = (flags1 & ALT) != 0;
        boolean shift = (flags1 & (LEFT_SHIFT | RIGHT_SHIFT)) != 0;
        if (ctrl && alt && scan == 0x53) {
            bda.write16(BiosDataArea.WARM_BOOT_FLAG, 0x1234);
            hw.requestReset();
            return;
        }
        int word;
        if (e0) {
            word = extendedKey(scan, ctrl, alt);
        } else {
            int state;
            if (alt) {
                state = ScanCodeTable.ALT;
            } else if (ctrl) {
                state = ScanCodeTable.CTRL;
            } else {
                boolean shifted = shift;
                if (ScanCodeTable.letter(scan) && (flags1 & CAPS) != 0
                        || ScanCodeTable.keypad(scan) && (flags1 & NUM) != 0) {
                    shifted = !shifted;
                }
                state = shifted ? ScanCodeTable.SHIFT : ScanCodeTable.NORMAL;
            }
            word = ScanCodeTable.lookup(scan, state);
        }
        if (scan == 0x52 && !alt && !ctrl && (e0 || (flags1 & NUM) == 0 ^ shift)) {
            int flags2 = bda.read8(BiosDataArea.KB_FLAGS_2);
            if ((flags2 & 0x80) == 0) {
                bda.write8(BiosDataArea.KB_FLAGS_2, flags2 | 0x80);
                bda.write8(BiosDataArea.KB_FLAGS_1, bda.read8(BiosDataArea.KB_FLAGS_1) ^ INSERT);
            }
        }
        if (word != 0) {
            store(word);
        }
    }

    /** The grey keys (E0h-prefixed): cursor keys report E0h as their ASCII byte, as enhanced keyboards do. */
    private static int extendedKey(int scan, boolean ctrl, boolean alt) {
        switch (scan) {
            case 0x1C:
                return alt ? 0xA600 : ctrl ? 0xE00A : 0xE00D;
            case 0x35:
                return alt ? 0xA400 : ctrl ? 0x9500 : 0xE02F;
            case 0x47: case 0x48: case 0x49: case 0x4B: case 0x4D: case 0x4F: case 0x50: case 0x51: case 0x52:
            case 0x53: {
                if (alt) {
                    return (scan + 0x50) << 8;
                }
                int w = ScanCodeTable.lookup(scan, ctrl ? ScanCodeTable.CTRL : ScanCodeTable.NORMAL);
                return w & 0xFF00 | 0xE0;
            }
            default:
                return 0;
        }
    }

    /** Puts a word in the circular buffer; returns false (key lost) when it is full. */
    boolean store(int word) {
        int start = bda.read16(BiosDataArea.KB_BUFFER_START);
        int end = bda.read16(BiosDataArea.KB_BUFFER_END);
        int head = bda.read16(BiosDataArea.KB_HEAD);
        int tail = bda.read16(BiosDataArea.KB_TAIL);
        int next = tail + 2;
        if (next >= end) {
            next = start;
        }
        if (next == head) {
            return false;
        }
        bda.write16(tail, word);
        bda.write16(BiosDataArea.KB_TAIL, next);
        return true;
    }

    /** The guest asked the BIOS for other work (output, disks) between polls, so its polling is not idleness. */
    void otherService() {
        idle.inputSeen();
    }

    // ---- INT 16h --------------------------------------------------------------------------------------------------

    void call(BiosCall c) {
        hw.keyboardController().reportKeyboardRead();
        switch (c.ah()) {
            case 0x00, 0x10 -> {
                int word = take(c.ah() == 0x10);
                if (word < 0) {
                    c.waitAndRetry();
                } else {
                    idle.inputSeen();
                    c.setAx(word);
                }
            }
            case 0x01, 0x11 -> {
                int word = peek(c.ah() == 0x11);
                if (word >= 0) {
                    idle.inputSeen();
                } else if (c.retry) {
                    idle.waited(c.cpu.instructions);
                } else if (idle.emptyPoll(c.cpu.instructions) && c.idleAndRetry()) {
                    return; // asked again after the next interrupt, which may be the key
                }
                c.zero(word < 0);
                if (word >= 0) {
                    c.setAx(word);
                }
            }
            case 0x02 -> c.setAl(bda.read8(BiosDataArea.KB_FLAGS_1));
            case 0x12 -> {
                c.setAl(bda.read8(BiosDataArea.KB_FLAGS_1));
                int f2 = bda.read8(BiosDataArea.KB_FLAGS_2);
                int f3 = bda.read8(BiosDataArea.KB_FLAGS_3);
                c.setAh(f2 & 0x73 | f3 & (RIGHT_CTRL | RIGHT_ALT));
            }
            case 0x03 -> {
                if (c.al() == 0x05) { // set rate: keyboard command F3h with delay (BH) and rate (BL)
                    hw.io().out(0x60, 1, 0xF3);
                    hw.io().out(0x60, 1, (c.bh() & 3) << 5 | c.bl() & 0x1F);
                }
            }
            case 0x05 -> c.setAl(store(c.cx()) ? 0 : 1);
            case 0x09 -> c.setAl(0x30); // 10h-12h supported, typematic get
            case 0x0A -> c.setBx(0x41AB); // MF2 keyboard ID
            default -> { }
        }
    }

    /** Removes the oldest word; -1 when the buffer is empty. Non-extended callers see grey keys as plain ones. */
    private int take(boolean extended) {
        int word = peek(extended);
        if (word >= 0) {
            int head = bda.read16(BiosDataArea.KB_HEAD) + 2;
            if (head >= bda.read16(BiosDataArea.KB_BUFFER_END)) {
                head = bda.read16(BiosDataArea.KB_BUFFER_START);
            }
            bda.write16(BiosDataArea.KB_HEAD, head);
        }
        return word;
    }

    private int peek(boolean extended) {
        int head = bda.read16(BiosDataArea.KB_HEAD);
        if (head == bda.read16(BiosDataArea.KB_TAIL)) {
            return -1;
        }
        int word = bda.read16(head);
        if (!extended && (word & 0xFF) == 0xE0 && (word & 0xFF00) != 0) {
            word &= 0xFF00;
        }
        return word;
    }
}
