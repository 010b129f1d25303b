/**
 * The VGA adapter ({@link dev.strata.emulator.device.vga.VgaDevice}): video memory at A0000h-BFFFFh with the
 * graphics controller's write and read modes, CRTC, attribute controller, sequencer, DAC and retrace status; the
 * copy of what the picture is made of that the CPU thread takes ({@link dev.strata.emulator.device.vga.VgaPicture},
 * handed to a display thread through {@link dev.strata.emulator.device.vga.PictureExchange}) and the renderer that
 * turns it into an RGB frame for any mode ({@link dev.strata.emulator.device.vga.ScreenRenderer}); and
 * {@link dev.strata.emulator.device.vga.TextScreen}, the snapshot of a text screen that tests and screen dumps read.
 * On top of it the Bochs/QEMU DISPI interface for
 * VBE modes ({@code Dispi}, {@code LinearVideoMemory}, {@code DispiFrameRenderer}) and the PCI function whose BAR0
 * is the linear frame buffer ({@link dev.strata.emulator.device.vga.VgaPciFunction}).
 */
package dev.strata.emulator.device.vga;
