package dev.strata.emulator.device.vga;

import dev.strata.emulator.state.StateClass;
import dev.strata.emulator.state.StateField;

/**
 * The VGA attribute controller at 3C0h/3C1h: one port takes an index and then a data byte, alternately, as a
 * flip-flop that reading input status 1 resets to "index". The index's bit 5 (palette address source) turns the
 * screen on when set.
 */
@StateClass("dev.strata.emulator.device.vga.AttributeController")
final class AttributeController {

    static final int REGISTERS = 0x15;
    static final int MODE_CONTROL = 0x10;
    static final int OVERSCAN = 0x11;
    static final int COLOR_PLANE_ENABLE = 0x12;
    static final int HORIZONTAL_PANNING = 0x13;
    static final int COLOR_SELECT = 0x14;

    @StateField("regs") private final int[] regs = new int[REGISTERS];
    @StateField("index") private int index;
    @StateField("expectingData") private boolean expectingData;

    AttributeController(int[] initial) {
        System.arraycopy(initial, 0, regs, 0, REGISTERS);
        index = 0x20;
    }

    /** Makes this a copy of {@code other} (a picture's registers). */
    void copyFrom(AttributeController other) {
        System.arraycopy(other.regs, 0, regs, 0, REGISTERS);
        index = other.index;
        expectingData = other.expectingData;
    }

    /** Takes a write of port 3C0h; true when it changed the picture (a register's value, or the screen on or off). */
    boolean write(int value) {
        value &= 0xFF;
        boolean changed = false;
        if (!expectingData) {
            changed = ((index ^ value) & 0x20) != 0;
            index = value & 0x3F;
        } else if ((index & 0x1F) < REGISTERS) {
            changed = regs[index & 0x1F] != value;
            regs[index & 0x1F] = value;
        }
        expectingData = !expectingData;
        return changed;
    }

    /** Port 3C0h read: the index with the palette address source bit. */
    int readIndex() {
        return index;
    }

    /** Port 3C1h read: the register the index selects. */
    int readData() {
        int reg = index & 0x1F;
        return reg < REGISTERS ? regs[reg] : 0;
    }

    void resetFlipFlop() {
        expectingData = false;
    }

    boolean expectingData() {
        return expectingData;
    }

    int get(int reg) {
        return regs[reg];
    }

    /** Palette address source: when clear, the CPU owns the palette and the screen shows the overscan colour. */
    boolean screenEnabled() {
        return (index & 0x20) != 0;
    }

    boolean blinkEnabled() {
        return (regs[MODE_CONTROL] & 0x08) != 0;
    }

    boolean graphicsMode() {
        return (regs[MODE_CONTROL] & 0x01) != 0;
    }
}
