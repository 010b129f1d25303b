/**
 * The VGA adapter modelled for text mode ({@link dev.strata.emulator.device.vga.VgaDevice}): video memory at
 * A0000h-BFFFFh, CRTC, attribute controller, sequencer, graphics controller, DAC and retrace status; and
 * {@link dev.strata.emulator.device.vga.TextScreen}, the snapshot of the screen that tests and screen dumps read.
 */
package dev.strata.emulator.device.vga;
