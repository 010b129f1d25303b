/**
 * The 8042 keyboard controller at ports 60h/64h ({@link dev.strata.emulator.device.keyboard.Kbc8042}) with its
 * A20 gate and reset line, the AT keyboard behind it ({@link dev.strata.emulator.device.keyboard.AtKeyboard}), the
 * set 2 to set 1 translation, and host input: {@link dev.strata.emulator.device.keyboard.Key} presses, and text
 * typed on the virtual clock by {@link dev.strata.emulator.device.keyboard.KeyInputQueue}.
 */
package dev.strata.emulator.device.keyboard;
