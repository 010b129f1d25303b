/**
 * Pictures of the machine's screen: {@link dev.strata.emulator.display.Frame}, the RGB frame a display adapter
 * renders, and {@link dev.strata.emulator.display.FramePng}, which saves one as a PNG screenshot.
 */
package dev.strata.emulator.display;
