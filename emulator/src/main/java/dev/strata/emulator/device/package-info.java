/**
 * PC devices, one sub-package each. Devices expose byte-wide port handlers ({@link
 * dev.strata.emulator.device.PortDevice}) for the machine to register on the CPU's port bus, drive interrupts
 * through {@link dev.strata.emulator.device.IrqLine}s handed out by the interrupt controller, and keep time only
 * through the virtual clock and its scheduler.
 */
package dev.strata.emulator.device;
