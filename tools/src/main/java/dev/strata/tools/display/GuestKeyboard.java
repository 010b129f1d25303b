package dev.strata.tools.display;

import dev.strata.emulator.device.keyboard.Key;

/** Where the window's keys go: the guest's keyboard (on the CPU thread, in the order they were pressed). */
public interface GuestKeyboard {

    void press(Key key);

    void release(Key key);
}
