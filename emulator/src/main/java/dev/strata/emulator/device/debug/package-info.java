/**
 * Ports firmware and test programs use to report progress without a screen: the POST code port 80h
 * ({@link dev.strata.emulator.device.debug.PostCodePort}) and the Bochs/QEMU debug console port E9h
 * ({@link dev.strata.emulator.device.debug.DebugConsolePort}).
 */
package dev.strata.emulator.device.debug;
