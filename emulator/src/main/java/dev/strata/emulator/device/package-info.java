/**
 * PC devices, one sub-package each. Every device is a {@link dev.strata.emulator.device.Device}: it declares its
 * port ranges (8-bit ones through {@link dev.strata.emulator.device.PortDevice#ports}), its memory regions, its
 * reset and its saved-state section, and the machine plugs it in with all the others in one loop. Devices drive
 * interrupts through {@link dev.strata.emulator.device.IrqLine}s handed out by the interrupt controller and keep
 * time only through the virtual clock and its scheduler.
 */
package dev.strata.emulator.device;
