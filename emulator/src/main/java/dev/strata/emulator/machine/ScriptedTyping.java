package dev.strata.emulator.machine;

import dev.strata.emulator.device.keyboard.TextTyper;

/**
 * Types a text on a machine's keyboard once the guest starts reading the keyboard, and again after each reset it is
 * re-armed for: what {@code strata run --type} does. "Reading the keyboard" is what the keyboard controller reports
 * (a read of port 60h, a loop polling port 64h for a byte, or a call of the BIOS's INT 16h services), so the start
 * is an instruction of the guest's, the same one in every deterministic run, and a guest still booting is not
 * typed at. From there the keys follow at the {@link dev.strata.emulator.device.keyboard.KeyInputQueue}'s pace.
 * A guest that never reads the keyboard gets nothing typed. Use it on the CPU thread, or before the machine runs.
 */
public final class ScriptedTyping {

    private final PcMachine machine;
    private final String text;
    private boolean armed;

    /**
     * Arms typing {@code text} on {@code machine}; takes over the keyboard controller's read listener.
     *
     * @throws IllegalArgumentException naming the first character a US keyboard cannot type
     */
    public ScriptedTyping(PcMachine machine, String text) {
        TextTyper.strokes(text);
        this.machine = machine;
        this.text = text;
        machine.keyboardController().setKeyboardReadListener(this::guestReadsKeyboard);
        armed = true;
    }

    /** Types the text again at the guest's next read of the keyboard (after a reset, say). */
    public void rearm() {
        armed = true;
    }

    /** True while the text waits for the guest to read the keyboard. */
    public boolean armed() {
        return armed;
    }

    private void guestReadsKeyboard() {
        if (armed) {
            armed = false;
            machine.keyInput().type(text);
        }
    }
}
