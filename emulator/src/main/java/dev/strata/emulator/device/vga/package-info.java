/**
 * The VGA adapter ({@link dev.strata.emulator.device.vga.VgaDevice}): video memory at A0000h-BFFFFh with the
 * graphics controller's write and read modes, CRTC, attribute controller, sequencer, DAC and retrace status; the
 * renderer that turns them into an RGB frame for any mode; and {@link dev.strata.emulator.device.vga.TextScreen},
 * the snapshot of a text screen that tests and screen dumps read. On top of it the Bochs/QEMU DISPI interface for
 * VBE modes ({@code Dispi}, {@code LinearVideoMemory}, {@code DispiFrameRenderer}) and the PCI function whose BAR0
 * is the linear frame buffer ({@link dev.strata.emulator.device.vga.VgaPciFunction}).
 */
package dev.strata.emulator.device.vga;
