/**
 * The PS/2 mouse ({@link dev.strata.emulator.device.mouse.Ps2Mouse}) that sits on the 8042's auxiliary port
 * ({@link dev.strata.emulator.device.keyboard.Kbc8042#attachAux}): its commands, its packets and the host's motion
 * and buttons.
 */
package dev.strata.emulator.device.mouse;
